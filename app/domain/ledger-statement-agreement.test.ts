import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, compareDates, daysBetween, maxDate, type IsoDate } from "./calendar-date";
import { allocatePayment, BALANCE_CATEGORIES, type CategoryAmounts } from "./balance";
import type { RatePeriod } from "./interest";
import { claimStatement, type StatementCharge, type StatementPayment } from "./claim-statement";

/**
 * The ledger (app/services/payments/ledger.server.ts) splits a payment over what the statement
 * shows as owed on the day the money arrived, and stores that split. The statement read on any
 * later day must then agree with it to the öre/øre: the same split, the same credit, and a balance
 * that fell by exactly what was allocated. A statement that counted interest differently than the
 * ledger was asked for (the payment day itself at the reduced principal) made a 1,000.00 payment
 * lower the balance by 1,000.32, and a claim paid exactly as asked show 0.03 to pay back.
 */

// Real rate history: SE and NO change twice a year.
const RATES: RatePeriod[] = [
  { validFrom: "2024-01-01", basisPoints: 1250 },
  { validFrom: "2024-07-01", basisPoints: 1275 },
  { validFrom: "2025-01-01", basisPoints: 1250 },
  { validFrom: "2025-07-01", basisPoints: 1225 },
  { validFrom: "2026-01-01", basisPoints: 1200 },
];

const dayIn = (from: IsoDate, to: IsoDate) =>
  fc.integer({ min: 0, max: Math.max(0, daysBetween(from, to)) }).map((n) => addDays(from, n));

type Claim = { dueOn: IsoDate; charges: StatementCharge[] };

/** The statement that day; its balance also carries the split it applied (claimBalance's `allocated`). */
const statement = (claim: Claim, payments: StatementPayment[], today: IsoDate) =>
  claimStatement({
    country: "NO",
    dueOn: claim.dueOn,
    today,
    chargesInterest: true,
    rates: RATES,
    charges: claim.charges.filter((c) => compareDates(c.chargedOn, today) <= 0),
    payments,
  });

const allocatedOf = (balance: object) => (balance as { allocated: CategoryAmounts }).allocated;

type Booked = { payment: StatementPayment; overpayment: number; owedBefore: number };

/** What the ledger does with each payment, in the order the money arrived. */
function book(claim: Claim, raw: { amount: number; receivedOn: IsoDate }[]): Booked[] {
  const booked: Booked[] = [];
  for (const p of [...raw].sort((a, b) => compareDates(a.receivedOn, b.receivedOn))) {
    const { balance } = statement(
      claim,
      booked.map((b) => b.payment),
      p.receivedOn,
    );
    const owed = { costs: balance.fees, interest: balance.interest, principal: balance.principal };
    const { allocated, overpayment } = allocatePayment(p.amount, owed);
    booked.push({
      payment: { ...p, method: "bank", allocations: allocated },
      overpayment,
      owedBefore: balance.total,
    });
  }
  return booked;
}

/**
 * The claim as the engine would have made it: a claim paid in full is closed, and no fee is
 * charged on a closed claim, so fees dated after the payment that closed it never existed.
 */
function whileOpen(claim: Claim, raw: { amount: number; receivedOn: IsoDate }[]): Claim {
  const booked = book(claim, raw);
  const closing = booked.find(
    (b, i) =>
      statement(
        claim,
        booked.slice(0, i + 1).map((x) => x.payment),
        b.payment.receivedOn,
      ).balance.total === 0,
  );
  if (!closing) return claim;
  const closedOn = closing.payment.receivedOn;
  return {
    ...claim,
    charges: claim.charges.filter((c) => compareDates(c.chargedOn, closedOn) <= 0),
  };
}

const claimArb: fc.Arbitrary<Claim> = dayIn("2024-01-15", "2026-03-31").chain((dueOn) =>
  fc
    .record({
      principal: fc.integer({ min: 100, max: 50_000_000 }),
      fee: fc.integer({ min: 0, max: 18_000 }),
      feeAfter: fc.integer({ min: 1, max: 60 }),
    })
    .map(({ principal, fee, feeAfter }) => ({
      dueOn,
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
                causeType: "notice.sent",
                legalBasis: "test",
              },
            ]
          : []),
      ],
    })),
);

const principalOf = (c: Claim) => c.charges.find((x) => x.kind === "PRINCIPAL")!.amount;

