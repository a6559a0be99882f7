import { compareDates, type IsoDate } from "~/domain/calendar-date";
import { statementOf, type ClaimSnapshot } from "~/domain/claim";
import { firstUnpaid, type Instalment, type Schedule } from "~/domain/payment-plan";
import { db, type Tx } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import type { LawBook } from "../law/legal-figures.server";
import { loadPlanRows, paidTowardsPlan } from "./plan-core.server";

/*
 * The amounts a plan asks for, from one place (issue 15: a deferral showed 4,318.33 on its page
 * and 4,403.94 in its schedule). The amount to pay by a due date is what settles the claims on
 * that day by the ledger: interest runs to the day the money is counted, so a deferral's one
 * payment includes the interest to the deferred date (decision 0100).
 */

const later = (a: IsoDate, b: IsoDate) => (compareDates(a, b) >= 0 ? a : b);

/** What the plan's open claims owe on `on` by the ledger (interest to that day, fees, principal). */
export function owedOn(rows: readonly ClaimSnapshot[], law: LawBook, on: IsoDate): number {
  return rows
    .filter((r) => r.status === "OPEN")
    .reduce((s, r) => s + statementOf(r, law, on).balance.total, 0);
}

/**
 * A deferral's schedule with its one payment at what the claims will owe on the deferred date by
 * the ledger (each claim's own interest, per dated rate, rounded as the ledger rounds), plus the
 * plan fee, which is charged when the plan starts and bears no interest. So the schedule, the
 * letter, the calendar and the plan page all ask for the same amount, and that amount paid on
 * that day leaves nothing owing. A monthly plan's schedule is left as drawn up: its later
 * payments lower the interest, and its last instalment asks for what is left (`nextPayment`).
 */
export function deferralAtLedger(
  schedule: Schedule,
  rows: readonly ClaimSnapshot[],
  law: LawBook,
): Schedule {
  const only = schedule.instalments[0];
  if (!schedule.deferral || !only || schedule.instalments.length !== 1) return schedule;
  const interest = Math.max(0, owedOn(rows, law, only.dueOn) - schedule.owed);
  const total = schedule.owed + schedule.fee + interest;
  return { ...schedule, interest, total, instalments: [{ dueOn: only.dueOn, amount: total }] };
}

export type NextPayment = {
  dueOn: IsoDate | null;
  /** The amount to pay by `dueOn`: the one amount every page, letter and calendar shows. */
  amount: number;
  last: boolean;
  /** What paying online today costs: less than `amount` when interest would run on to `dueOn`. */
  payNow: number;
};

/**
 * What to pay next: the rest of the first unpaid instalment; at the last one (a deferral's only
 * one), what the claims will owe on its due date, so paying it on that day settles them. Null
 * when nothing is owed.
 */
export function nextPayment(
  schedule: readonly Instalment[],
  paid: number,
  rows: readonly ClaimSnapshot[],
  law: LawBook,
  today: IsoDate,
): NextPayment | null {
  const owedNow = owedOn(rows, law, today);
  if (owedNow <= 0) return null;
  const unpaid = firstUnpaid(schedule, paid);
  const lastDue = schedule.at(-1)?.dueOn ?? null;
  if (!unpaid) {
    const amount = lastDue ? owedOn(rows, law, later(lastDue, today)) : owedNow;
    return { dueOn: lastDue, amount, last: true, payNow: Math.min(amount, owedNow) };
  }
  const last = unpaid.index === schedule.length - 1;
  const amount = last
    ? owedOn(rows, law, later(unpaid.dueOn, today))
    : Math.min(unpaid.amount - unpaid.paid, owedNow);
  return { dueOn: unpaid.dueOn, amount, last, payNow: Math.min(amount, owedNow) };
}

/** `nextPayment` of a stored plan (its current schedule and what was paid towards it). */
export async function planNextPayment(
  tx: Tx | undefined,
  law: LawBook,
  planId: string,
  today: IsoDate,
): Promise<NextPayment | null> {
  const conn = tx ?? db();
  const plan = await conn.paymentPlan.findUniqueOrThrow({
    where: { id: planId },
    include: { instalments: { orderBy: { seq: "asc" } } },
  });
  if (plan.status !== "ACTIVE") return null;
  const rows = await loadPlanRows(tx, planId);
  const schedule = plan.instalments
    .filter((i) => i.version === plan.version)
    .map((i) => ({ dueOn: isoOf(i.dueOn), amount: i.amount }));
  return nextPayment(
    schedule,
    paidTowardsPlan(rows, plan.countFrom, "9999-12-31"),
    rows,
    law,
    today,
  );
}
