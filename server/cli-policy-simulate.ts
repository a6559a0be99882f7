import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { db } from "../app/infra/db.server.ts";
import { formatSimulation } from "../app/domain/policy-simulation-text.ts";
import {
  DEFAULT_DAYS,
  MAX_DAYS,
  runSimulation,
} from "../app/services/policies/policy-simulation.server.ts";

type Out = { log(line: string): void; error(line: string): void };

/** `policy simulate`: a draft beside the current policy, printed as a plain text table. */
export async function policySimulate(args: string[], out: Out, usage: string): Promise<number> {
  let values: { creditor?: string; "claim-type"?: string; file?: string; days?: string };
  try {
    values = parseArgs({
      args,
      options: {
        creditor: { type: "string" },
        "claim-type": { type: "string" },
        file: { type: "string" },
        days: { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (!values.creditor || !values["claim-type"] || !values.file) {
    out.error("policy simulate needs --creditor, --claim-type and --file.");
    return 2;
  }
  const days = values.days === undefined ? DEFAULT_DAYS : Number(values.days);
  if (!/^\d+$/.test(values.days ?? "90") || days < 1 || days > MAX_DAYS) {
    out.error(`--days must be a whole number from 1 to ${MAX_DAYS}.`);
    return 2;
  }
  let draft: unknown;
  try {
    draft = JSON.parse(await readFile(values.file, "utf8"));
  } catch (error) {
    out.error(
      `Cannot read ${values.file} as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 2;
  }
  const claimType = await db().claimType.findFirst({
    where: { slug: values["claim-type"], creditor: { slug: values.creditor } },
    include: { creditor: true },
  });
  if (!claimType) {
    out.error(`${values.creditor} has no claim type "${values["claim-type"]}".`);
    return 1;
  }
  const result = await runSimulation({
    claimTypeId: claimType.id,
    draft,
    days,
    staffId: null,
    now: new Date(),
  });
  if (!result.ok) {
    out.error("Draft refused; nothing was simulated:");
    for (const e of result.errors) out.error(`  ${e.path}: ${e.message}`);
    return 1;
  }
  out.log(formatSimulation(result.summary, claimType.creditor.currency));
  return 0;
}
