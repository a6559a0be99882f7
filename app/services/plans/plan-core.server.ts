/*
 * Longer than 300 lines because a plan's moves, its holds on its claims and its letters (issue 14)
 * are written together in each decision's transaction; the letters could move to a file of their
 * own (noted as left).
 */
import { recordEvent, recordEvents } from "../events/events.server";
import type { HoldKind, PaymentPlan, PlanStatus, Prisma } from "~/generated/prisma/client.ts";
import { PLAN_MACHINE } from "~/domain/case-transitions";
import { checkMove, IllegalMoveError, type Role } from "~/domain/state-machine";
import type { EventData, EventType } from "~/domain/events";
import type { IsoDate } from "~/domain/calendar-date";
import { legalBasisFor } from "~/domain/legal-basis";
import type { Schedule } from "~/domain/payment-plan";
import type { Conn, Tx } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { dbDate, isoOf } from "~/infra/db-dates.server";
import { env } from "~/infra/env.server";
import type { PlanMailContent } from "~/integrations/mail/render-plan.server";
import type { ClaimSnapshot } from "~/domain/claim";
import { netOfRefunds } from "~/domain/snapshot-payment";
import { isLang } from "~/i18n/config";
import { loadClaims } from "../claims/load-claims.server";
import { refreshNextActions } from "../claims/next-action.server";
import type { LawBook } from "../law/legal-figures.server";
import { writeDecisionNotice, type DecisionKind } from "../letters/decision-notices.server";

/** Plans that still keep their claims' escalation paused. */
export const OPEN_PLAN_STATUSES = ["REQUESTED", "OFFERED", "ACTIVE"] as const;

type PlanRef = Pick<PaymentPlan, "id" | "residentId" | "creditorId">;

type PlanEventType = Extract<EventType, `plan.${string}`>;

/** A plan-level event: on the resident's and creditor's record, with the plan's id in its data. */
export async function planEvent(
  tx: Conn,
  plan: PlanRef,
  type: PlanEventType,
  actor: string,
  on: IsoDate,
  data: Record<string, unknown> = {},
) {
  await recordEvent(tx, {
    residentId: plan.residentId,
    creditorId: plan.creditorId,
    type,
    actor,
    on,
    data: { planId: plan.id, ...data } as EventData<PlanEventType>,
  });
}

/** Puts the plan's kind of hold on each of its open claims (replacing none: call release first). */
export async function placePlanHolds(
  tx: Tx,
  law: LawBook,
  plan: PlanRef & { deferral: boolean },
  kind: HoldKind,
  on: IsoDate,
  actor: string,
) {
  const links = await tx.planClaim.findMany({
    where: { planId: plan.id },
    include: { claim: { select: { id: true, status: true, residentId: true, creditorId: true } } },
  });
  for (const link of links) {
    if (link.claim.status !== "OPEN") continue;
    const hold = await tx.hold.create({
      data: {
        claimId: link.claimId,
        kind,
        reason: `Payment plan ${plan.id}`,
        startsOn: dbDate(on),
      },
    });
    await tx.planClaim.update({
      where: { planId_claimId: { planId: plan.id, claimId: link.claimId } },
      data: { holdId: hold.id },
    });
    await recordEvent(tx, {
      claimId: link.claimId,
      residentId: link.claim.residentId,
      creditorId: link.claim.creditorId,
      type: "hold.placed",
      actor,
      on: on,
      data: { holdId: hold.id, kind, planId: plan.id },
    });
  }
  await refreshNextActions(
    tx,
    links.map((l) => l.claimId),
    law,
    on,
  );
}

/**
 * Lifts the plan's holds on `on`. The escalation engine then gives each claim a fresh deadline
 * before any further step (the RESUME step), from where the claim stood. Plain SQL, so a payment
 * that completes the plan can run it on the bank-file import's pg connection (decision 0115).
 */
