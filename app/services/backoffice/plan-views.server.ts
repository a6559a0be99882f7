import { compareDates, todayIn, type IsoDate } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { firstUnpaid, instalmentProgress } from "~/domain/payment-plan";
import { db } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import type { StaffContext } from "./queues.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { loadPlanRows, paidTowardsPlan } from "../plans/plan-core.server";
import { nextPayment, owedOn } from "../plans/plan-amounts.server";

export type PlanHealth = "on_track" | "overdue" | "in_grace";

export const mine = (staff: StaffContext) => ({ creditorId: { in: staff.creditorIds } });

async function health(
  law: LawBook,
  planId: string,
  version: number,
  countFrom: Date | null,
  today: IsoDate,
) {
  const rows = await loadPlanRows(undefined, planId);
  const instalments = await db().planInstalment.findMany({
    where: { planId, version },
    orderBy: { seq: "asc" },
  });
  const schedule = instalments.map((i) => ({ dueOn: isoOf(i.dueOn), amount: i.amount }));
  const paid = paidTowardsPlan(rows, countFrom, today);
  const unpaid = firstUnpaid(schedule, paid);
  const owed = owedOn(rows, law, today);
  let state: PlanHealth = "on_track";
  if (unpaid && compareDates(unpaid.dueOn, today) < 0)
    state = instalments[unpaid.index]?.remindedOn ? "in_grace" : "overdue";
  return {
    state,
    paid,
    owed,
    paidInstalments: instalmentProgress(schedule, paid).filter((p) => p.settled).length,
    instalments: schedule.length,
    // The same amount the resident's page, letter and calendar ask for (decision 0100).
    next: nextPayment(schedule, paidTowardsPlan(rows, countFrom, "9999-12-31"), rows, law, today),
  };
}

/** Requests outside the rules waiting for a person, oldest first. */
export async function planRequests(staff: StaffContext) {
  const plans = await db().paymentPlan.findMany({
    where: { ...mine(staff), status: "REQUESTED" },
    orderBy: { createdAt: "asc" },
    include: { resident: { select: { name: true } } },
  });
  return plans.map((p) => ({
    id: p.id,
    residentName: p.resident.name,
    total: p.total,
    currency: p.currency,
    deferral: p.deferral,
    outsideRules: p.outsideRules,
    since: p.createdAt,
  }));
}

/** Active and offered plans with their health: on track, overdue, or in the grace period. */
export async function activePlans(staff: StaffContext, now: Date) {
  const plans = await db().paymentPlan.findMany({
    where: { ...mine(staff), status: { in: ["ACTIVE", "OFFERED"] } },
    orderBy: { createdAt: "asc" },
    include: { resident: { select: { name: true } } },
  });
  const law = await loadLawBook();
  const zones = new Map(
    (await db().creditor.findMany({ where: { id: { in: staff.creditorIds } } })).map((c) => [
      c.id,
      c.timeZone,
    ]),
  );
  return Promise.all(
    plans.map(async (p) => ({
      id: p.id,
      status: p.status,
      residentName: p.resident.name,
      currency: p.currency,
      total: p.total,
      ...(await health(
        law,
        p.id,
        p.version,
        p.countFrom,
        todayIn(zones.get(p.creditorId) ?? "Europe/Stockholm", now),
      )),
    })),
  );
}

/** One plan of the staff member's creditors, with its schedule, claims and history. */
export async function staffPlanView(staff: StaffContext, planId: string, now: Date) {
  if (!isUuid(planId)) return null;
  const plan = await db().paymentPlan.findFirst({
    where: { id: planId, ...mine(staff) },
    include: {
      resident: { select: { name: true } },
      instalments: { orderBy: [{ version: "desc" }, { seq: "asc" }] },
      claims: {
        include: {
          claim: {
            select: { id: true, externalId: true, description: true, stage: true, status: true },
          },
        },
      },
    },
  });
  if (!plan) return null;
  const creditor = await db().creditor.findUniqueOrThrow({ where: { id: plan.creditorId } });
  const today = todayIn(creditor.timeZone, now);
  const law = await loadLawBook();
  const events = await db().event.findMany({
    where: { data: { path: ["planId"], equals: plan.id }, claimId: null },
    orderBy: [{ occurredOn: "asc" }, { id: "asc" }],
    select: { type: true, occurredOn: true, actor: true, data: true },
  });
  return {
    id: plan.id,
    status: plan.status,
    deferral: plan.deferral,
    residentName: plan.resident.name,
    currency: plan.currency,
    owed: plan.owed,
    fee: plan.fee,
    interest: plan.interest,
    total: plan.total,
    request: plan.request as Record<string, number>,
    outsideRules: plan.outsideRules,
    decisionReason: plan.decisionReason,
    today,
    health:
      plan.status === "ACTIVE"
        ? await health(law, plan.id, plan.version, plan.countFrom, today)
        : null,
    instalments: plan.instalments
      .filter((i) => i.version === plan.version)
      .map((i) => ({
        seq: i.seq,
        dueOn: isoOf(i.dueOn),
        amount: i.amount,
        remindedOn: i.remindedOn ? isoOf(i.remindedOn) : null,
      })),
    claims: plan.claims.map((c) => c.claim),
    events: events.map((e) => ({
      type: e.type,
      occurredOn: isoOf(e.occurredOn),
      actor: e.actor.split(":")[0] ?? e.actor,
      data: e.data as Record<string, unknown>,
    })),
  };
}
