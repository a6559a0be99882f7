import { accruedInterest, type PrincipalSegment, type RatePeriod } from "./interest";
import {
  categoryOf,
  claimBalance,
  DEFAULT_ALLOCATION_ORDER,
  type AllocationOrder,
  type BalanceCategory,
  type ChargeKind,
} from "./balance";
import { addDays, compareDates, type Country, type IsoDate } from "./calendar-date";

export type StatementCharge = {
  kind: ChargeKind;
  amount: number;
  chargedOn: IsoDate;
  causeType: string;
  legalBasis: string;
};

export type StatementPayment = {
  amount: number;
  receivedOn: IsoDate;
  method: string;
  allocations: Partial<Record<BalanceCategory, number>>;
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
  balance: {
    principal: number;
    fees: number;
    interest: number;
    total: number;
    paid: number;
    credit: number;
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

  let interest = 0;
  if (input.chargesInterest && compareDates(input.today, input.dueOn) > 0) {
    const result = accruedInterest({
      dueOn: input.dueOn,
      asOf: input.today,
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
      to: input.today,
      legalBasis: `${input.country.toLowerCase()}.late_interest`,
      causeType: "interest.accrued",
      periods: mergePeriods(result.periods),
    });
  }

  const balance = claimBalance({
    charges: charges.map((c) => ({ kind: c.kind, amount: c.amount })),
    accruedInterest: interest,
    payments: payments.map((p) => ({ amount: p.amount, allocations: p.allocations })),
    order: input.order ?? DEFAULT_ALLOCATION_ORDER,
  });
  return { lines, payments, balance };
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
