import { parseArgs } from "node:util";
import { isIsoDate } from "../app/domain/calendar-date.ts";
import { runRetention, setRetentionYears } from "../app/services/operations/retention.server.ts";

type Out = { log(line: string): void; error(line: string): void };

export const RETENTION_USAGE = `  retention run [--as-of YYYY-MM-DD]
                                   Anonymise the personal data of claims closed longer ago than
                                   their creditor's retention period (the worker runs it daily).
  retention set --creditor SLUG --years N
                                   A creditor's retention period; refused below the accounting
                                   law's minimum (Sweden 7 years, Norway 5).`;

/** `retention run` and `retention set`: exit 2 for a malformed command, 1 when refused. */
export async function retention(
  sub: "run" | "set",
  args: string[],
  out: Out,
  usage: string,
): Promise<number> {
  let v: { "as-of"?: string; creditor?: string; years?: string };
  try {
    v = parseArgs({
      args,
      options: {
        "as-of": { type: "string" },
        creditor: { type: "string" },
        years: { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const asOf = v["as-of"] ?? new Date().toISOString().slice(0, 10);
  if (!isIsoDate(asOf)) {
    out.error("--as-of must be a calendar date as YYYY-MM-DD.");
    return 2;
  }
  if (sub === "set") {
    if (!v.creditor || !v.years || !/^\d+$/.test(v.years)) {
      out.error("retention set needs --creditor SLUG and --years N (whole years).");
      return 2;
    }
    const result = await setRetentionYears({
      creditorSlug: v.creditor,
      years: Number(v.years),
      asOf,
    });
    if (!result.ok) {
      out.error(`${result.error} Nothing was changed.`);
      return 1;
    }
    out.log(`Personal data of ${v.creditor}'s closed claims is now kept ${v.years} years.`);
    return 0;
  }
  const run = await runRetention({ asOf, actor: "cli" });
  out.log(
    `Retention as of ${asOf}: ${run.claims} closed claims and ${run.residents} residents anonymised, ${run.attachments} attachments removed (event ${run.eventIds.join(", ")}).`,
  );
  return 0;
}
