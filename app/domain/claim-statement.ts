import { accruedInterest, type PrincipalSegment, type RatePeriod } from "./interest";
import {
  categoryOf,
  claimBalance,
  DEFAULT_ALLOCATION_ORDER,
  type AllocationOrder,
  type BalanceCategory,
  type CategoryAmounts,
  type ChargeKind,
} from "./balance";
import { addDays, compareDates, maxDate, type Country, type IsoDate } from "./calendar-date";

export type StatementCharge = {
  kind: ChargeKind;
  amount: number;
  chargedOn: IsoDate;
  causeType: string;
  legalBasis: string;
};

export type StatementPayment = {
  /** What the payment pays on the claim: its booked credit and anything refunded are not in it. */
  amount: number;
  receivedOn: IsoDate;
  method: string;
  allocations: Partial<Record<BalanceCategory, number>>;
  /** Booked credit of the payment not given back yet: each has a refund task. */
  credit?: number;
  /** Interest waived when this payment settled the claim (docs/decisions/0099). */
  waived?: number;
  /** The payment's id, where the statement is made from stored payments. */
  id?: string;
};

export type StatementLine =
  | ({ type: "charge" } & StatementCharge)
  | {
      type: "interest";
      kind: "INTEREST";
      amount: number;
      from: IsoDate;
      to: IsoDate;
      legalBasis: string;
      causeType: "interest.accrued";
      periods: { from: IsoDate; to: IsoDate; basisPoints: number }[];
    };

export type ClaimStatement = {
  lines: StatementLine[];
  payments: StatementPayment[];
  /**
   * Payments of which the statement cannot place everything any more (a fee cancelled after it
   * was paid, a payment dated earlier booked after them): how much, and which recorded
   * allocations found nothing left to pay. Empty while every split fits; the ledger books what is
   * here as credit with a refund task (`bookFreedCredit`).
   */
  unabsorbed: { payment: StatementPayment; overflow: number; excess: CategoryAmounts }[];
  balance: {
    principal: number;
    fees: number;
    interest: number;
    total: number;
    paid: number;
    /**
     * Money the statement cannot absorb that no booking has recorded as credit. Every payment's
     * excess is booked as credit with a refund task when it lands (and again when a later change,
     * such as a cancelled fee, frees money), so this is zero; it is never shown to a resident as
     * money to be paid back. See `refundDue` for that.
     */
    credit: number;
    /** Booked credit not given back yet, every krone of it with a refund task: "we will pay this back". */
    refundDue: number;
    /** Interest waived by settling payments. */
    waived: number;
    /**
     * What was left when the claim was written off (decision 0106): no longer owed, never paid.
     * Only on a written-off claim's statement; its principal, fees, interest and total are then 0.
     */
    writtenOff?: number;
  };
};

/**
 * Everything a claim consists of on a given day: each charge, the interest accrued so far, the
 * payments, and what is left. The resident's page and the creditor's API both read this one
 * function, so they cannot disagree.
 */
export function claimStatement(input: {
  country: Country;
  dueOn: IsoDate;
  today: IsoDate;
  chargesInterest: boolean;
  charges: StatementCharge[];
  payments: StatementPayment[];
  rates: RatePeriod[];
  order?: AllocationOrder;
}): ClaimStatement {
  const charges = [...input.charges].sort((a, b) => compareDates(a.chargedOn, b.chargedOn));
  const payments = [...input.payments].sort((a, b) => compareDates(a.receivedOn, b.receivedOn));
  const lines: StatementLine[] = charges.map((c) => ({ type: "charge", ...c }));

  // Interest runs at least to the last payment's day: the ledger split that payment over what was
  // owed on its own day, so a statement read earlier (a bank entry dated ahead, a creditor's day
  // behind the booking's) must not count less interest than that split paid, or the difference
  // would show as money to pay back that nobody booked.
  const lastPaid = payments.at(-1)?.receivedOn;
  const asOf = lastPaid !== undefined ? maxDate(input.today, lastPaid) : input.today;
  let interest = 0;
  if (input.chargesInterest && compareDates(asOf, input.dueOn) > 0) {
    const result = accruedInterest({
      dueOn: input.dueOn,
      asOf,
      principal: principalSegments(charges, payments, input.dueOn),
      rates: input.rates,
    });
    interest = result.total;
    lines.push({
      type: "interest",
      kind: "INTEREST",
      amount: interest,
      // Interest runs from the day after the due date: that is the first day the resident is late.
      from: addDays(input.dueOn, 1),
      to: asOf,
      legalBasis: `${input.country.toLowerCase()}.late_interest`,
      causeType: "interest.accrued",
      periods: mergePeriods(result.periods),
    });
  }

  const balance = claimBalance({
    charges: charges.map((c) => ({ kind: c.kind, amount: c.amount })),
    accruedInterest: interest,
    payments: payments.map((p) => ({
      amount: p.amount,
      allocations: p.allocations,
      ...(p.waived ? { waived: p.waived } : {}),
    })),
    order: input.order ?? DEFAULT_ALLOCATION_ORDER,
  });
  const refundDue = payments.reduce((s, p) => s + Math.max(0, p.credit ?? 0), 0);
  const { byPayment, ...sums } = balance;
  const unabsorbed = payments.flatMap((payment, i) => {
    const { overflow, excess } = byPayment[i]!;
    return overflow > 0 ? [{ payment, overflow, excess }] : [];
  });
  // The balance also carries claimBalance's `allocated` (the split it applied), for the tests.
  return { lines, payments, unabsorbed, balance: { ...sums, refundDue } };
}

/**
 * Outstanding principal as a step function: interest runs only on what is still unpaid.
 *
 * A payment lowers the principal from the day after it arrived. The ledger splits a payment
 * over what is owed on its day, and that includes the day's own interest on the principal as it
 * stood that morning (`accruedInterest` counts `asOf` itself). Lowering it from the payment day
 * instead took that day's interest on the paid part back out of the statement after the ledger
 * had booked it: the stored split then asked for more interest than the statement showed, the
 * excess went to principal (a 1,000.00 payment lowered the balance by 1,000.32), and a claim paid
 * exactly as asked showed a few öre of credit that nobody had booked or would refund.
 */
function principalSegments(
  charges: StatementCharge[],
  payments: StatementPayment[],
  dueOn: IsoDate,
): PrincipalSegment[] {
  const principal = charges
    .filter((c) => categoryOf(c.kind) === "principal")
    .reduce((sum, c) => sum + c.amount, 0);
  const segments: PrincipalSegment[] = [{ from: dueOn, amount: principal }];
  let outstanding = principal;
  for (const p of payments) {
    const paid = p.allocations.principal ?? 0;
    if (paid <= 0) continue;
    outstanding = Math.max(0, outstanding - paid);
    const from = addDays(p.receivedOn, 1);
    const last = segments[segments.length - 1];
    if (last && compareDates(from, last.from) <= 0) last.amount = outstanding;
    else segments.push({ from, amount: outstanding });
  }
  return segments;
}

/** One row per rate, not per principal change: what a resident needs to check the figure. */
function mergePeriods(periods: { from: IsoDate; to: IsoDate; basisPoints: number }[]) {
  const merged: { from: IsoDate; to: IsoDate; basisPoints: number }[] = [];
  for (const p of periods) {
    const last = merged[merged.length - 1];
    if (last && last.basisPoints === p.basisPoints) last.to = p.to;
    else merged.push({ from: p.from, to: p.to, basisPoints: p.basisPoints });
  }
  return merged;
}
