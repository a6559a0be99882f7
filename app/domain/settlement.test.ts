import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, compareDates, daysBetween, type IsoDate } from "./calendar-date";
import type { CategoryAmounts } from "./balance";
import type { RatePeriod } from "./interest";
import { claimStatement, type StatementCharge, type StatementPayment } from "./claim-statement";
import {
  bookPayment,
  DEFAULT_SETTLEMENT_TOLERANCE,
  SETTLEMENT_TOLERANCE,
  settlementTolerance,
  settlementWaiver,
  type Settles,
} from "./settlement";

/** The claims these properties generate are Norwegian (NOK). */
const NOK_TOLERANCE = settlementTolerance("NOK");

/*
 * Issue 15: the amount shown to pay is the amount that settles the claim on the day the money
 * is counted. The ledger books each payment with `bookPayment` against the statement of its
 * booking day; these properties run the same two functions over random claims, rate histories
 * (rates changing on random days), earlier part payments, payment days and amounts.
 */

const dayIn = (from: IsoDate, to: IsoDate) =>
  fc.integer({ min: 0, max: Math.max(0, daysBetween(from, to)) }).map((n) => addDays(from, n));

/** A rate history: a first rate in force from 2024, then up to four changes on random days. */
const ratesArb: fc.Arbitrary<RatePeriod[]> = fc
  .record({
    first: fc.integer({ min: 0, max: 2_500 }),
    changes: fc.uniqueArray(
      fc.record({ on: dayIn("2024-02-01", "2027-06-30"), basisPoints: fc.nat({ max: 2_500 }) }),
      { maxLength: 4, selector: (c) => c.on },
    ),
  })
  .map(({ first, changes }) => [
    { validFrom: "2024-01-01", basisPoints: first },
    ...changes.map((c) => ({ validFrom: c.on, basisPoints: c.basisPoints })),
  ]);

type Claim = { dueOn: IsoDate; charges: StatementCharge[]; rates: RatePeriod[] };

const claimArb: fc.Arbitrary<Claim> = fc
  .record({
    dueOn: dayIn("2024-01-15", "2026-06-30"),
    principal: fc.integer({ min: 1, max: 50_000_000 }),
    fee: fc.integer({ min: 0, max: 18_000 }),
    feeAfter: fc.integer({ min: 1, max: 40 }),
    rates: ratesArb,
  })
  .map(({ dueOn, principal, fee, feeAfter, rates }) => ({
    dueOn,
    rates,
    charges: [
      {
        kind: "PRINCIPAL" as const,
        amount: principal,
        chargedOn: addDays(dueOn, -30),
        causeType: "claim.received",
        legalBasis: "test",
      },
      ...(fee > 0
        ? [
            {
              kind: "REMINDER_FEE" as const,
              amount: fee,
              chargedOn: addDays(dueOn, feeAfter),
              causeType: "reminder.sent",
              legalBasis: "test",
            },
          ]
        : []),
    ],
  }));

const statement = (claim: Claim, payments: StatementPayment[], today: IsoDate) =>
  claimStatement({
    country: "NO",
    dueOn: claim.dueOn,
    today,
    chargesInterest: true,
    rates: claim.rates,
    // Fees dated after the day did not exist yet.
    charges: claim.charges.filter((c) => compareDates(c.chargedOn, today) <= 0),
    payments,
  });

/** What the ledger does: `bookPayment` against the statement of the booking day. */
function book(
  claim: Claim,
  booked: StatementPayment[],
  amount: number,
  on: IsoDate,
  settles: Settles | null = null,
) {
  const b = statement(claim, booked, on).balance;
  const result = bookPayment({
    amount,
    currency: "NOK",
    owed: { costs: b.fees, interest: b.interest, principal: b.principal },
    open: b.total > 0,
    bookedOn: on,
    settles,
    interestOnPricedDay: () => statement(claim, booked, settles!.pricedOn).balance.interest,
  });
  const payment: StatementPayment = {
    amount: amount - result.overpayment,
    receivedOn: on,
    method: "card",
    allocations: result.allocated,
    credit: result.overpayment,
    waived: result.waived,
  };
  return { payment, ...result };
}

/** Fees dated after the claim closed were never charged (the engine stops at a paid claim). */
const until = (claim: Claim, on: IsoDate): Claim => ({
  ...claim,
  charges: claim.charges.filter((c) => compareDates(c.chargedOn, on) <= 0),
});

const scenarioArb = claimArb.chain((claim) =>
  fc.record({
    claim: fc.constant(claim),
    // The day the page (and the checkout) computed the amount.
    pageDay: dayIn(addDays(claim.dueOn, -20), addDays(claim.dueOn, 800)),
    // Sometimes a part payment some days before.
    part: fc.option(
      fc.record({ share: fc.double({ min: 0.01, max: 0.9, noNaN: true }), before: fc.nat(60) }),
      { nil: undefined },
    ),
    later: fc.integer({ min: 1, max: 400 }),
  }),
);

