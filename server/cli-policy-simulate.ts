import { db } from "../app/infra/db.server.ts";
import { policyFileArgs } from "./cli-policy-file.ts";
import { formatSimulation } from "../app/domain/policy-simulation-text.ts";
import {
  DEFAULT_DAYS,
  MAX_DAYS,
  runSimulation,
} from "../app/services/policies/policy-simulation.server.ts";

type Out = { log(line: string): void; error(line: string): void };

/** `policy simulate`: a draft beside the current policy, printed as a plain text table. */
export async function policySimulate(args: string[], out: Out, usage: string): Promise<number> {
  const read = await policyFileArgs(args, out, usage, "policy simulate", ["days"] as const);
  if (typeof read === "number") return read;
  const raw = read.extra.days;
  const days = raw === undefined ? DEFAULT_DAYS : Number(raw);
  if (!/^\d+$/.test(raw ?? "90") || days < 1 || days > MAX_DAYS) {
    out.error(`--days must be a whole number from 1 to ${MAX_DAYS}.`);
    return 2;
  }
  const claimType = await db().claimType.findFirst({
    where: { slug: read.claimType, creditor: { slug: read.creditor } },
    include: { creditor: true },
  });
  if (!claimType) {
    out.error(`${read.creditor} has no claim type "${read.claimType}".`);
    return 1;
  }
  const result = await runSimulation({
    claimTypeId: claimType.id,
    draft: read.json,
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
