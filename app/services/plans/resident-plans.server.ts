import { type PlanStatus } from "~/generated/prisma/client.ts";
import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { icsCalendar } from "~/domain/ics";
import { instalmentProgress } from "~/domain/payment-plan";
import { db } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { statementOf } from "~/domain/claim";
import { loadLawBook } from "../law/legal-figures.server";
import { loadPlanRows, OPEN_PLAN_STATUSES, paidTowardsPlan } from "./plan-core.server";
import { nextPayment } from "./plan-amounts.server";

/** The resident's plans, newest first, for the claims list and claim pages. */
export async function listResidentPlans(residentId: string) {
  const plans = await db().paymentPlan.findMany({
    where: { residentId },
    orderBy: { createdAt: "desc" },
    include: { claims: { select: { claimId: true } } },
  });
  return plans.map((p) => ({
    id: p.id,
    status: p.status,
    deferral: p.deferral,
    total: p.total,
    currency: p.currency,
    claimIds: p.claims.map((c) => c.claimId),
  }));
}

/** One plan of the resident as its page shows it; null when it is not theirs. */
export async function getResidentPlan(residentId: string, planId: string, now: Date) {
  if (!isUuid(planId)) return null;
  const plan = await db().paymentPlan.findFirst({
    where: { id: planId, residentId },
    include: { instalments: { orderBy: [{ version: "asc" }, { seq: "asc" }] } },
  });
  if (!plan) return null;
  const creditor = await db().creditor.findUniqueOrThrow({ where: { id: plan.creditorId } });
  const today = todayIn(creditor.timeZone, now);
  const law = await loadLawBook();
  const rows = await loadPlanRows(undefined, plan.id);
  const owedNow = rows
    .filter((r) => r.status === "OPEN")
    .reduce((s, r) => s + statementOf(r, law, today).balance.total, 0);
  const current = plan.instalments.filter((i) => i.version === plan.version);
  const schedule = current.map((i) => ({ dueOn: isoOf(i.dueOn), amount: i.amount }));
  // Payments up to today; a bank payment booked later (a sweep run ahead) counts when it happens.
  const paid = paidTowardsPlan(rows, plan.countFrom, "9999-12-31");
  const progress = instalmentProgress(schedule, paid).map((p, i) => ({
    ...p,
    seq: current[i]!.seq,
    remindedOn: current[i]!.remindedOn ? isoOf(current[i]!.remindedOn!) : null,
    graceUntil: current[i]!.graceUntil ? isoOf(current[i]!.graceUntil!) : null,
  }));
  const next = plan.status === "ACTIVE" ? nextPayment(schedule, paid, rows, law, today) : null;
  const events = await db().event.findMany({
    where: { residentId, data: { path: ["planId"], equals: plan.id }, claimId: null },
    orderBy: [{ occurredOn: "asc" }, { id: "asc" }],
    select: { type: true, occurredOn: true, data: true },
  });
  return {
    id: plan.id,
    status: plan.status,
    deferral: plan.deferral,
    reference: plan.reference,
    currency: plan.currency,
    owed: plan.owed,
    fee: plan.fee,
    interest: plan.interest,
    total: plan.total,
    outsideRules: plan.outsideRules,
    decisionReason: plan.decisionReason,
    endedOn: plan.endedOn ? isoOf(plan.endedOn) : null,
    endReason: plan.endReason,
    today,
    paid,
    owedNow,
    next,
    instalments: progress,
    creditor: {
      name: creditor.name,
      country: creditor.country,
      bankAccount: creditor.bankAccount,
      iban: creditor.iban,
      bic: creditor.bic,
    },
    claims: rows.map((r) => ({
      id: r.id,
      description: r.description,
      status: r.status,
      names: r.claimType.names as Record<string, string>,
      typeName: r.claimType.name,
    })),
    events: events.map((e) => ({
      type: e.type,
      occurredOn: isoOf(e.occurredOn),
      data: e.data as Record<string, unknown>,
    })),
  };
}

/**
 * The open plan a claim is in, as a SQL expression over the claim's and the resident's ids: a json
 * object or null, for `openPlanOf`. The claim page reads it in the same statement as the claim.
 */
export function openPlanOfClaimSql(claimId: string, residentId: string): string {
  const statuses = OPEN_PLAN_STATUSES.map((s) => `'${s}'`).join(", ");
  return `(SELECT json_build_object('id', p.id, 'status', p.status, 'deferral', p.deferral)
           FROM "PlanClaim" pc JOIN "PaymentPlan" p ON p.id = pc."planId"
           WHERE pc."claimId" = ${claimId} AND p."residentId" = ${residentId}
             AND p.status IN (${statuses})
           LIMIT 1)`;
}

export function openPlanOf(value: unknown) {
  return (value as { id: string; status: PlanStatus; deferral: boolean } | null) ?? null;
}

/** The plan's due dates as a calendar file (one all-day event per instalment). */
export async function planCalendar(residentId: string, planId: string, now: Date) {
  const plan = await getResidentPlan(residentId, planId, now);
  if (!plan) return null;
  return icsCalendar({
    id: `plan-${plan.id}`,
    name: plan.creditor.name,
    events: plan.instalments.map((i) => ({
      uid: `${plan.id}-${i.seq}@kravportal`,
      date: i.dueOn,
      summary: `${plan.creditor.name}: ${(i.amount / 100).toFixed(2)} ${plan.currency}`,
      description: `${plan.reference}`,
    })),
  });
}
