import { todayIn } from "~/domain/calendar-date";
import { activeHoldsOf, statementOf, type ClaimSnapshot } from "~/domain/claim";
import { CLAIM_MACHINE } from "~/domain/claim-transitions";
import { isUuid } from "~/domain/ids";
import { loweredOnOf, staffWriteOffBlock } from "~/domain/write-off";
import { db, type Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { env } from "~/infra/env.server";
import { applyClaimMove } from "../claims/claim-writer.server";
import { loadClaims } from "../claims/load-claims.server";
import { refreshNextActions } from "../claims/next-action.server";
import { splitOf, writeOffClaim } from "../escalation/write-offs.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { bookFreedCredit } from "../payments/ledger.server";
import { staffActor, type StaffContext } from "./queues.server";
import { REASON_MIN } from "~/domain/reason-limits";

/*
 * Staff write off a whole claim, or one fee of it, with a reason (issue 16, decision 0106). Only
 * the roles the claim table's `write_off` names (supervisors and admins); never while a payment is
 * on its way, nor on a claim in an active plan; never on a closed claim. A fee written off is no
 * longer owed and never paid: what was paid on it goes to what is still owed, any money nothing is
 * owed for any more is booked as credit with a refund task, and a claim that then owes nothing
 * closes as paid (as after a cancelled fee).
 */

export type WriteOffError =
  | "not_found"
  | "not_allowed"
  | "reason_required"
  | "closed"
  | "nothing_owed"
  | "payment_pending"
  | "in_plan"
  | "charge_not_found"
  | "not_queued";

export type WriteOffResult = { ok: true } | { ok: false; error: WriteOffError };

/** Whether the staff member's role may write off at all (the case view shows the forms). */
export const canWriteOff = (staff: Pick<StaffContext, "role">): boolean =>
  (CLAIM_MACHINE.moves.write_off.by as readonly string[]).includes(staff.role.toLowerCase());

type Checked =
  | { ok: false; error: WriteOffError }
  | { ok: true; claim: ClaimSnapshot; today: string; reason: string };

/** The claim locked, and every refusal checked on it inside the transaction. */
async function checked(
  tx: Tx,
  law: LawBook,
  staff: StaffContext,
  claimId: string,
  reason: string,
  now: Date,
): Promise<Checked> {
  const [claim] = await loadClaims(
    tx,
    { creditorIds: staff.creditorIds, claimId },
    { lock: "update" },
  );
  if (!claim) return { ok: false, error: "not_found" };
  if (claim.status !== "OPEN") return { ok: false, error: "closed" };
  const today = todayIn(claim.creditor.timeZone, now);
  const block = staffWriteOffBlock(activeHoldsOf(claim, today).map((h) => h.kind));
  if (block) return { ok: false, error: block };
  return { ok: true, claim, today, reason };
}

async function guarded(
  staff: StaffContext,
  input: { claimId: string; reason: string; now: Date },
  act: (tx: Tx, law: LawBook, c: Extract<Checked, { ok: true }>) => Promise<WriteOffError | null>,
): Promise<WriteOffResult> {
  if (!isUuid(input.claimId)) return { ok: false, error: "not_found" };
  if (!canWriteOff(staff)) return { ok: false, error: "not_allowed" };
  const reason = input.reason.trim();
  if (reason.length < REASON_MIN) return { ok: false, error: "reason_required" };
  const law = await loadLawBook();
  return db().$transaction(async (tx) => {
    const c = await checked(tx, law, staff, input.claimId, reason, input.now);
    if (!c.ok) return c;
    const error = await act(tx, law, c);
    return error ? { ok: false as const, error } : { ok: true as const };
  });
}

/** A supervisor writes off what is left of a claim: closed, with a letter to the resident. */
export function staffWriteOffClaim(
  staff: StaffContext,
  input: { claimId: string; reason: string; now: Date },
): Promise<WriteOffResult> {
  return guarded(staff, input, async (tx, law, { claim, today, reason }) => {
    const { balance } = statementOf(claim, law, today);
    const amount = balance.total;
    if (amount <= 0) return "nothing_owed";
    await writeOffClaim(tx, {
      claim,
      by: staffActor(staff),
      on: today,
      reason,
      amount,
      allocations: splitOf(balance),
      publicUrl: env().PUBLIC_URL,
    });
    return null;
  });
}

/** A supervisor writes off one fee (never the principal, never one already cancelled). */
export function staffWriteOffFee(
  staff: StaffContext,
  input: { claimId: string; chargeId: string; reason: string; now: Date },
): Promise<WriteOffResult> {
  return guarded(staff, input, async (tx, law, { claim, today, reason }) => {
    const charge = claim.charges.find(
      (c) => c.id === input.chargeId && c.kind !== "PRINCIPAL" && !c.cancelledOn && !c.pending,
    );
    if (!charge) return "charge_not_found";
    const by = staffActor(staff);
    await applyClaimMove(tx, {
      claim,
      move: "write_off_fee",
      by,
      on: today,
      reason,
      cancelCharge: { id: charge.id },
      data: { chargeId: charge.id, kind: charge.kind, amount: charge.amount },
    });
    const [after] = await loadClaims(tx, { ids: [claim.id] });
    // What was paid on the fee now pays what is still owed; what nothing is owed for is credit,
    // booked with its refund task; a claim that owes nothing more is paid (as after cancel_fee).
    if (after!.payments.length > 0) await bookFreedCredit(tx, law, after!, today, by.id);
    const [now] = await loadClaims(tx, { ids: [claim.id] });
    if (statementOf(now!, law, today).balance.total === 0)
      await applyClaimMove(tx, { claim: now!, move: "pay_in_full", by, on: today });
    else await refreshNextActions(tx, [claim.id], law, today);
    return null;
  });
}

/** Whether the staff member's role may answer "keep collecting" (the claim table's move). */
export const canKeepCollecting = (staff: Pick<StaffContext, "role">): boolean =>
  (CLAIM_MACHINE.moves.keep_collecting.by as readonly string[]).includes(staff.role.toLowerCase());

/**
 * A supervisor answers a queued small balance with "keep collecting", with a reason: the queue
 * task is done and the claim's steps go on. The balance is passed by (`keepCollectingSince`, the
 * day it last became lower) until a payment or a correction lowers it again; then it is small anew
 * and the next sweep queues it again. A balance that grows is simply no longer small.
 */
export async function staffKeepCollecting(
  staff: StaffContext,
  input: { claimId: string; reason: string; now: Date },
): Promise<WriteOffResult> {
  if (!isUuid(input.claimId)) return { ok: false, error: "not_found" };
  if (!canKeepCollecting(staff)) return { ok: false, error: "not_allowed" };
  const reason = input.reason.trim();
  if (reason.length < REASON_MIN) return { ok: false, error: "reason_required" };
  const law = await loadLawBook();
  return db().$transaction(async (tx) => {
    const [claim] = await loadClaims(
      tx,
      { creditorIds: staff.creditorIds, claimId: input.claimId },
      { lock: "update" },
    );
    if (!claim) return { ok: false as const, error: "not_found" as const };
    if (claim.status !== "OPEN") return { ok: false as const, error: "closed" as const };
    const tasks = await tx.staffTask.findMany({
      where: { claimId: claim.id, kind: "WRITE_OFF", status: "OPEN" },
      select: { id: true, data: true },
    });
    const from = CLAIM_MACHINE.moves.keep_collecting.from as readonly string[];
    if (tasks.length === 0 || !from.includes(claim.stage))
      return { ok: false as const, error: "not_queued" as const };
    const today = todayIn(claim.creditor.timeZone, input.now);
    const queuedSince = (tasks[0]!.data as { since?: string } | null)?.since ?? today;
    const since = loweredOnOf(claim) ?? queuedSince;
    await applyClaimMove(tx, {
      claim,
      move: "keep_collecting",
      by: staffActor(staff),
      on: today,
      reason,
      data: { amount: statementOf(claim, law, today).balance.total, since },
    });
    await tx.claim.update({
      where: { id: claim.id },
      data: { keepCollectingSince: dbDate(since) },
    });
    await tx.staffTask.updateMany({
      where: { id: { in: tasks.map((t) => t.id) }, status: "OPEN" },
      data: { status: "DONE", doneAt: input.now },
    });
    await refreshNextActions(tx, [claim.id], law, today);
    return { ok: true as const };
  });
}