export async function releasePlanHolds(
  tx: Conn,
  law: LawBook,
  planId: string,
  on: IsoDate,
  reason: string,
  actor: string,
) {
  const links = await query<{
    claimId: string;
    holdId: string;
    residentId: string;
    creditorId: string;
    kind: HoldKind | null;
    open: boolean;
  }>(
    tx,
    `SELECT pc."claimId"::text, pc."holdId"::text, c."residentId"::text, c."creditorId"::text,
            h.kind::text, (h.id IS NOT NULL AND h."releasedOn" IS NULL) AS open
     FROM "PlanClaim" pc
     JOIN "Claim" c ON c.id = pc."claimId"
     LEFT JOIN "Hold" h ON h.id = pc."holdId"
     WHERE pc."planId" = $1::uuid AND pc."holdId" IS NOT NULL
     ORDER BY pc."claimId"`,
    [planId],
  );
  if (links.length === 0) return;
  const lifted = links.filter((l) => l.open);
  if (lifted.length > 0) {
    await query(tx, `UPDATE "Hold" SET "releasedOn" = $2::date WHERE id = ANY($1::uuid[])`, [
      lifted.map((l) => l.holdId),
      on,
    ]);
    await recordEvents(
      tx,
      lifted.map((l) => ({
        claimId: l.claimId,
        residentId: l.residentId,
        creditorId: l.creditorId,
        type: "hold.released" as const,
        actor,
        on,
        data: { holdId: l.holdId, kind: l.kind!, reason, planId },
      })),
    );
  }
  const claimIds = links.map((l) => l.claimId);
  await query(
    tx,
    `UPDATE "PlanClaim" SET "holdId" = NULL WHERE "planId" = $1::uuid AND "claimId" = ANY($2::uuid[])`,
    [planId, claimIds],
  );
  await refreshNextActions(tx, claimIds, law, on);
}

/** Writes the schedule's instalments as the plan's version `version`. */
export async function writeInstalments(
  tx: Tx,
  planId: string,
  version: number,
  schedule: Schedule,
) {
  await tx.planInstalment.createMany({
    data: schedule.instalments.map((i, seq) => ({
      planId,
      version,
      seq: seq + 1,
      dueOn: dbDate(i.dueOn),
      amount: i.amount,
    })),
  });
}

/**
 * Starts a granted plan: its fee (if any) on the oldest claim, the active-plan (or deferral) hold
 * instead of the request's, and payments counted from today.
 */
export async function activatePlan(
  tx: Tx,
  law: LawBook,
  plan: PaymentPlan,
  today: IsoDate,
  actor: string,
  move: "grant" | "approve" | "accept",
  role: Role,
) {
  await releasePlanHolds(tx, law, plan.id, today, "plan granted", actor);
  if (plan.fee > 0) {
    const link = await tx.planClaim.findFirst({
      where: { planId: plan.id, claim: { status: "OPEN" } },
      include: { claim: { include: { creditor: true } } },
      orderBy: [{ claim: { dueOn: "asc" } }, { claimId: "asc" }],
    });
    if (link) {
      const cause = await recordEvent(tx, {
        claimId: link.claimId,
        residentId: plan.residentId,
        creditorId: plan.creditorId,
        type: "plan.granted",
        actor,
        on: today,
        data: { planId: plan.id, fee: plan.fee },
      });
      await tx.charge.create({
        data: {
          claimId: link.claimId,
          kind: "PLAN_FEE",
          amount: plan.fee,
          chargedOn: dbDate(today),
          causeEventId: cause,
          causeType: "plan.granted",
          legalBasis: legalBasisFor(link.claim.creditor.country, "PLAN_FEE") ?? "unknown",
        },
      });
    }
  }
  await movePlan(tx, plan, move, role, { countFrom: today });
  await placePlanHolds(tx, law, plan, plan.deferral ? "DEFERRAL" : "ACTIVE_PLAN", today, actor);
}

