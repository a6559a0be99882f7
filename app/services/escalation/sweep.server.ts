import { randomUUID } from "node:crypto";
import { Prisma } from "~/generated/prisma/client.ts";
import type { IsoDate } from "~/domain/calendar-date";
import type { ClaimStatement } from "~/domain/claim-statement";
import { stepKey, type Action, type Decision } from "~/domain/escalation";
import { legalBasisFor } from "~/domain/legal-basis";
import type { NoticeKind } from "~/integrations/mail/notice-content";
import type pg from "pg";
import { db, pgPool, pgTransaction, sql } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { loadClaimStates } from "../claims/batch-claim-states.server";
import {
  decisionOf,
  nextActionOn,
  statementOf,
  type ClaimStateRow,
} from "../claims/claim-state.server";
import { UnknownCreditorError } from "../identity/api-keys.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { noticeContent, residentLanguage } from "../letters/notice-content.server";
import { sweepPlans } from "../plans/plan-sweep.server";
import { summarise, emptySummary, type SweepSummary } from "./sweep-summary";

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

// A claim never takes more steps than this in one sweep; two ended holds is the most seen.
const MAX_ACTIONS_PER_CLAIM = 4;

type Planned = {
  action: Action;
  key: string;
  eventId: bigint;
  stepId: string;
  noticeId: string | null;
  /** The claim as it stands after this action, for the notice's content. */
  after: ClaimStateRow;
  statement: ClaimStatement;
};

const NOTICE_KIND: Record<string, NoticeKind> = {
  REMINDER: "REMINDER",
  COLLECTION_NOTICE: "COLLECTION_NOTICE",
  PAYMENT_DEMAND: "PAYMENT_DEMAND",
};

function eventType(action: Action): string {
  if (action.type === "fresh_deadline") return "deadline.renewed";
  if (action.stage === "READY_FOR_ENFORCEMENT") return "enforcement.queued";
  return `${action.stage.toLowerCase()}.sent`;
}

/** The claim as it will be once `action` is taken: what the next decision is made on. */
function applyInMemory(row: ClaimStateRow, action: Action, asOf: IsoDate, eventId: bigint) {
  const date = dbDate(asOf);
  const next: ClaimStateRow = {
    ...row,
    steps: [
      ...row.steps,
      {
        id: "",
        claimId: row.id,
        key: stepKey(action),
        takenOn: date,
        deadline: action.deadline ? dbDate(action.deadline) : null,
        eventId,
        createdAt: date,
      },
    ],
  };
  if (action.type === "step") {
    next.stage = action.stage;
    next.stageEnteredOn = date;
    if (action.fee) {
      next.charges = [
        ...row.charges,
        {
          id: "",
          claimId: row.id,
          kind: action.fee.kind,
          amount: action.fee.amount,
          chargedOn: date,
          causeEventId: eventId,
          legalBasis: legalBasisFor(row.creditor.country, action.fee.kind) ?? "unknown",
          cancelledOn: null,
          cancelReason: null,
          createdAt: date,
          causeEvent: { type: eventType(action) },
        },
      ];
    }
  }
  return next;
}

/** Decide every step due for one claim today, in order, without writing anything. */
function plan(row: ClaimStateRow, law: LawBook, asOf: IsoDate, ids: () => bigint) {
  const planned: Planned[] = [];
  let current = row;
  // Before the first step the balance matters only to a step to enforcement: computed lazily.
  let decision: Decision = decisionOf(current, () => statementOf(row, law, asOf), law, asOf);
  const first = decision;
  while (decision.kind === "act" && planned.length < MAX_ACTIONS_PER_CLAIM) {
    const action = decision.action;
    const eventId = ids();
    const after = applyInMemory(current, action, asOf, eventId);
    const notifies = action.type === "fresh_deadline" || action.notice;
    // The statement after this step decides the next one and is what its notice says.
    const statement = statementOf(after, law, asOf);
    planned.push({
      action,
      key: stepKey(action),
      eventId,
      stepId: randomUUID(),
      noticeId: notifies ? randomUUID() : null,
      after,
      statement,
    });
    current = after;
    decision = decisionOf(current, statement, law, asOf);
  }
  return { first, planned, final: current, nextOn: nextActionOn(decision, asOf) };
}

// A batch's writes are one statement: a chain of data-modifying CTEs, each an INSERT ... SELECT
// FROM unnest(arrays), with a handful of parameters whatever the batch size (Prisma's createMany
// bound one per column and row and spent most of the sweep's time building and sending them).
// One statement rather than one per table saves the round trips, the separate draw of event ids
// and the work in between: the steps that already existed are left out in SQL (a join on the
// step insert's RETURNING), not here. The foreign keys between the rows inserted (a notice's step,
// a fee's event, a mail's notice) hold: their checks run at the end of the statement.

