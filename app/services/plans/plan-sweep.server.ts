import { compareDates, deadlineFrom, type IsoDate } from "~/domain/calendar-date";
import { firstUnpaid } from "~/domain/payment-plan";
import { db } from "~/infra/db.server";
import { dbDate, isoOf } from "~/infra/db-dates.server";
import { statementOf } from "~/domain/claim";
import type { LawBook } from "../law/legal-figures.server";
import { completePlan } from "./plan-completion.server";
import {
  OPEN_PLAN_STATUSES,
  loadPlanRows,
  paidTowardsPlan,
  planEvent,
  releasePlanHolds,
  movePlan,
  writePlanLetter,
} from "./plan-core.server";

export type PlanSweepSummary = { reminded: number; ended: number; completed: number };

/**
 * The daily look at active plans, before the claims are swept: a plan whose claims are all paid
 * is complete; an instalment unpaid after its due date gets one reminder with a grace period;
 * still unpaid after the grace period, the plan ends and its holds are lifted, so the claim sweep
 * gives each claim a fresh deadline from where it stood. Each of these is a letter to the
 * resident (`PLAN_COMPLETED`, `PLAN_INSTALMENT_MISSED`, `PLAN_ENDED`) on the plan's first claim,
 * whose fresh deadline therefore follows once that letter has left (the engine steps past no
 * letter that has not). One transaction per plan, locked; a re-run on the same day finds nothing
 * left to do.
 */
export async function sweepPlans(opts: {
  asOf: IsoDate;
  creditorId: string | null;
  law: LawBook;
  publicUrl: string;
}): Promise<PlanSweepSummary> {
  const summary: PlanSweepSummary = { reminded: 0, ended: 0, completed: 0 };
  const plans = await db().paymentPlan.findMany({
    where: {
      // Active plans, and a request or an offer only when it was left on closed claims.
      OR: [
        { status: "ACTIVE" },
        {
          status: { in: [...OPEN_PLAN_STATUSES] },
          claims: { none: { claim: { status: "OPEN" } } },
        },
      ],
      ...(opts.creditorId ? { creditorId: opts.creditorId } : {}),
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  for (const { id } of plans) {
    const outcome = await db().$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM "PaymentPlan" WHERE id = ${id}::uuid
          AND status IN ('REQUESTED', 'OFFERED', 'ACTIVE')
        FOR UPDATE SKIP LOCKED`;
      if (locked.length === 0) return null;
      const plan = await tx.paymentPlan.findUniqueOrThrow({
        where: { id },
        include: { instalments: { orderBy: { seq: "asc" } } },
      });
      const creditor = await tx.creditor.findUniqueOrThrow({ where: { id: plan.creditorId } });
      const rows = await loadPlanRows(tx, id);
      const asOf = opts.asOf;
      if (plan.countFrom && compareDates(asOf, isoOf(plan.countFrom)) < 0) return null;

      // A payment completes its plan at once; this catches one left behind (claims closed by a
      // cancellation or a write-off, or paid before that rule existed), whatever its open status.
      if (rows.every((r) => r.status !== "OPEN")) {
        await completePlan(tx, opts.law, plan, asOf, { publicUrl: opts.publicUrl });
        return "completed" as const;
      }
      if (plan.status !== "ACTIVE") return null;

      const current = plan.instalments.filter((i) => i.version === plan.version);
      const schedule = current.map((i) => ({ dueOn: isoOf(i.dueOn), amount: i.amount }));
      const paid = paidTowardsPlan(rows, plan.countFrom, asOf);
      const owed = rows
        .filter((r) => r.status === "OPEN")
        .reduce((s, r) => s + statementOf(r, opts.law, asOf).balance.total, 0);
      // Every instalment paid but something still owed (interest was an estimate): the last
      // instalment is not done until the claims are.
      const open = firstUnpaid(schedule, paid);
      const unpaid =
        open ??
        (owed > 0 && current.length > 0
          ? { index: current.length - 1, ...schedule.at(-1)!, paid: 0, settled: false }
          : null);
      if (!unpaid || compareDates(unpaid.dueOn, asOf) >= 0) return null;
      const instalment = current[unpaid.index]!;
      const last = unpaid.index === current.length - 1;
      const due = open && !last ? Math.min(unpaid.amount - unpaid.paid, owed) : owed;

      if (!instalment.remindedOn) {
        const graceUntil = deadlineFrom(asOf, plan.graceDays, creditor.country);
        await tx.planInstalment.update({
          where: { id: instalment.id },
          data: { remindedOn: dbDate(asOf), graceUntil: dbDate(graceUntil) },
        });
        await planEvent(tx, plan, "plan.instalment_missed", "system", asOf, {
          seq: instalment.seq,
          dueOn: unpaid.dueOn,
          amount: due,
          graceUntil,
        });
        await writePlanLetter(tx, id, "PLAN_INSTALMENT_MISSED", asOf, {
          by: "system",
          missed: { amount: due, graceUntil },
          publicUrl: opts.publicUrl,
        });
        return "reminded" as const;
      }
      if (compareDates(asOf, isoOf(instalment.graceUntil!)) <= 0) return null;

      await movePlan(
        tx,
        plan,
        "end",
        "system",
        { endedOn: asOf, endReason: "missed_instalment" },
        "missed_instalment",
      );
      await writePlanLetter(tx, id, "PLAN_ENDED", asOf, {
        by: "system",
        publicUrl: opts.publicUrl,
      });
      await releasePlanHolds(tx, opts.law, id, asOf, "plan ended: instalment unpaid", "system");
      await planEvent(tx, plan, "plan.ended", "system", asOf, {
        reason: "missed_instalment",
        seq: instalment.seq,
      });
      return "ended" as const;
    });
    if (outcome) summary[outcome] += 1;
  }
  return summary;
}
