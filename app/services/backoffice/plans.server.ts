import { mine } from "./plan-views.server";
import { planBasis } from "../plans/plan-basis.server";
import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { type PlanBy } from "~/domain/payment-plan";
import { db, type Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { staffActor, type StaffContext } from "./queues.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { statementOf } from "~/domain/claim";
import {
  activatePlan,
  loadPlanRows,
  planEvent,
  releasePlanHolds,
  writeInstalments,
  movePlan,
  writePlanLetter,
} from "../plans/plan-core.server";
import { reasonGiven } from "~/domain/reason-limits";

const actorOf = (staff: StaffContext) => `staff:${staff.staffId}`;

export type PlanDecisionError =
  | "not_found"
  | "reason_required"
  | "wrong_status"
  | "bad_schedule"
  | "nothing_owed"
  | "claims_closed"
  | "paid_since_request";
export type PlanDecisionResult = { ok: true } | { ok: false; error: PlanDecisionError };

async function lockedPlan(tx: Tx, staff: StaffContext, planId: string) {
  if (!isUuid(planId)) return null;
  await tx.$queryRaw`SELECT id FROM "PaymentPlan" WHERE id = ${planId}::uuid FOR UPDATE`;
  return tx.paymentPlan.findFirst({ where: { id: planId, ...mine(staff) } });
}

/**
 * Whether staff may still decide on the plan's money (issue 15): a plan whose claims are all paid
 * or closed has nothing left to plan (approving it once mailed a resident to pay 6.94 kr for a
 * bill they had paid). Approving as asked needs more: the schedule was drawn up for what the
 * claims owed on the day of the request, so a claim paid or closed since, or money paid on them
 * since, makes it wrong; a changed schedule (an offer, a restructuring) is drawn up afresh for
 * the claims still open.
 */
async function settledCheck(
  tx: Tx,
  law: LawBook,
  plan: { id: string; owed: number },
  today: IsoDate,
  asAsked: boolean,
): Promise<PlanDecisionError | null> {
  const rows = await loadPlanRows(tx, plan.id);
  const open = rows.filter((r) => r.status === "OPEN");
  if (open.length === 0) return "claims_closed";
  if (!asAsked) return null;
  if (open.length < rows.length) return "claims_closed";
  const owed = open.reduce((s, r) => s + statementOf(r, law, today).balance.total, 0);
  return owed < plan.owed ? "paid_since_request" : null;
}

async function todayOf(creditorId: string, now: Date) {
  const c = await db().creditor.findUniqueOrThrow({ where: { id: creditorId } });
  return todayIn(c.timeZone, now);
}

/** A new schedule for the plan's open claims (staff's changes or a restructuring), as a new version. */
async function reschedule(
  tx: Tx,
  law: LawBook,
  plan: NonNullable<Awaited<ReturnType<typeof lockedPlan>>>,
  by: PlanBy,
  today: IsoDate,
  chargeFee: boolean,
): Promise<{ ok: true } | { ok: false; error: PlanDecisionError }> {
  const links = await tx.planClaim.findMany({
    where: { planId: plan.id, claim: { status: "OPEN" } },
    select: { claimId: true },
  });
  const basis = await planBasis(tx, law, {
    residentId: plan.residentId,
    claimIds: links.map((l) => l.claimId),
    by,
    today,
    replacing: { planId: plan.id, chargeFee },
  });
  if (!basis.ok)
    return { ok: false, error: basis.error === "nothing_owed" ? "nothing_owed" : "bad_schedule" };
  const s = basis.basis.schedule;
  const version = plan.version + 1;
  await tx.paymentPlan.update({
    where: { id: plan.id },
    data: {
      version,
      owed: s.owed,
      fee: s.fee,
      interest: s.interest,
      total: s.total,
      deferral: s.deferral,
    },
  });
  await writeInstalments(tx, plan.id, version, s);
  return { ok: true };
}

/**
 * A person decides a plan request outside the rules: approve it as asked, approve it with
 * changes the resident must accept (an offer), or refuse it with a reason. A refusal lifts the
 * request's hold: the claims get a fresh deadline before escalation goes on.
 */
export async function decidePlanRequest(
  staff: StaffContext,
  input: {
    planId: string;
    decision: "approve" | "offer" | "refuse";
    reason: string;
    by?: PlanBy | null;
    now: Date;
  },
): Promise<PlanDecisionResult> {
  const reason = input.reason.trim();
  if (input.decision !== "approve" && !reasonGiven(reason))
    return { ok: false, error: "reason_required" };
  if (input.decision === "offer" && !input.by) return { ok: false, error: "bad_schedule" };
  const law = await loadLawBook();
  const actor = actorOf(staff);
  const role = staffActor(staff).role;
  return db().$transaction(async (tx) => {
    const plan = await lockedPlan(tx, staff, input.planId);
    if (!plan) return { ok: false as const, error: "not_found" as const };
    if (plan.status !== "REQUESTED") return { ok: false as const, error: "wrong_status" as const };
    const today = await todayOf(plan.creditorId, input.now);
    if (input.decision !== "refuse") {
      const settled = await settledCheck(tx, law, plan, today, input.decision === "approve");
      if (settled) return { ok: false as const, error: settled };
    }
    const decided = { decidedBy: actor, decisionReason: reason || null };
    if (input.decision === "approve") {
      await tx.paymentPlan.update({ where: { id: plan.id }, data: decided });
      await activatePlan(tx, law, plan, today, actor, "approve", role);
      await planEvent(tx, plan, "plan.approved", actor, today, { reason: reason || null });
      await writePlanLetter(tx, plan.id, "PLAN_GRANTED", today, {
        by: role,
        message: reason || null,
      });
      return { ok: true as const };
    }
    if (input.decision === "offer") {
      const changed = await reschedule(tx, law, plan, input.by!, today, true);
      if (!changed.ok) return changed;
      await movePlan(tx, plan, "offer", role, decided, reason);
      await planEvent(tx, plan, "plan.offered", actor, today, { reason, by: input.by });
      await writePlanLetter(tx, plan.id, "PLAN_OFFERED", today, { by: role, message: reason });
      return { ok: true as const };
    }
    await movePlan(
      tx,
      plan,
      "refuse",
      role,
      { ...decided, endedOn: today, endReason: "refused" },
      reason,
    );
    // The letter first: the claims' next look, taken when the holds go, then waits for it.
    await writePlanLetter(tx, plan.id, "PLAN_REFUSED", today, { by: role, message: reason });
    await releasePlanHolds(tx, law, plan.id, today, "plan request refused", actor);
    await planEvent(tx, plan, "plan.refused", actor, today, { reason });
    return { ok: true as const };
  });
}

/** Staff end an active plan with a reason; escalation resumes with a fresh deadline. */
export async function endPlan(
  staff: StaffContext,
  input: { planId: string; reason: string; now: Date },
): Promise<PlanDecisionResult> {
  const reason = input.reason.trim();
  if (!reasonGiven(reason)) return { ok: false, error: "reason_required" };
  const law = await loadLawBook();
  const actor = actorOf(staff);
  return db().$transaction(async (tx) => {
    const plan = await lockedPlan(tx, staff, input.planId);
    if (!plan) return { ok: false as const, error: "not_found" as const };
    if (plan.status !== "ACTIVE" && plan.status !== "OFFERED")
      return { ok: false as const, error: "wrong_status" as const };
    const today = await todayOf(plan.creditorId, input.now);
    await movePlan(
      tx,
      plan,
      "end",
      staffActor(staff).role,
      { endedOn: today, endReason: "staff", decisionReason: reason, decidedBy: actor },
      reason,
    );
    await writePlanLetter(tx, plan.id, "PLAN_ENDED", today, {
      by: staffActor(staff).role,
      message: reason,
    });
    await releasePlanHolds(tx, law, plan.id, today, "plan ended by staff", actor);
    await planEvent(tx, plan, "plan.ended", actor, today, { reason: "staff", words: reason });
    return { ok: true as const };
  });
}

/**
 * Staff restructure an active plan: what the claims owe today, on a new schedule (no second
 * fee), counted from today; earlier versions stay on record.
 */
export async function restructurePlan(
  staff: StaffContext,
  input: { planId: string; by: PlanBy; reason: string; now: Date },
): Promise<PlanDecisionResult> {
  const reason = input.reason.trim();
  if (!reasonGiven(reason)) return { ok: false, error: "reason_required" };
  const law = await loadLawBook();
  const actor = actorOf(staff);
  return db().$transaction(async (tx) => {
    const plan = await lockedPlan(tx, staff, input.planId);
    if (!plan) return { ok: false as const, error: "not_found" as const };
    if (plan.status !== "ACTIVE") return { ok: false as const, error: "wrong_status" as const };
    const today = await todayOf(plan.creditorId, input.now);
    const settled = await settledCheck(tx, law, plan, today, false);
    if (settled) return { ok: false as const, error: settled };
    const changed = await reschedule(tx, law, plan, input.by, today, false);
    if (!changed.ok) return changed;
    await tx.paymentPlan.update({
      where: { id: plan.id },
      data: { countFrom: dbDate(today), decisionReason: reason, decidedBy: actor },
    });
    await planEvent(tx, plan, "plan.restructured", actor, today, { reason, by: input.by });
    await writePlanLetter(tx, plan.id, "PLAN_CHANGED", today, {
      by: staffActor(staff).role,
      message: reason,
    });
    return { ok: true as const };
  });
}
