import { parseArgs } from "node:util";
import {
  mergeCreditors,
  type MergeReport,
  type MergeRefusal,
} from "../app/services/operations/creditor-merge.server.ts";

type Out = { log(line: string): void; error(line: string): void };

export const MERGE_USAGE = `  creditor merge --from SLUG --into SLUG [--dry-run]
                                   Merge a creditor (a municipality that merged) into another, in
                                   one transaction: claims, residents' claims, case flows (each
                                   claim keeps its version), claim types, staff, tasks, notes,
                                   plans, enforcement batches, history and figures. The old
                                   creditor stays as a tombstone: letters it sent keep its name,
                                   its references keep matching bank payments; its API keys are
                                   revoked. --dry-run prints what would move and changes nothing.`;

const REFUSED: Record<MergeRefusal, string> = {
  same_creditor: "A creditor cannot be merged into itself.",
  unknown_creditor: "No creditor with that slug",
  already_merged: "Already merged",
  different_country: "The creditors are in different countries; they cannot be merged.",
  different_currency: "The creditors bill in different currencies; they cannot be merged.",
  conflict: "Some rows of the two creditors could not be put together",
};

/** The report as the operator reads it: counts per kind, then what was renamed or kept. */
export function formatMergeReport(r: MergeReport): string {
  const head = r.dryRun
    ? `Dry run: merging "${r.from.slug}" (${r.from.name}) into "${r.into.slug}" (${r.into.name}) would move:`
    : `Merged "${r.from.slug}" (${r.from.name}) into "${r.into.slug}" (${r.into.name}). Moved:`;
  const width = Math.max(...r.moved.map((m) => m.table.length), 10);
  const lines = [head, ...r.moved.map((m) => `  ${m.table.padEnd(width)}  ${m.rows}`)];
  lines.push("Clashes and what is kept:");
  if (r.renamedClaimTypes.length === 0) lines.push("  claim types: no slug in both");
  for (const c of r.renamedClaimTypes)
    lines.push(`  claim type "${c.from}" is in both: the moved one is renamed "${c.to}"`);
  lines.push(
    `  invoice numbers in both: ${r.renamedInvoiceNumbers} (prefixed "${r.from.slug}/")`,
    `  letters sent that keep the old name: ${r.lettersKeepingOldName}`,
    `  API keys revoked: ${r.revokedApiKeys} (give the billing system a key of "${r.into.slug}")`,
    `  staff already in both: ${r.staffInBoth}`,
    ...r.kept.map((k) => `  kept on "${r.from.slug}": ${k.table} ${k.rows}`),
  );
  if (r.unruled.length > 0)
    lines.push(`  moved without a rule of their own (check them): ${r.unruled.join(", ")}`);
  if (r.dryRun) lines.push("Nothing was changed.");
  return lines.join("\n");
}

export async function creditorMerge(args: string[], out: Out, usage: string): Promise<number> {
  let v: { from?: string; into?: string; "dry-run"?: boolean };
  try {
    v = parseArgs({
      args,
      options: {
        from: { type: "string" },
        into: { type: "string" },
        "dry-run": { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (!v.from || !v.into) {
    out.error("creditor merge needs --from SLUG and --into SLUG.");
    return 2;
  }
  const r = await mergeCreditors({
    fromSlug: v.from,
    intoSlug: v.into,
    actor: "cli",
    now: new Date(),
    dryRun: v["dry-run"] === true,
  });
  if (!r.ok) {
    const detail = r.detail
      ? `: ${r.error === "unknown_creditor" ? `"${r.detail}"` : r.detail}`
      : "";
    out.error(`${REFUSED[r.error]}${detail}. Nothing was changed.`);
    return 1;
  }
  out.log(formatMergeReport(r.report));
  return 0;
}