export type PlanClaimRow = ClaimSnapshot;

export type PlanMove = keyof typeof PLAN_MACHINE.moves;

/** What a plan's move may write beside its status: the days it counts from or ended, and why. */
export type PlanMoveData = {
  countFrom?: IsoDate;
  endedOn?: IsoDate;
  endReason?: string;
  decisionReason?: string | null;
  decidedBy?: string | null;
};

/** Each column a move may set, with its SQL type; a column left out keeps its value. */
const PLAN_MOVE_COLUMNS = {
  countFrom: "date",
  endedOn: "date",
  endReason: "text",
  decisionReason: "text",
  decidedBy: "text",
} as const satisfies Record<keyof PlanMoveData, string>;

/**
 * A move of the plan's transition table: checked, then written only if the plan is still where
 * it was checked from (two decisions at once: the second is refused and changes nothing). Plain
 * SQL, on a Prisma transaction or a pg connection (a bank payment completing the plan).
 */
export async function movePlan(
  tx: Conn,
  plan: { id: string; status: PlanStatus },
  move: PlanMove,
  role: Role,
  data: PlanMoveData = {},
  reason?: string | null,
): Promise<PlanStatus> {
  const to = checkMove(PLAN_MACHINE, plan.status, move, role, reason);
  const values: unknown[] = [plan.id, plan.status, to];
  // "updatedAt" is Prisma's @updatedAt, which Prisma sets itself: here the statement does.
  const sets = [`status = $3::"PlanStatus"`, `"updatedAt" = clock_timestamp()`];
  for (const [column, type] of Object.entries(PLAN_MOVE_COLUMNS)) {
    const value = data[column as keyof PlanMoveData];
    if (value === undefined) continue;
    values.push(value);
    sets.push(`"${column}" = $${values.length}::${type}`);
  }
  const moved = await query<{ id: string }>(
    tx,
    `UPDATE "PaymentPlan" SET ${sets.join(", ")}
     WHERE id = $1::uuid AND status = $2::"PlanStatus" RETURNING id::text`,
    values,
  );
  if (moved.length !== 1)
    throw new IllegalMoveError("wrong_state", "plan", move, plan.status, "it changed meanwhile");
  return to;
}

/** Money paid to the plan's claims since it started counting, up to and including `asOf`. */
export function paidTowardsPlan(rows: ClaimSnapshot[], countFrom: Date | null, asOf: IsoDate) {
  if (!countFrom) return 0;
  const from = isoOf(countFrom);
  let paid = 0;
  for (const row of rows)
    for (const p of row.payments) {
      const received = p.receivedOn;
      if (received >= from && received <= asOf) paid += netOfRefunds(p).amount;
    }
  return paid;
}

/** The plan's claims, oldest due date first; in a transaction, or on the pool for a page. */
export function loadPlanRows(tx: Conn | undefined, planId: string) {
  return loadClaims(tx, { planId });
}

const COUNTRY_LANGUAGE = { SE: "sv", NO: "nb" } as const;

/** A plan decision the resident must hear of, as its letter kind. */
export type PlanLetterKind = Extract<
  DecisionKind,
  | "PLAN_GRANTED"
  | "PLAN_REFUSED"
  | "PLAN_OFFERED"
  | "PLAN_CHANGED"
  | "PLAN_ENDED"
  | "PLAN_COMPLETED"
  | "PLAN_INSTALMENT_MISSED"
>;

/** A refused or ended plan's schedule is no longer the resident's: those letters do not print it. */
const WITHOUT_SCHEDULE = new Set<PlanLetterKind>(["PLAN_REFUSED", "PLAN_ENDED"]);
/** A schedule that starts now: the letter asks for its first instalment, by its due date. */
const FIRST_INSTALMENT = new Set<PlanLetterKind>(["PLAN_GRANTED", "PLAN_CHANGED"]);