async function processBatch(
  client: pg.PoolClient,
  ids: string[],
  opts: SweepOptions,
  law: LawBook,
  summary: SweepSummary,
): Promise<number> {
  // Locked, and still due: see loadClaimStates.
  const rows = await loadClaimStates(client, ids, { lockDueOn: opts.asOf });
  if (rows.length === 0) return 0;
  // The evaluator needs an event id per step only to tell the steps' events apart in memory:
  // placeholders (0, 1, ...). The real ones are drawn by the step insert below.
  let drawn = 0;
  const plans = rows.map((row) => ({ row, ...plan(row, law, opts.asOf, () => BigInt(drawn++)) }));
  for (const p of plans) summarise(summary, p.row, p.first, p.planned);
  if (opts.dryRun) return rows.length;

  const asOf = opts.asOf;
  const all = plans.flatMap((p) => p.planned.map((step) => ({ ...step, row: p.row })));
  const deadline = (a: (typeof all)[number]) => a.action.deadline ?? null;
  const fee = (a: (typeof all)[number]) => (a.action.type === "step" ? a.action.fee : null);
  // Notice content is built for every planned step, before it is known which are fresh: a step
  // that exists already (taken by an earlier run) is rare, and its notice is simply not inserted.
  const notices = all
    .filter((a) => a.noticeId)
    .map((a) => {
      const kind = a.action.type === "step" ? NOTICE_KIND[a.action.stage]! : "FRESH_DEADLINE";
      const content = noticeContent({
        row: a.after,
        statement: a.statement,
        kind,
        sentOn: asOf,
        deadline: a.action.deadline,
        fee: fee(a),
        publicUrl: opts.publicUrl,
      });
      return {
        id: a.noticeId,
        claim: a.row.id,
        step: a.stepId,
        kind,
        deadline: deadline(a),
        language: residentLanguage(a.row),
        channel: a.row.resident.email ? "email" : "letter",
        // Notice mail goes to this address (an Outbox row); a letter has none.
        email: a.row.resident.email || null,
        content,
      };
    });
  // One statement updates every claim of the batch: stage, when it was reached, next look.
  const updates = plans.map((p) => ({
    id: p.row.id,
    stage: p.final.stage,
    entered: p.final.stageEnteredOn.toISOString().slice(0, 10),
    next: p.nextOn,
  }));

  await client.query(sql`
    WITH p AS (
      SELECT * FROM unnest(
        ${all.map((a) => a.stepId)}::uuid[], ${all.map((a) => a.row.id)}::uuid[],
        ${all.map((a) => a.row.residentId)}::uuid[], ${all.map((a) => a.row.creditorId)}::uuid[],
        ${all.map((a) => a.key)}::text[], ${all.map(deadline)}::text[],
        ${all.map((a) => eventType(a.action))}::text[],
        ${all.map((a) => fee(a)?.kind ?? null)}::text[],
        ${all.map((a) => fee(a)?.amount ?? null)}::int[],
        ${all.map((a) => {
          const f = fee(a);
          return f ? (legalBasisFor(a.row.creditor.country, f.kind) ?? "unknown") : null;
        })}::text[]
      ) WITH ORDINALITY
        AS p(step, claim, resident, creditor, key, deadline, type, fee_kind, fee_amount, basis, ord)
    ),
    -- Event ids are drawn in plan order (ORDER BY is applied before the volatile nextval), so a
    -- claim's events of one sweep stay in the order its steps were taken. A step that exists
    -- already (the unique (claim, key): taken by an earlier run) is not returned.
    s AS (
      INSERT INTO "ClaimStep" (id, "claimId", key, "takenOn", deadline, "eventId")
      SELECT step, claim, key, ${asOf}::date, deadline::date, nextval('"Event_id_seq"'::regclass)
      FROM p ORDER BY ord
      ON CONFLICT DO NOTHING
      RETURNING id, "eventId"
    ),
    fresh AS (SELECT p.*, s."eventId" AS event FROM p JOIN s ON s.id = p.step),
    e AS (
      -- The data, {step, deadline, fee}, is built here from plain arrays: a jsonb[] parameter
      -- escaped every document as an array element, in Node and again in PostgreSQL.
      INSERT INTO "Event" (id, "claimId", "residentId", "creditorId", type, actor, data,
                           "occurredOn")
      SELECT event, claim, resident, creditor, type, 'system',
             jsonb_build_object('step', key, 'deadline', deadline,
                                'fee', CASE WHEN fee_kind IS NULL THEN NULL
                                            ELSE jsonb_build_object('kind', fee_kind,
                                                                    'amount', fee_amount) END),
             ${asOf}::date
      FROM fresh
    ),
    ch AS (
      INSERT INTO "Charge" (id, "claimId", kind, amount, "chargedOn", "causeEventId", "legalBasis")
      SELECT gen_random_uuid(), claim, fee_kind::"ChargeKind", fee_amount, ${asOf}::date, event,
             basis
      FROM fresh WHERE fee_kind IS NOT NULL
    ),
    -- The notices as one JSON document rather than a jsonb[] parameter: escaping every content
    -- as an array element cost more than the insert itself.
    nd AS (
      SELECT nd.* FROM jsonb_to_recordset(${JSON.stringify(notices)}::jsonb)
        AS nd(id uuid, claim uuid, step uuid, kind text, deadline date, language text,
              channel text, email text, content jsonb)
      JOIN s ON s.id = nd.step
    ),
    n AS (
      INSERT INTO "Notice" (id, "claimId", "stepId", kind, "sentOn", deadline, language, channel,
                            content)
      SELECT id, claim, step, kind::"NoticeKind", ${asOf}::date, deadline, language, channel,
             content
      FROM nd
    ),
    o AS (
      INSERT INTO "Outbox" (id, "noticeId", "to")
      SELECT gen_random_uuid(), id, email FROM nd WHERE email IS NOT NULL
    )
    UPDATE "Claim" AS c
    SET stage = u.stage::"ClaimStage", "stageEnteredOn" = u.entered, "nextActionOn" = u.next,
        "updatedAt" = now()
    FROM unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.stage)}::text[],
                ${updates.map((u) => u.entered)}::date[], ${updates.map((u) => u.next)}::date[])
      AS u(id, stage, entered, next)
    WHERE c.id = u.id`);
  return rows.length;
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