/** A part of what was owed some days before, as the ledger books it (never more than owed). */
function partPayment(claim: Claim, pageDay: IsoDate, part: { share: number; before: number }) {
  const on = addDays(pageDay, -part.before);
  const owed = statement(claim, [], on).balance.total;
  fc.pre(owed > 1);
  return book(claim, [], Math.max(1, Math.floor(owed * part.share)), on).payment;
}

describe("paying the amount shown", () => {
  it("on the day it was shown leaves exactly nothing owing and no credit, then and later", () => {
    fc.assert(
      fc.property(scenarioArb, ({ claim: generated, pageDay, part, later }) => {
        const claim = until(generated, pageDay);
        const booked: StatementPayment[] = [];
        if (part) booked.push(partPayment(claim, pageDay, part));
        const shown = statement(claim, booked, pageDay).balance;
        fc.pre(shown.total > 0);
        const paid = book(claim, booked, shown.total, pageDay, {
          pricedOn: pageDay,
          owed: shown.total,
        });
        expect(paid.waived).toBe(0);
        for (const day of [pageDay, addDays(pageDay, 1), addDays(pageDay, later)]) {
          const { balance, unabsorbed } = statement(claim, [...booked, paid.payment], day);
          expect({
            total: balance.total,
            credit: balance.credit,
            refundDue: balance.refundDue,
          }).toEqual({ total: 0, credit: 0, refundDue: 0 });
          expect(unabsorbed).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("counted up to three days later: settles when what ran on is within the tolerance, else leaves exactly that owing", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.integer({ min: 1, max: 3 }),
        ({ claim: generated, pageDay, part, later }, delay) => {
          const bookedOn = addDays(pageDay, delay);
          const claim = until(generated, pageDay);
          const booked: StatementPayment[] = [];
          if (part) booked.push(partPayment(claim, pageDay, part));
          const shown = statement(claim, booked, pageDay).balance;
          fc.pre(shown.total > 0);
          const ranOn = statement(claim, booked, bookedOn).balance.total - shown.total;
          const paid = book(claim, booked, shown.total, bookedOn, {
            pricedOn: pageDay,
            owed: shown.total,
          });
          const expected = ranOn <= NOK_TOLERANCE ? 0 : ranOn;
          expect(paid.waived).toBe(ranOn - expected);
          expect(paid.overpayment).toBe(0);
          const after = statement(claim, [...booked, paid.payment], bookedOn);
          expect(after.balance.total).toBe(expected);
          expect(after.balance.credit).toBe(0);
          expect(after.balance.waived).toBe(paid.waived);
          if (expected === 0) {
            // Settled: nothing more runs on, whatever day it is read.
            const much = statement(claim, [...booked, paid.payment], addDays(bookedOn, later));
            expect({ total: much.balance.total, credit: much.balance.credit }).toEqual({
              total: 0,
              credit: 0,
            });
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("counted before the day it was priced for: the excess is credit to refund, nothing is waived", () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 3 }), ({ claim, pageDay }, early) => {
        const shown = statement(until(claim, pageDay), [], pageDay).balance;
        const bookedOn = addDays(pageDay, -early);
        fc.pre(shown.total > 0);
        const onThatDay = statement(until(claim, bookedOn), [], bookedOn).balance.total;
        const paid = book(until(claim, bookedOn), [], shown.total, bookedOn, {
          pricedOn: pageDay,
          owed: shown.total,
        });
        expect(paid.waived).toBe(0);
        expect(paid.overpayment).toBe(Math.max(0, shown.total - onThatDay));
        // The excess is booked credit (a refund task), not a figure of the statement's own.
        const after = statement(until(claim, bookedOn), [paid.payment], bookedOn).balance;
        expect(after.credit).toBe(0);
        expect(after.refundDue).toBe(paid.overpayment);
      }),
      { numRuns: 200 },
    );
  });

  it("a statement read before a payment's day shows no credit that nobody booked", () => {
    // The 0.88 of the issue: 2,670.00 at 12 % is 0.88 a day. The payment is split over what was
    // owed on its own day; a statement of the day before must count interest to that day too.
    const claim: Claim = {
      dueOn: "2026-01-15",
      rates: [{ validFrom: "2024-01-01", basisPoints: 1200 }],
      charges: [
        {
          kind: "PRINCIPAL",
          amount: 267_000,
          chargedOn: "2025-12-16",
          causeType: "claim.received",
          legalBasis: "test",
        },
      ],
    };
    const owed = statement(claim, [], "2026-03-11").balance;
    expect(owed.interest - statement(claim, [], "2026-03-10").balance.interest).toBe(88);
    const { payment } = book(claim, [], owed.total, "2026-03-11");
    const dayBefore = statement(claim, [payment], "2026-03-10").balance;
    expect({ total: dayBefore.total, credit: dayBefore.credit }).toEqual({ total: 0, credit: 0 });
  });
});

describe("the settlement rule (decision 0099)", () => {
  const owed = (interest: number, principal = 100_000, costs = 0): CategoryAmounts => ({
    costs,
    interest,
    principal,
  });
  const rule = (
    amount: number,
    owedNow: CategoryAmounts,
    settles: Settles | null,
    interestThen: number,
    bookedOn = "2026-03-11",
    currency = "NOK",
  ) =>
    settlementWaiver({
      amount,
      currency,
      owed: owedNow,
      bookedOn,
      settles,
      interestOnPricedDay: () => interestThen,
    });
  const asked = { pricedOn: "2026-03-10", owed: 104_800 };

  it("waives the interest that ran on after the priced day, when the payment settles", () => {
    expect(rule(104_800, owed(4_888), asked, 4_800)).toBe(88);
  });

  it("waives nothing for a part payment, or when the amount paid is not the amount asked", () => {
    expect(rule(104_800, owed(4_888), { ...asked, owed: 104_900 }, 4_800)).toBe(0);
    expect(rule(104_700, owed(4_888), asked, 4_800)).toBe(0);
    expect(rule(104_800, owed(4_888), null, 4_800)).toBe(0);
  });

  it("waives nothing when booked on or before the priced day", () => {
    expect(rule(104_800, owed(4_888), asked, 4_800, "2026-03-10")).toBe(0);
    expect(rule(104_800, owed(4_888), asked, 4_800, "2026-03-09")).toBe(0);
  });

  it("waives nothing above the tolerance, and nothing that is not interest run on", () => {
    const big = NOK_TOLERANCE + 1;
    expect(rule(104_800, owed(4_800 + big), asked, 4_800)).toBe(0);
    expect(rule(104_800, owed(4_800 + NOK_TOLERANCE), asked, 4_800)).toBe(NOK_TOLERANCE);
    // A fee that arose meanwhile is owed, not waived.
    expect(rule(104_800, owed(4_850, 100_000, 3_500), asked, 4_800)).toBe(0);
  });

  it("waives nothing when the claim owes less than was asked (that is credit)", () => {
    expect(rule(104_800, owed(4_700), asked, 4_800)).toBe(0);
  });
});

describe("the settlement tolerance, per currency", () => {
  const asked = { pricedOn: "2026-03-10", owed: 104_800 };
  const waived = (currency: string, ranOn: number) =>
    settlementWaiver({
      amount: 104_800,
      currency,
      owed: { costs: 0, interest: 4_800 + ranOn, principal: 100_000 },
      bookedOn: "2026-03-11",
      settles: asked,
      interestOnPricedDay: () => 4_800,
    });

  it("is about the same worth in each currency: 10.00 kr, 7.00 DKK, 1.00 €", () => {
    expect(SETTLEMENT_TOLERANCE).toMatchObject({ NOK: 1_000, SEK: 1_000, DKK: 700, EUR: 100 });
    expect(settlementTolerance("eur")).toBe(100);
  });

  it("waives up to the claim's own currency's tolerance, and not a minor unit more", () => {
    for (const currency of ["NOK", "SEK", "DKK", "EUR"]) {
      const limit = SETTLEMENT_TOLERANCE[currency]!;
      expect(waived(currency, limit), currency).toBe(limit);
      expect(waived(currency, limit + 1), currency).toBe(0);
    }
    // 5.00 of interest run on: waived for a krone claim, owed for a euro claim (about 55 kr).
    expect(waived("NOK", 500)).toBe(500);
    expect(waived("SEK", 500)).toBe(500);
    expect(waived("EUR", 500)).toBe(0);
  });

  it("gives a currency it does not list the default: one unit of it", () => {
    expect(DEFAULT_SETTLEMENT_TOLERANCE).toBe(100);
    expect(settlementTolerance("GBP")).toBe(DEFAULT_SETTLEMENT_TOLERANCE);
    expect(waived("GBP", 100)).toBe(100);
    expect(waived("GBP", 101)).toBe(0);
  });

  it("leaves a euro claim owing the 2.00 of interest run on, and waives a krone claim's", () => {
    const book = (currency: string) =>
      bookPayment({
        amount: 104_800,
        currency,
        owed: { costs: 0, interest: 5_000, principal: 100_000 },
        open: true,
        bookedOn: "2026-03-11",
        settles: asked,
        interestOnPricedDay: () => 4_800,
      });
    expect(book("NOK")).toMatchObject({ waived: 200, left: { interest: 0, principal: 0 } });
    // Interest is paid first: the 2.00 still owed is left on the principal.
    expect(book("EUR")).toMatchObject({ waived: 0, left: { interest: 0, principal: 200 } });
  });
});