/**
 * A plan decision as a letter to the resident (issue 14): pending, in the decision's own
 * transaction, going the way every letter goes (digital mailbox, email where they agreed, or
 * paper). A notice belongs to a claim, a plan to several: the letter is written once, on the
 * plan's first claim (oldest due date), with the plan's id, and the claim page lists it on every
 * claim of the plan (decision 0097). It prints the plan's current schedule, and where it asks for
 * money (a schedule that starts, a missed instalment) the amount, the day and the plan's
 * reference to pay with.
 */
export async function writePlanLetter(
  tx: Conn,
  planId: string,
  kind: PlanLetterKind,
  on: IsoDate,
  opts: {
    by: Role;
    /** The staff member's own words (a reason, the changes in an offer). */
    message?: string | null;
    /** A missed instalment: what is still owed of it, and the last day of grace. */
    missed?: { amount: number; graceUntil: IsoDate };
    /** The sweep passes its own: the command-line tool runs without the web server's environment. */
    publicUrl?: string;
  },
): Promise<void> {
  // Read again here: a decision may just have written a new schedule (a restructuring, an offer).
  // The current version's instalments, in order; a DATE in JSON is its ISO day.
  const [plan] = await query<{
    total: number;
    currency: string;
    reference: string;
    instalments: { dueOn: IsoDate; amount: number }[];
  }>(
    tx,
    `SELECT p.total, p.currency, p.reference,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('dueOn', i."dueOn", 'amount', i.amount)
                                       ORDER BY i.seq)
                      FROM "PlanInstalment" i
                      WHERE i."planId" = p.id AND i.version = p.version), '[]'::jsonb) AS instalments
     FROM "PaymentPlan" p WHERE p.id = $1::uuid`,
    [planId],
  );
  if (!plan) throw new Error(`no plan ${planId}`);
  const instalments = plan.instalments;
  const [first] = await loadPlanRows(tx, planId);
  if (!first) throw new Error(`plan ${planId} has no claims`);
  const next = FIRST_INSTALMENT.has(kind) ? instalments[0] : undefined;
  const ask = opts.missed ? { amount: opts.missed.amount } : next ? { amount: next.amount } : null;
  await writeDecisionNotice(tx, {
    claim: first,
    kind,
    on,
    by: opts.by,
    message: opts.message ?? null,
    deadline: opts.missed?.graceUntil ?? next?.dueOn ?? null,
    plan: WITHOUT_SCHEDULE.has(kind)
      ? null
      : { instalments, total: plan.total, currency: plan.currency },
    payment: ask ? { ...ask, reference: plan.reference } : null,
    planId,
    publicUrl: opts.publicUrl ?? env().PUBLIC_URL,
  });
}

/**
 * The receipt for a plan request that waits for staff, by email when the resident has an
 * address. It is not a decision (the decision comes as a letter), so it stays an email; the
 * plan's page says the same.
 */
export async function queuePlanRequestedMail(tx: Tx, plan: PaymentPlan, on: IsoDate) {
  // One after the other: a transaction is one connection, which runs one statement at a time.
  const resident = await tx.resident.findUniqueOrThrow({ where: { id: plan.residentId } });
  const creditor = await tx.creditor.findUniqueOrThrow({ where: { id: plan.creditorId } });
  if (!resident.email) return;
  const chosen = resident.language;
  const language = isLang(chosen) ? chosen : COUNTRY_LANGUAGE[creditor.country];
  const content: PlanMailContent = {
    kind: "requested",
    language,
    residentName: resident.name,
    creditorName: creditor.name,
    currency: plan.currency,
    sentOn: on,
    planUrl: new URL(`/plans/${plan.id}`, env().PUBLIC_URL).toString(),
  };
  await tx.outbox.create({
    data: {
      kind: "plan",
      to: resident.email,
      content: content as unknown as Prisma.InputJsonValue,
    },
  });
}