const scenarioArb = claimArb.chain((claim) =>
  fc.record({
    claim: fc.constant(claim),
    payments: fc.array(
      fc.record({
        amount: fc.oneof(
          {
            arbitrary: fc.integer({ min: 1, max: Math.max(1, Math.ceil(principalOf(claim) / 2)) }),
            weight: 5,
          },
          { arbitrary: fc.integer({ min: 1, max: 60_000_000 }), weight: 1 },
        ),
        // Before the due date, on it, and up to two years late; several on one day too.
        receivedOn: dayIn(addDays(claim.dueOn, -20), addDays(claim.dueOn, 730)),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    laterDays: fc.integer({ min: 0, max: 400 }),
  }),
);

const totalOf = (xs: CategoryAmounts[]) =>
  Object.fromEntries(
    BALANCE_CATEGORIES.map((c) => [c, xs.reduce((s, x) => s + x[c], 0)]),
  ) as CategoryAmounts;

describe("the ledger's allocations and the statement agree to the öre", () => {
  it("for random claims, rate periods and payments: same split, same credit, on every later day", () => {
    fc.assert(
      fc.property(scenarioArb, ({ claim: asGenerated, payments, laterDays }) => {
        const claim = whileOpen(asGenerated, payments);
        const booked = book(claim, payments);
        const last = booked.at(-1)!.payment.receivedOn;
        const recorded = totalOf(booked.map((b) => b.payment.allocations as CategoryAmounts));
        const credit = booked.reduce((s, b) => s + b.overpayment, 0);
        for (const day of [last, addDays(last, 1), addDays(last, laterDays)]) {
          const { balance } = statement(
            claim,
            booked.map((b) => b.payment),
            day,
          );
          expect(allocatedOf(balance)).toEqual(recorded);
          expect(balance.credit).toBe(credit);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a payment lowers what is owed on its day by exactly what it was allocated", () => {
    fc.assert(
      fc.property(scenarioArb, ({ claim: asGenerated, payments }) => {
        const claim = whileOpen(asGenerated, payments);
        const booked = book(claim, payments);
        booked.forEach((b, i) => {
          const after = statement(
            claim,
            booked.slice(0, i + 1).map((x) => x.payment),
            b.payment.receivedOn,
          ).balance.total;
          expect(b.owedBefore - after).toBe(b.payment.amount - b.overpayment);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("a claim paid exactly as asked owes nothing and is owed nothing, then and later", () => {
    const arb = claimArb.chain((claim) =>
      fc.record({
        claim: fc.constant(claim),
        on: dayIn(claim.dueOn, addDays(claim.dueOn, 900)),
        part: fc.option(fc.integer({ min: 1, max: principalOf(claim) }), { nil: undefined }),
        partOn: fc.integer({ min: 1, max: 200 }),
        later: fc.integer({ min: 1, max: 500 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ claim: asGenerated, on, part, partOn, later }) => {
        // The asked amount closes the claim on `on`: no fee after that day exists.
        const claim = {
          ...asGenerated,
          charges: asGenerated.charges.filter((c) => compareDates(c.chargedOn, on) <= 0),
        };
        // Sometimes a part payment first, so the asked amount has a principal step in it.
        const first = part
          ? book(claim, [
              {
                amount: part,
                receivedOn: maxDate(addDays(on, -partOn), addDays(claim.dueOn, -30)),
              },
            ])
          : [];
        const asked = statement(
          claim,
          first.map((b) => b.payment),
          on,
        ).balance.total;
        const all = book(claim, [
          ...first.map((b) => b.payment),
          { amount: asked, receivedOn: on },
        ]);
        for (const day of [on, addDays(on, later)]) {
          const { balance } = statement(
            claim,
            all.map((b) => b.payment),
            day,
          );
          expect({ total: balance.total, credit: balance.credit }).toEqual({ total: 0, credit: 0 });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("hand-checked: 1,000.00 paid 40 days late on 100,000.00 at 12 % lowers the balance by 1,000.00", () => {
    const claim: Claim = {
      dueOn: "2026-02-01",
      charges: [
        {
          kind: "PRINCIPAL",
          amount: 10_000_000,
          chargedOn: "2026-01-02",
          causeType: "claim.received",
          legalBasis: "test",
        },
      ],
    };
    const [b] = book(claim, [{ amount: 100_000, receivedOn: "2026-03-13" }]);
    // 40 days at 12 % on 100,000.00: 1,315.07 of interest owed that day, more than the payment.
    expect(b!.owedBefore).toBe(10_000_000 + 131_507);
    const after = statement(claim, [b!.payment], "2026-03-13").balance;
    expect(after.total).toBe(10_000_000 + 131_507 - 100_000);
    expect(allocatedOf(after)).toEqual({ costs: 0, interest: 100_000, principal: 0 });
  });
});
