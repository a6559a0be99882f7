import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { statementOf, type ClaimSnapshot } from "~/domain/claim";
import { env } from "~/infra/env.server";
import type { Role } from "~/domain/state-machine";
import { writeDecisionNotice } from "../letters/decision-notices.server";
import { DISPUTE_MACHINE } from "~/domain/case-transitions";
import { rejectionDeadline, RESUME_PREFIX } from "~/domain/escalation";
import type { EventData, EventType } from "~/domain/events";
import { checkMove } from "~/domain/state-machine";
import { db, type Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { applyClaimMove } from "../claims/claim-writer.server";
import { loadClaims } from "../claims/load-claims.server";
import { recordEvent } from "../events/events.server";
import { staffActor, type StaffContext } from "./queues.server";
import { refreshNextActions, refreshResidentNextActions } from "../claims/next-action.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { bookFreedCredit } from "../payments/ledger.server";
import { staffTimeZone } from "../identity/staff-auth.server";
import { reasonGiven } from "~/domain/reason-limits";

export type Decision = "uphold" | "reject" | "ask";
type DisputeState = (typeof DISPUTE_MACHINE.states)[number];
export type DecisionResult =
  { ok: true } | { ok: false; error: "not_found" | "reason_required" | "already_decided" };

/** The fresh deadline after a rejected dispute: never under 14 days, nor the law's, nor the policy's. */
const MIN_FRESH_DEADLINE_DAYS = 14;

/** An event of a staff member's decision on a claim. */
export async function event<T extends EventType>(
  tx: Tx,
  staff: StaffContext,
  claim: { id: string; residentId: string; creditorId: string },
  type: T,
  on: string,
  data: EventData<T>,
) {
  return recordEvent(tx, {
    type,
    claimId: claim.id,
    residentId: claim.residentId,
    creditorId: claim.creditorId,
    actor: staffActor(staff).id,
    on,
    data,
  });
}

/** The decision as a letter to the resident: it goes the way every letter goes. */
function tellResident(
  tx: Tx,
  claim: ClaimSnapshot,
  kind: "DISPUTE_INFO_REQUESTED" | "DISPUTE_UPHELD" | "DISPUTE_REJECTED",
  on: IsoDate,
  by: Role,
  message: string,
  deadline: IsoDate | null = null,
) {
  return writeDecisionNotice(tx, {
    claim,
    kind,
    on,
    message,
    deadline,
    by,
    publicUrl: env().PUBLIC_URL,
  });
}

/**
 * A person decides a dispute. Uphold: the claim, or the disputed charge, is cancelled and the
 * resident is told why. Reject: the resident is told why and gets a fresh deadline of at least 14
 * days before escalation resumes. Ask: the resident is asked for information; the hold stays.
 * Each decision is also a letter to the resident (mailbox, email where agreed, or paper).
 * Every decision is a move of the dispute's table and, for an upheld one, of the claim's; each is
 * an event with who, when and why.
 */
export async function decideDispute(
  staff: StaffContext,
  input: { disputeId: string; decision: Decision; reason: string; now: Date },
): Promise<DecisionResult> {
  if (!reasonGiven(input.reason)) return { ok: false, error: "reason_required" };
  const dispute = await db().dispute.findFirst({
    where: { id: input.disputeId, claim: { creditorId: { in: staff.creditorIds } } },
    select: { id: true, claimId: true, chargeId: true, holdId: true, status: true },
  });
  if (!dispute) return { ok: false, error: "not_found" };
  if (dispute.status === "UPHELD" || dispute.status === "REJECTED")
    return { ok: false, error: "already_decided" };
  const reason = input.reason.trim();
  const law = await loadLawBook();
  const by = staffActor(staff);
  const move = input.decision === "ask" ? "ask" : input.decision;

  const decided = await db().$transaction(async (tx) => {
    const claim = (await loadClaims(tx, { ids: [dispute.claimId] }, { lock: "update" }))[0]!;
    // Two decisions at once (two agents, a double submit): the row is locked and its status read
    // again, so only the first counts and the second changes nothing.
    const [current] = await tx.$queryRaw<{ status: DisputeState }[]>`
      SELECT status::text FROM "Dispute" WHERE id = ${dispute.id}::uuid FOR UPDATE`;
    if (!current || current.status === "UPHELD" || current.status === "REJECTED") return false;
    const next = checkMove(DISPUTE_MACHINE, current.status, move, by.role, reason);
    const today = todayIn(claim.creditor.timeZone, input.now);
    if (move === "ask") {
      await tx.dispute.update({ where: { id: dispute.id }, data: { status: next } });
      await tx.disputeMessage.create({
        data: { disputeId: dispute.id, author: by.id, text: reason },
      });
      await event(tx, staff, claim, "dispute.information_requested", today, {
        disputeId: dispute.id,
        reason,
      });
      await tellResident(tx, claim, "DISPUTE_INFO_REQUESTED", today, by.role, reason);
      return true;
    }
    const releaseHold = async () => {
      await tx.hold.updateMany({
        where: { id: dispute.holdId, releasedOn: null },
        data: { releasedOn: dbDate(today) },
      });
      await event(tx, staff, claim, "hold.released", today, {
        holdId: dispute.holdId,
        kind: "DISPUTE",
        reason,
      });
    };
    const decision = { decidedAt: input.now, decidedBy: staff.staffId, decisionReason: reason };
    if (move === "uphold") {
      await tx.dispute.update({ where: { id: dispute.id }, data: { status: next, ...decision } });
      // The bill, or only the fee objected to, was wrong: a move of the claim's own table.
      await applyClaimMove(tx, {
        claim,
        by,
        on: today,
        reason,
        ...(dispute.chargeId
          ? {
              move: "cancel_fee",
              cancelCharge: { id: dispute.chargeId },
              data: { chargeId: dispute.chargeId, disputeId: dispute.id },
            }
          : { move: "cancel", data: { disputeId: dispute.id } }),
      });
      await settleAfterCancelling(tx, law, claim.id, today, by);
      await event(tx, staff, claim, "dispute.upheld", today, { disputeId: dispute.id, reason });
      await tellResident(tx, claim, "DISPUTE_UPHELD", today, by.role, reason);
      await releaseHold();
    } else {
      const country = claim.creditor.country;
      const deadline = rejectionDeadline(
        claim.policy,
        law.figures(country, today),
        today,
        country,
        MIN_FRESH_DEADLINE_DAYS,
        claim.steps,
      );
      await tx.dispute.update({
        where: { id: dispute.id },
        data: { status: next, ...decision, freshDeadline: dbDate(deadline) },
      });
      const rejected = await event(tx, staff, claim, "dispute.rejected", today, {
        disputeId: dispute.id,
        reason,
        freshDeadline: deadline,
      });
      // The rejection's letter is the fresh deadline after this pause (safeguard 3): recorded as
      // the hold's resume step, so the engine gives no second one and the claim page tells one
      // story, this deadline and what follows it (docs/decisions/0102).
      await tx.claimStep.create({
        data: {
          claimId: claim.id,
          key: `${RESUME_PREFIX}${dispute.holdId}`,
          takenOn: dbDate(today),
          deadline: dbDate(deadline),
          eventId: rejected,
        },
      });
      await tellResident(tx, claim, "DISPUTE_REJECTED", today, by.role, reason, deadline);
      await releaseHold();
    }
    await refreshNextActions(tx, [claim.id], law, today);
    return true;
  });
  return decided ? { ok: true } : { ok: false, error: "already_decided" };
}

/**
 * A fee, or the whole claim, cancelled after payments: what was paid on a cancelled fee goes to
 * what is still owed; what nothing is owed for any more (on a cancelled claim, everything paid)
 * is credit, booked with a refund task (never only a figure on the page); and an open claim that
 * then owes nothing closes as paid, like any claim paid in full.
 */
async function settleAfterCancelling(
  tx: Tx,
  law: LawBook,
  claimId: string,
  today: IsoDate,
  by: ReturnType<typeof staffActor>,
) {
  const [after] = await loadClaims(tx, { ids: [claimId] });
  if (!after || after.payments.length === 0) return;
  await bookFreedCredit(tx, law, after, today, by.id);
  const [now] = await loadClaims(tx, { ids: [claimId] });
  if (now!.status === "OPEN" && statementOf(now!, law, today).balance.total === 0)
    await applyClaimMove(tx, { claim: now!, move: "pay_in_full", by, on: today });
}

/** Resolves a vulnerability flag, recording whether a concern went to social services. */
export async function resolveFlag(
  staff: StaffContext,
  input: { flagId: string; resolution: string; sentToSocialServices: boolean; now: Date },
) {
  if (!reasonGiven(input.resolution)) return { ok: false as const, error: "reason_required" };
  const flag = await db().vulnerabilityFlag.findFirst({
    where: {
      id: input.flagId,
      resolvedAt: null,
      resident: { claims: { some: { creditorId: { in: staff.creditorIds } } } },
    },
    include: {
      resident: { include: { claims: { where: { status: "OPEN" }, include: { creditor: true } } } },
    },
  });
  if (!flag) return { ok: false as const, error: "not_found" };
  const law = await loadLawBook();
  // The resident's claims are the staff member's creditors'; their office's day counts.
  const zone = flag.resident.claims[0]?.creditor.timeZone ?? (await staffTimeZone(staff));
  const today = todayIn(zone, input.now);
  await db().$transaction(async (tx) => {
    await tx.vulnerabilityFlag.update({
      where: { id: flag.id },
      data: {
        resolvedAt: input.now,
        resolution: `${input.resolution.trim()}${input.sentToSocialServices ? " [concern sent to social services]" : ""}`,
      },
    });
    await recordEvent(tx, {
      residentId: flag.residentId,
      type: "flag.resolved",
      actor: `staff:${staff.staffId}`,
      on: today,
      data: { flagId: flag.id, sentToSocialServices: input.sentToSocialServices },
    });
    await refreshResidentNextActions(tx, flag.residentId, law, input.now);
  });
  return { ok: true as const };
}
