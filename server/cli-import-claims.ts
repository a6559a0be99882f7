import { access } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { db } from "../app/infra/db.server.ts";
import {
  importClaimFile,
  type ImportProgress,
} from "../app/services/claims/claim-import.server.ts";

type Out = { log(line: string): void; error(line: string): void };

export const IMPORT_CLAIMS_USAGE = `  import-claims FILE --creditor SLUG
                                   Hand over a file of claims for a creditor: CSV with the header
                                   of docs/api.md, or JSON lines as the API takes them. Read in
                                   chunks of 1,000; bad lines are listed by number and reason, the
                                   good ones stored. Run it again safely: nothing is stored twice.`;

/** `kravportal import-claims FILE --creditor SLUG`: a progress bar on a terminal, a summary after. */
export async function importClaims(args: string[], out: Out, usage: string): Promise<number> {
  let file: string | undefined;
  let slug: string | undefined;
  try {
    const parsed = parseArgs({
      args,
      options: { creditor: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    file = parsed.positionals[0];
    slug = parsed.values.creditor;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (!file || !slug) {
    out.error(`import-claims needs a FILE and --creditor SLUG.\n\n${usage}`);
    return 2;
  }
  try {
    await access(file);
  } catch {
    out.error(`Cannot read ${file}.`);
    return 2;
  }
  const creditor = await db().creditor.findUnique({ where: { slug } });
  if (!creditor) {
    out.error(`No creditor with slug "${slug}".`);
    return 1;
  }
  // A bar only for a person watching a terminal; a pipe or a log gets the summary alone.
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar(
        {
          format:
            "{bar} {percentage}% | {lines} lines | {created} new, {unchanged} unchanged, {bad} refused",
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const payload = (p: ImportProgress) => ({
    lines: p.lines,
    created: p.created,
    unchanged: p.unchanged,
    bad: p.invalid + p.conflicts,
  });
  let started = false;
  const summary = await importClaimFile({
    creditorId: creditor.id,
    actor: "cli",
    role: "operator",
    path: file,
    fileName: path.basename(file),
    onProgress: (p) => {
      if (!bar) return;
      if (!started) bar.start(p.bytesTotal, 0, payload(p));
      started = true;
      bar.update(p.bytesRead, payload(p));
    },
  }).finally(() => bar?.stop());
  const p = summary.progress;
  if (summary.status === "FAILED") {
    out.error(`${file}: ${summary.error}`);
    return 1;
  }
  out.log(
    [
      `Imported ${file} for ${slug}: ${p.lines} lines.`,
      `  stored now:            ${p.created}`,
      `  received before:       ${p.unchanged}`,
      `  conflicts:             ${p.conflicts}`,
      `  invalid:               ${p.invalid}`,
    ].join("\n"),
  );
  for (const x of summary.problems)
    out.log(`  line ${x.line}${x.externalId ? ` (${x.externalId})` : ""}: ${x.reason}`);
  if (summary.problems.length < p.conflicts + p.invalid)
    out.log(`  … and ${p.conflicts + p.invalid - summary.problems.length} more refused lines`);
  return p.conflicts + p.invalid > 0 ? 1 : 0;
}
