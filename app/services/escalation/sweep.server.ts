import { Prisma } from "~/generated/prisma/client.ts";
import type { IsoDate } from "~/domain/calendar-date";
import type pg from "pg";
import { db, pgPool, pgTransaction, sql } from "~/infra/db.server";
import { writeClaimMoves } from "../claims/claim-writer.server";
import { loadClaims } from "../claims/load-claims.server";
import { UnknownCreditorError } from "../identity/api-keys.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { sweepPlans } from "../plans/plan-sweep.server";
import { planSweep } from "./sweep-plan.server";
import { summarise, summariseWriteOffs, emptySummary, type SweepSummary } from "./sweep-summary";
import { applyDueWriteOffs, dueWriteOff } from "./write-offs.server";

export type { SweepSummary } from "./sweep-summary";

export type SweepOptions = {
  asOf: IsoDate;
  creditorSlug?: string;
  dryRun?: boolean;
  batchSize?: number;
  /** Batch transactions in flight at once (default 2). */
  workers?: number;
  publicUrl: string;
  /** Called after each committed batch; tests use it to stop a sweep half-way. */
  afterBatch?: (claimsInBatch: number) => Promise<void> | void;
};

async function processBatch(
  client: pg.PoolClient,
  ids: string[],
  opts: SweepOptions,
  law: LawBook,
  summary: SweepSummary,
): Promise<number> {
  // Locked, and still due: see loadClaims.
  const claims = await loadClaims(client, { ids }, { lock: { dueOn: opts.asOf } });
  if (claims.length === 0) return 0;
  // A small balance whose day has come is written off or queued (decision 0106), not escalated.
  const writeOffs = claims.flatMap((claim) => {
    const small = dueWriteOff(claim, law, opts.asOf);
    return small ? [{ claim, small }] : [];
  });
  const writingOff = new Set(writeOffs.map((w) => w.claim.id));
  const plans = claims
    .filter((claim) => !writingOff.has(claim.id))
    .map((claim) => ({ claim, ...planSweep(claim, law, opts.asOf, opts.publicUrl) }));
  for (const p of plans) summarise(summary, p.claim, p.first, p.actions);
  if (opts.dryRun) {
    summariseWriteOffs(summary, writeOffs, null);
    return claims.length;
  }
  // Every claim of the batch gets its next look, those that took no step too; a queued write-off
  // waits for staff.
  await writeClaimMoves(
    client,
    plans.flatMap((p) => p.moves),
    [
      ...plans.map((p) => ({ claim: p.claim, on: p.nextOn })),
      ...writeOffs
        .filter((w) => w.small.mode === "queue")
        .map((w) => ({ claim: w.claim, on: null })),
    ],
  );
  const done = await applyDueWriteOffs(client, writeOffs, opts.asOf, opts.publicUrl);
  summariseWriteOffs(summary, writeOffs, done.queued);
  return claims.length;
}

/**
 * The daily escalation sweep: every open claim whose next action is due on `asOf` is locked,
 * decided on by the pure evaluator, and its steps written with their events, fees, notices and
 * mail in one transaction per batch. `FOR UPDATE SKIP LOCKED` lets two sweeps share the work; the
 * unique (claim, step) makes a re-run a no-op; a sweep killed half-way loses only its open batch.
 * Within one sweep, `workers` transactions run at once the same way, so the database works on
 * one batch while this process plans the next.
 */
export async function runSweep(opts: SweepOptions): Promise<SweepSummary> {
  const law = await loadLawBook();
  let creditorId: string | null = null;
  if (opts.creditorSlug) {
    const creditor = await db().creditor.findUnique({ where: { slug: opts.creditorSlug } });
    if (!creditor) throw new UnknownCreditorError(opts.creditorSlug);
    creditorId = creditor.id;
  }
  const summary = emptySummary(opts.asOf, opts.creditorSlug ?? null, !!opts.dryRun);
  // Plans first: a plan that ends today lifts its holds, and the claims below then get their
  // fresh deadline in this same sweep.
  if (!opts.dryRun)
    summary.plans = await sweepPlans({
      asOf: opts.asOf,
      creditorId,
      law,
      publicUrl: opts.publicUrl,
    });
  const batchSize = opts.batchSize ?? 1000;
  const byCreditor = creditorId ? Prisma.sql`AND "creditorId" = ${creditorId}::uuid` : Prisma.empty;
  // The claims due when the sweep starts, found through the (status, nextActionOn) index as the
  // baseline UPDATE finds them. Walking the primary key instead, as batches of "next due ids
  // after the last one" did, read every claim ever stored (due or not) in random heap order.
  // The list also visits each claim once per sweep: a claim still due after its batch (it took
  // the most steps one sweep allows) waits for the next sweep, as it did behind the old cursor.
  // Read on pg directly, as bare values: through Prisma the list cost more than the query.
  const { rows: dueRows } = await pgPool().query<[string]>({
    ...sql`
      SELECT id::text FROM "Claim"
      WHERE status = 'OPEN' AND "nextActionOn" <= ${opts.asOf}::date
        AND (${creditorId}::uuid IS NULL OR "creditorId" = ${creditorId}::uuid)
      ORDER BY id`,
    rowMode: "array",
  });
  const due = dueRows.map((r) => r[0]);
  let taken = 0;

  const worker = async () => {
    for (;;) {
      const chunk = due.slice(taken, taken + batchSize);
      taken += chunk.length;
      if (chunk.length === 0) return;
      const count = await pgTransaction(async (client) => {
        // The batch's statements each touch a few rows per thousand, scattered: index look-ups.
        // With the default random_page_cost (4, a spinning disk) the planner chose sequential
        // scans of Claim, Charge and Resident, whose cost grows with every claim ever stored.
        await client.query("SET LOCAL random_page_cost = 1.1");
        return processBatch(client, chunk, opts, law, summary);
      });
      if (count > 0) await opts.afterBatch?.(count);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.workers ?? 2) }, worker));

  // No ANALYZE afterwards: stale statistics (claims still counted as due) only made the planner
  // walk the primary key when batches were found by cursor; the due list above takes the
  // (status, nextActionOn) index either way, so a re-run stays an empty index range.
  // One pass over the open claims for both counts, not two.
  const [counts] = await db().$queryRaw<[{ notDue: number; manual: number }]>`
    SELECT (count(*) FILTER (WHERE "nextActionOn" > ${opts.asOf}::date))::int AS "notDue",
           (count(*) FILTER (WHERE "nextActionOn" IS NULL))::int AS manual
    FROM "Claim" WHERE status = 'OPEN' ${byCreditor}`;
  const { notDue, manual } = counts;
  summary.notYetDue = notDue;
  summary.nothingAutomatic = manual;
  return summary;
}
