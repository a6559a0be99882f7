import { randomUUID } from "node:crypto";
import { Prisma } from "~/generated/prisma/client.ts";
import type { IsoDate } from "~/domain/calendar-date";
import { stepKey, type Action, type Decision } from "~/domain/escalation";
import { legalBasisFor } from "~/domain/legal-basis";
import type { NoticeKind } from "~/integrations/mail/notice-content";
import { db, type Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import {
  claimStateInclude,
  decisionOf,
  nextActionOn,
  statementOf,
  type ClaimStateRow,
} from "./claim-state.server";
import { UnknownCreditorError } from "./api-keys.server";
import { loadLawBook, type LawBook } from "./legal-figures.server";
import { noticeContent, residentLanguage } from "./notice-content.server";
import { summarise, emptySummary, type SweepSummary } from "./sweep-summary";

export type { SweepSummary } from "./sweep-summary";

export type SweepOptions = {
  asOf: IsoDate;
  creditorSlug?: string;
  dryRun?: boolean;
  batchSize?: number;
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
  let decision: Decision = decisionOf(current, statementOf(current, law, asOf), law, asOf);
  const first = decision;
  while (decision.kind === "act" && planned.length < MAX_ACTIONS_PER_CLAIM) {
    const action = decision.action;
    const eventId = ids();
    const after = applyInMemory(current, action, asOf, eventId);
    const notifies = action.type === "fresh_deadline" || action.notice;
    planned.push({
      action,
      key: stepKey(action),
      eventId,
      stepId: randomUUID(),
      noticeId: notifies ? randomUUID() : null,
      after,
    });
    current = after;
    decision = decisionOf(current, statementOf(current, law, asOf), law, asOf);
  }
  return { first, planned, final: current, nextOn: nextActionOn(decision, asOf) };
}

async function allocateEventIds(tx: Tx, count: number): Promise<bigint[]> {
  if (count === 0) return [];
  const rows = await tx.$queryRaw<{ id: bigint }[]>`
    SELECT nextval(pg_get_serial_sequence('"Event"', 'id'))::bigint AS id
    FROM generate_series(1, ${count}::int)`;
  return rows.map((r) => BigInt(r.id));
}

async function processBatch(
  tx: Tx,
  ids: string[],
  opts: SweepOptions,
  law: LawBook,
  summary: SweepSummary,
) {
  const rows = await tx.claim.findMany({ where: { id: { in: ids } }, include: claimStateInclude });
  // Event ids are drawn up front so each step row can point at its event in one insert.
  const pool = await allocateEventIds(tx, rows.length * MAX_ACTIONS_PER_CLAIM);
  let next = 0;
  const take = () => pool[next++]!;
  const plans = rows.map((row) => ({ row, ...plan(row, law, opts.asOf, take) }));
  for (const p of plans) summarise(summary, p.row, p.first, p.planned);
  if (opts.dryRun) return;

  const asOf = dbDate(opts.asOf);
  const all = plans.flatMap((p) => p.planned.map((step) => ({ ...step, row: p.row })));
  const inserted = await tx.claimStep.createManyAndReturn({
    data: all.map((a) => ({
      id: a.stepId,
      claimId: a.row.id,
      key: a.key,
      takenOn: asOf,
      deadline: a.action.deadline ? dbDate(a.action.deadline) : null,
      eventId: a.eventId,
    })),
    skipDuplicates: true,
    select: { id: true },
  });
  // A step that exists already was taken by an earlier run: the unique (claim, key) wins.
  const taken = new Set(inserted.map((s) => s.id));
  const fresh = all.filter((a) => taken.has(a.stepId));

  await tx.event.createMany({
    data: fresh.map((a) => ({
      id: a.eventId,
      claimId: a.row.id,
      residentId: a.row.residentId,
      creditorId: a.row.creditorId,
      type: eventType(a.action),
      actor: "system",
      occurredOn: asOf,
      data: {
        step: a.key,
        deadline: a.action.deadline,
        fee: a.action.type === "step" ? a.action.fee : null,
      },
    })),
  });
  await tx.charge.createMany({
    data: fresh.flatMap((a) =>
      a.action.type === "step" && a.action.fee
        ? [
            {
              claimId: a.row.id,
              kind: a.action.fee.kind,
              amount: a.action.fee.amount,
              chargedOn: asOf,
              causeEventId: a.eventId,
              legalBasis: legalBasisFor(a.row.creditor.country, a.action.fee.kind) ?? "unknown",
            },
          ]
        : [],
    ),
  });
  const notices = fresh.filter((a) => a.noticeId);
  await tx.notice.createMany({
    data: notices.map((a) => ({
      id: a.noticeId!,
      claimId: a.row.id,
      stepId: a.stepId,
      kind: a.action.type === "step" ? NOTICE_KIND[a.action.stage]! : "FRESH_DEADLINE",
      sentOn: asOf,
      deadline: a.action.deadline ? dbDate(a.action.deadline) : null,
      language: residentLanguage(a.row),
      channel: a.row.resident.email ? "email" : "letter",
      content: noticeContent({
        row: a.after,
        statement: statementOf(a.after, law, opts.asOf),
        kind: a.action.type === "step" ? NOTICE_KIND[a.action.stage]! : "FRESH_DEADLINE",
        sentOn: opts.asOf,
        deadline: a.action.deadline,
        fee: a.action.type === "step" ? a.action.fee : null,
        publicUrl: opts.publicUrl,
      }),
    })),
  });
  await tx.outbox.createMany({
    data: notices
      .filter((a) => a.row.resident.email)
      .map((a) => ({ noticeId: a.noticeId!, to: a.row.resident.email! })),
  });

  // One statement updates every claim of the batch: stage, when it was reached, next look.
  const updates = plans.map((p) => ({
    id: p.row.id,
    stage: p.final.stage,
    entered: p.final.stageEnteredOn.toISOString().slice(0, 10),
    next: p.nextOn,
  }));
  await tx.$executeRaw`
    UPDATE "Claim" AS c
    SET stage = u.stage::"ClaimStage", "stageEnteredOn" = u.entered, "nextActionOn" = u.next,
        "updatedAt" = now()
    FROM unnest(${updates.map((u) => u.id)}::uuid[], ${updates.map((u) => u.stage)}::text[],
                ${updates.map((u) => u.entered)}::date[], ${updates.map((u) => u.next)}::date[])
      AS u(id, stage, entered, next)
    WHERE c.id = u.id`;
}

/**
 * The daily escalation sweep: every open claim whose next action is due on `asOf` is locked,
 * decided on by the pure evaluator, and its steps written with their events, fees, notices and
 * mail in one transaction per batch. `FOR UPDATE SKIP LOCKED` lets two sweeps share the work; the
 * unique (claim, step) makes a re-run a no-op; a sweep killed half-way loses only its open batch.
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
  const batchSize = opts.batchSize ?? 500;
  const byCreditor = creditorId ? Prisma.sql`AND "creditorId" = ${creditorId}::uuid` : Prisma.empty;
  let after = "00000000-0000-0000-0000-000000000000";

  for (;;) {
    const count = await db().$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM "Claim"
          WHERE status = 'OPEN' AND "nextActionOn" <= ${opts.asOf}::date AND id > ${after}::uuid
            ${byCreditor}
          ORDER BY id LIMIT ${batchSize}::int
          FOR UPDATE SKIP LOCKED`;
        if (locked.length === 0) return 0;
        after = locked[locked.length - 1]!.id;
        await processBatch(
          tx,
          locked.map((r) => r.id),
          opts,
          law,
          summary,
        );
        return locked.length;
      },
      { timeout: 300_000, maxWait: 30_000 },
    );
    if (count === 0) break;
    await opts.afterBatch?.(count);
  }

  const [notDue, manual] = await Promise.all([
    db().claim.count({
      where: {
        status: "OPEN",
        nextActionOn: { gt: dbDate(opts.asOf) },
        ...(creditorId ? { creditorId } : {}),
      },
    }),
    db().claim.count({
      where: { status: "OPEN", nextActionOn: null, ...(creditorId ? { creditorId } : {}) },
    }),
  ]);
  summary.notYetDue = notDue;
  summary.nothingAutomatic = manual;
  return summary;
}

/**
 * Recomputes when the sweep must next look at these claims. Every change outside the sweep
 * (intake, payment, hold, decision) calls it in its own transaction, so the sweep never misses a
 * claim that became due.
 */
export async function refreshNextActions(tx: Tx, claimIds: string[], law: LawBook, today: IsoDate) {
  if (claimIds.length === 0) return;
  const rows = await tx.claim.findMany({
    where: { id: { in: claimIds } },
    include: claimStateInclude,
  });
  for (const row of rows) {
    const decision = decisionOf(row, statementOf(row, law, today), law, today);
    const on = nextActionOn(decision, today);
    await tx.claim.update({
      where: { id: row.id },
      data: { nextActionOn: on ? dbDate(on) : null },
    });
  }
}
