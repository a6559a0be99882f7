/**
 * What a payment does to a claim on the day it is booked, including the one rule for a payment
 * that was asked as "the amount that settles the claim" on an earlier day (an online checkout):
 * docs/decisions/0099-a-checkout-settles-what-it-asked.md.
 *
 * Interest runs every day. A checkout asks for the balance of the day it is made (its priced
 * day); the provider confirms the money minutes or days later, and the booking day is the day of
 * that confirmation. Paid after midnight, the asked amount falls short by the interest of the
 * days in between: a few øre/öre that nobody asked the resident for, that the engine would
 * otherwise chase with a reminder and a fee.
 */
import {
  allocatePayment,
  type AllocationOrder,
  type CategoryAmounts,
  DEFAULT_ALLOCATION_ORDER,
} from "./balance";
import { compareDates, type IsoDate } from "./calendar-date";

/**
 * The most interest a settling payment may leave unpaid and have waived, per currency, in its
 * minor units: about the same worth in each (10.00 kr is one day's interest at 12.5 % on about
 * 29,000 kr). Above it, what is left stays owed and is shown. A currency not listed gets
 * DEFAULT_SETTLEMENT_TOLERANCE: one unit of it, small in any currency (docs/payments.md).
 */
export const SETTLEMENT_TOLERANCE: Readonly<Record<string, number>> = {
  NOK: 1_000, // 10.00 kr
  SEK: 1_000, // 10.00 kr
  DKK: 700, // 7.00 kr
  EUR: 100, // 1.00 €
};

/** The tolerance of a currency the map does not list: 1.00 of it. */
export const DEFAULT_SETTLEMENT_TOLERANCE = 100;

/** The settlement tolerance of a currency (ISO 4217 code, any case), in its minor units. */
export function settlementTolerance(currency: string): number {
  return SETTLEMENT_TOLERANCE[currency.toUpperCase()] ?? DEFAULT_SETTLEMENT_TOLERANCE;
}

/** A payment asked as the claim's whole balance `owed` on `pricedOn` (a checkout's item). */
export type Settles = { pricedOn: IsoDate; owed: number };

/**
 * The interest to waive when a payment is booked: the shortfall, when all of these hold —
 * - the payment was asked as the whole balance of its priced day, and pays exactly that;
 * - it is booked on a later day (booked earlier or on the day, nothing is waived: paying more
 *   than is owed is credit, refunded);
 * - what it leaves owing is no more than the interest that ran on after the priced day (not a
 *   fee that arose meanwhile, not a refund) and no more than the claim's currency's
 *   settlement tolerance (settlementTolerance).
 * Otherwise zero: a larger difference stays owed.
 */
export function settlementWaiver(input: {
  amount: number;
  /** The claim's currency: the tolerance is per currency. */
  currency: string;
  /** What the claim owes on the booking day, before this payment. */
  owed: CategoryAmounts;
  bookedOn: IsoDate;
  settles?: Settles | null;
  /** The interest the claim owed on the priced day (asked only when it matters). */
  interestOnPricedDay: () => number;
}): number {
  const { settles } = input;
  if (!settles || input.amount !== settles.owed) return 0;
  if (compareDates(input.bookedOn, settles.pricedOn) <= 0) return 0;
  const shortfall = input.owed.costs + input.owed.interest + input.owed.principal - input.amount;
  if (shortfall <= 0 || shortfall > settlementTolerance(input.currency)) return 0;
  const ranOn = input.owed.interest - input.interestOnPricedDay();
  return shortfall <= ranOn ? shortfall : 0;
}

/**
 * How a payment lands on a claim that owes `owed` on its booking day: the waiver first (see
 * settlementWaiver), then the money in the policy's order; what nothing absorbs is overpayment
 * (credit, with a refund task). A closed claim absorbs nothing.
 */
export function bookPayment(input: {
  amount: number;
  currency: string;
  owed: CategoryAmounts;
  open: boolean;
  bookedOn: IsoDate;
  order?: AllocationOrder;
  settles?: Settles | null;
  interestOnPricedDay: () => number;
}): { allocated: CategoryAmounts; overpayment: number; waived: number; left: CategoryAmounts } {
  const owed = input.open ? { ...input.owed } : { costs: 0, interest: 0, principal: 0 };
  const waived = input.open ? settlementWaiver({ ...input, owed }) : 0;
  owed.interest -= waived;
  const { allocated, overpayment } = allocatePayment(
    input.amount,
    owed,
    input.order ?? DEFAULT_ALLOCATION_ORDER,
  );
  const left = {
    costs: owed.costs - allocated.costs,
    interest: owed.interest - allocated.interest,
    principal: owed.principal - allocated.principal,
  };
  return { allocated, overpayment, waived, left };
}
