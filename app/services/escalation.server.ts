import { randomUUID } from "node:crypto";
import { Prisma } from "~/generated/prisma/client.ts";
import type { IsoDate } from "~/domain/calendar-date";
import type { ClaimStatement } from "~/domain/claim-statement";
import { stepKey, type Action, type Decision } from "~/domain/escalation";
import { legalBasisFor } from "~/domain/legal-basis";
import type { NoticeKind } from "~/integrations/mail/notice-content";
import type pg from "pg";
import { db, pgTransaction, rowsOf, sql, type Conn, type Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import {
  decisionOf,
  loadClaimStates,
  nextActionOn,
  statementOf,
  type ClaimStateRow,
} from "./claim-state.server";
import { UnknownCreditorError } from "./api-keys.server";
import { loadLawBook, type LawBook } from "./legal-figures.server";
import { noticeContent, residentLanguage } from "./notice-content.server";
import { sweepPlans } from "./plan-sweep.server";
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

export async function allocateEventIds(conn: Conn, count: number): Promise<string[]> {
  if (count === 0) return [];
  const rows = await rowsOf<{ id: string }>(
    conn,
    sql`
    SELECT nextval(pg_get_serial_sequence('"Event"', 'id'))::text AS id
    FROM generate_series(1, ${count}::int)`,
  );
  return rows.map((r) => r.id);
}

// Every write below is one INSERT ... SELECT FROM unnest(arrays) per table and batch: a handful
// of parameters whatever the batch size, where Prisma's createMany binds one per column and row
// and spent most of the sweep's time building and sending them.

async function processBatch(
  client: pg.PoolClient,
  ids: string[],
  opts: SweepOptions,
  law: LawBook,
  summary: SweepSummary,
) {
  const rows = await loadClaimStates(client, ids);
  // Plan with placeholder event ids (0, 1, ...), then draw exactly as many real ones.
  let drawn = 0;
  const plans = rows.map((row) => ({ row, ...plan(row, law, opts.asOf, () => BigInt(drawn++)) }));
  for (const p of plans) summarise(summary, p.row, p.first, p.planned);
  if (opts.dryRun) return;
  const pool = await allocateEventIds(client, drawn);

  const asOf = opts.asOf;
  const all = plans.flatMap((p) =>
    p.planned.map((step) => ({ ...step, event: pool[Number(step.eventId)]!, row: p.row })),
  );
  const deadline = (a: (typeof all)[number]) => a.action.deadline ?? null;
  const { rows: inserted } = await client.query<{ id: string }>(sql`
    INSERT INTO "ClaimStep" (id, "claimId", key, "takenOn", deadline, "eventId")
    SELECT id, claim, key, ${asOf}::date, deadline, event
    FROM unnest(${all.map((a) => a.stepId)}::uuid[], ${all.map((a) => a.row.id)}::uuid[],
                ${all.map((a) => a.key)}::text[], ${all.map(deadline)}::date[],
                ${all.map((a) => a.event)}::bigint[]) AS s(id, claim, key, deadline, event)
    ON CONFLICT DO NOTHING
    RETURNING id::text`);
  // A step that exists already was taken by an earlier run: the unique (claim, key) wins.
  const taken = new Set(inserted.map((s) => s.id));
  const fresh = all.filter((a) => taken.has(a.stepId));
  if (fresh.length > 0) {
    // The data is built here from plain arrays: a jsonb[] parameter escaped every document as
    // an array element, in Node and again in PostgreSQL. Same value: {step, deadline, fee}.
    const fee = (a: (typeof all)[number]) => (a.action.type === "step" ? a.action.fee : null);
    await client.query(sql`
      INSERT INTO "Event" (id, "claimId", "residentId", "creditorId", type, actor, data, "occurredOn")
      SELECT id, claim, resident, creditor, type, 'system',
             jsonb_build_object('step', key, 'deadline', deadline,
                                'fee', CASE WHEN fee_kind IS NULL THEN NULL
                                            ELSE jsonb_build_object('kind', fee_kind,
                                                                    'amount', fee_amount) END),
             ${asOf}::date
      FROM unnest(${fresh.map((a) => a.event)}::bigint[], ${fresh.map((a) => a.row.id)}::uuid[],
                  ${fresh.map((a) => a.row.residentId)}::uuid[],
                  ${fresh.map((a) => a.row.creditorId)}::uuid[],
                  ${fresh.map((a) => eventType(a.action))}::text[],
                  ${fresh.map((a) => a.key)}::text[], ${fresh.map(deadline)}::text[],
                  ${fresh.map((a) => fee(a)?.kind ?? null)}::text[],
                  ${fresh.map((a) => fee(a)?.amount ?? null)}::int[])
        AS e(id, claim, resident, creditor, type, key, deadline, fee_kind, fee_amount)`);
  }
  const fees = fresh.flatMap((a) =>
    a.action.type === "step" && a.action.fee ? [{ a, fee: a.action.fee }] : [],
  );
  if (fees.length > 0) {
    await client.query(sql`
      INSERT INTO "Charge" (id, "claimId", kind, amount, "chargedOn", "causeEventId", "legalBasis")
      SELECT gen_random_uuid(), claim, kind::"ChargeKind", amount, ${asOf}::date, event, basis
      FROM unnest(${fees.map((f) => f.a.row.id)}::uuid[], ${fees.map((f) => f.fee.kind)}::text[],
                  ${fees.map((f) => f.fee.amount)}::int[], ${fees.map((f) => f.a.event)}::bigint[],
                  ${fees.map(
                    (f) => legalBasisFor(f.a.row.creditor.country, f.fee.kind) ?? "unknown",
                  )}::text[]) AS c(claim, kind, amount, event, basis)`);
  }
  const notices = fresh
    .filter((a) => a.noticeId)
    .map((a) => {
      const kind = a.action.type === "step" ? NOTICE_KIND[a.action.stage]! : "FRESH_DEADLINE";
      const content = noticeContent({
        row: a.after,
        statement: a.statement,
        kind,
        sentOn: opts.asOf,
        deadline: a.action.deadline,
        fee: a.action.type === "step" ? a.action.fee : null,
        publicUrl: opts.publicUrl,
      });
      return { a, kind, content };
    });
  if (notices.length > 0) {
    // One JSON document rather than a jsonb[] parameter: escaping every content as an array
    // element cost more than the insert itself.
    const doc = JSON.stringify(
      notices.map((n) => ({
        id: n.a.noticeId,
        claim: n.a.row.id,
        step: n.a.stepId,
        kind: n.kind,
        deadline: deadline(n.a),
        language: residentLanguage(n.a.row),
        channel: n.a.row.resident.email ? "email" : "letter",
        content: n.content,
      })),
    );
    await client.query(sql`
      INSERT INTO "Notice" (id, "claimId", "stepId", kind, "sentOn", deadline, language, channel,
                            content)
      SELECT id, claim, step, kind::"NoticeKind", ${asOf}::date, deadline, language, channel,
             content
      FROM jsonb_to_recordset(${doc}::jsonb) AS n(id uuid, claim uuid, step uuid, kind text,
             deadline date, language text, channel text, content jsonb)`);
  }
  const mail = notices.filter((n) => n.a.row.resident.email);
  if (mail.length > 0) {
    await client.query(sql`
      INSERT INTO "Outbox" (id, "noticeId", "to")
      SELECT gen_random_uuid(), notice, recipient
      FROM unnest(${mail.map((n) => n.a.noticeId)}::uuid[],
                  ${mail.map((n) => n.a.row.resident.email)}::text[]) AS o(notice, recipient)`);
  }

  // One statement updates every claim of the batch: stage, when it was reached, next look.
  const updates = plans.map((p) => ({
    id: p.row.id,
    stage: p.final.stage,
    entered: p.final.stageEnteredOn.toISOString().slice(0, 10),
    next: p.nextOn,
  }));
  await client.query(sql`
    UPDATE "Claim" AS c
    SET stage = u.stage::"ClaimStage", "stageEnteredOn" = u.entered, "nextActionOn" = u.next,
        "updatedAt" = now()
    FROM unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.stage)}::text[],
                ${updates.map((u) => u.entered)}::date[], ${updates.map((u) => u.next)}::date[])
      AS u(id, stage, entered, next)
    WHERE c.id = u.id`);
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
  const due = (
    await db().$queryRaw<{ id: string }[]>`
      SELECT id FROM "Claim"
      WHERE status = 'OPEN' AND "nextActionOn" <= ${opts.asOf}::date ${byCreditor}
      ORDER BY id`
  ).map((r) => r.id);
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
        // Locked, and due still: another sweep may hold some of them (SKIP LOCKED leaves those
        // to it) or have finished them since the list was read (they are no longer due).
        const { rows: locked } = await client.query<{ id: string }>(sql`
          SELECT id FROM "Claim"
          WHERE id = ANY(${chunk}::uuid[])
            AND status = 'OPEN' AND "nextActionOn" <= ${opts.asOf}::date
          ORDER BY id
          FOR UPDATE SKIP LOCKED`);
        if (locked.length === 0) return 0;
        await processBatch(
          client,
          locked.map((r) => r.id),
          opts,
          law,
          summary,
        );
        return locked.length;
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

/**
 * Recomputes when the sweep must next look at these claims. Every change outside the sweep
 * (intake, payment, hold, decision) calls it in its own transaction, so the sweep never misses a
 * claim that became due. A caller that has just loaded the claims' state passes it in `states`
 * (it must be current: loaded after the change, in the same transaction).
 */
export async function refreshNextActions(
  tx: Tx,
  claimIds: string[],
  law: LawBook,
  today: IsoDate,
  states?: ClaimStateRow[],
) {
  if (claimIds.length === 0) return;
  const rows = states ?? (await loadClaimStates(tx, claimIds));
  const dates = rows.map((row) =>
    nextActionOn(decisionOf(row, statementOf(row, law, today), law, today), today),
  );
  // One statement for all of them, as the sweep writes.
  await tx.$executeRaw`
    UPDATE "Claim" c SET "nextActionOn" = v.d, "updatedAt" = now()
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${dates}::date[]) AS v(id, d)
    WHERE c.id = v.id`;
}
