import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  BALANCE_CATEGORIES,
  BalanceError,
  DEFAULT_ALLOCATION_ORDER,
  allocatePayment,
  categoryOf,
  claimBalance,
  type AllocationOrder,
  type BalanceCategory,
  type ChargeKind,
} from "./balance";

const KINDS: ChargeKind[] = [
  "PRINCIPAL",
  "REMINDER_FEE",
  "COLLECTION_FEE",
  "PAYMENT_DEMAND_FEE",
  "PLAN_FEE",
  "ENFORCEMENT_FEE",
  "INTEREST",
];
const amountArb = fc.integer({ min: 0, max: 10_000_000 });
const outstandingArb = fc.record({ costs: amountArb, interest: amountArb, principal: amountArb });
const orderArb: fc.Arbitrary<AllocationOrder> = fc.shuffledSubarray([...BALANCE_CATEGORIES], {
  minLength: 3,
  maxLength: 3,
});
const chargesArb = fc.array(fc.record({ kind: fc.constantFrom(...KINDS), amount: amountArb }), {
  maxLength: 8,
});
const paymentArb = fc.oneof(
  fc.record({ amount: amountArb }),
  amountArb.chain((amount) =>
    fc
      .tuple(
        fc.nat({ max: amount }),
        fc.nat({ max: amount }),
        fc.constantFrom<BalanceCategory>(...BALANCE_CATEGORIES),
      )
      .map(([a, b, extra]) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        // two explicit parts summing to at most the amount
        return { amount, allocations: { principal: low, [extra]: high - low } };
      }),
  ),
);

describe("categoryOf", () => {
  it("maps fees to costs", () => {
    expect(KINDS.map(categoryOf)).toEqual([
      "principal",
      "costs",
      "costs",
      "costs",
      "costs",
      "costs",
      "interest",
    ]);
  });
});

describe("allocatePayment", () => {
  it("fills costs, then interest, then principal", () => {
    expect(
      allocatePayment(
        500,
        { costs: 200, interest: 100, principal: 1000 },
        DEFAULT_ALLOCATION_ORDER,
      ),
    ).toEqual({
      allocated: { costs: 200, interest: 100, principal: 200 },
      overpayment: 0,
    });
    expect(
      allocatePayment(50, { costs: 200, interest: 100, principal: 1000 }, [
        "principal",
        "interest",
        "costs",
      ]),
    ).toEqual({
      allocated: { costs: 0, interest: 0, principal: 50 },
      overpayment: 0,
    });
    expect(
      allocatePayment(
        2000,
        { costs: 200, interest: 100, principal: 1000 },
        DEFAULT_ALLOCATION_ORDER,
      ).overpayment,
    ).toBe(700);
  });

  it("rejects incomplete orders and bad amounts", () => {
    expect(() =>
      allocatePayment(1, { costs: 1, interest: 1, principal: 1 }, ["costs", "principal"]),
    ).toThrow(BalanceError);
    expect(() =>
      allocatePayment(1, { costs: 1, interest: 1, principal: 1 }, ["costs", "costs", "principal"]),
    ).toThrow(BalanceError);
    expect(() =>
      allocatePayment(-1, { costs: 1, interest: 1, principal: 1 }, DEFAULT_ALLOCATION_ORDER),
    ).toThrow(BalanceError);
  });

  it("conserves the payment and never exceeds what is outstanding", () => {
    fc.assert(
      fc.property(amountArb, outstandingArb, orderArb, (amount, outstanding, order) => {
        const { allocated, overpayment } = allocatePayment(amount, outstanding, order);
        const sum = allocated.costs + allocated.interest + allocated.principal;
        expect(sum + overpayment).toBe(amount);
        for (const c of BALANCE_CATEGORIES) {
          expect(allocated[c]).toBeGreaterThanOrEqual(0);
          expect(allocated[c]).toBeLessThanOrEqual(outstanding[c]);
        }
        expect(
          overpayment === 0 ||
            sum === outstanding.costs + outstanding.interest + outstanding.principal,
        ).toBe(true);
      }),
    );
  });
});

describe("claimBalance", () => {
  const charges = [
    { kind: "PRINCIPAL" as const, amount: 100_000 },
    { kind: "REMINDER_FEE" as const, amount: 6_000 },
    { kind: "COLLECTION_FEE" as const, amount: 18_000 },
    { kind: "INTEREST" as const, amount: 1_000 },
  ];

  it("sums charges and interest by category", () => {
    expect(claimBalance({ charges, accruedInterest: 500, payments: [] })).toEqual({
      principal: 100_000,
      fees: 24_000,
      interest: 1_500,
      total: 125_500,
      paid: 0,
      credit: 0,
      allocated: { costs: 0, interest: 0, principal: 0 },
      waived: 0,
      byPayment: [],
    });
  });

  it("paying exactly the principal leaves principal, not fees, outstanding", () => {
    const b = claimBalance({ charges, accruedInterest: 500, payments: [{ amount: 100_000 }] });
    expect(b).toMatchObject({ fees: 0, interest: 0, principal: 25_500, total: 25_500, credit: 0 });
  });

  it("honours explicit allocations and turns the excess into credit", () => {
    const b = claimBalance({
      charges,
      accruedInterest: 0,
      payments: [{ amount: 100_000, allocations: { principal: 100_000 } }, { amount: 30_000 }],
    });
    expect(b).toMatchObject({
      principal: 0,
      fees: 0,
      interest: 0,
      total: 0,
      paid: 130_000,
      credit: 5_000,
    });
    expect(() =>
      claimBalance({
        charges,
        accruedInterest: 0,
        payments: [{ amount: 10, allocations: { costs: 11 } }],
      }),
    ).toThrow(BalanceError);
  });

  it("conserves money and keeps every category non-negative", () => {
    fc.assert(
      fc.property(
        chargesArb,
        amountArb,
        fc.array(paymentArb, { maxLength: 5 }),
        orderArb,
        (cs, accrued, payments, order) => {
          const b = claimBalance({ charges: cs, accruedInterest: accrued, payments, order });
          const owed = cs.reduce((s, c) => s + c.amount, 0) + accrued;
          expect(owed).toBe(b.total + b.paid - b.credit);
          expect(b.total).toBe(b.principal + b.fees + b.interest);
          expect(b.paid).toBe(payments.reduce((s, p) => s + p.amount, 0));
          expect(b.allocated.costs + b.allocated.interest + b.allocated.principal).toBe(
            b.paid - b.credit,
          );
          for (const v of [b.principal, b.fees, b.interest, b.credit])
            expect(v).toBeGreaterThanOrEqual(0);
          // credit only when nothing is left to pay
          expect(b.credit === 0 || b.total === 0).toBe(true);
        },
      ),
    );
  });

  it("a waiver lowers the interest owed and is neither paid nor credit (decision 0099)", () => {
    fc.assert(
      fc.property(
        chargesArb,
        amountArb,
        fc.array(fc.tuple(paymentArb, fc.nat({ max: 5_000 })), { maxLength: 5 }),
        (cs, accrued, raw) => {
          const payments = raw.map(([p, waived]) => ({ ...p, waived }));
          const b = claimBalance({ charges: cs, accruedInterest: accrued, payments });
          const owed = cs.reduce((s, c) => s + c.amount, 0) + accrued;
          expect(owed).toBe(b.total + b.paid - b.credit + b.waived);
          // Never more than there was interest to waive.
          const interest = cs
            .filter((c) => c.kind === "INTEREST")
            .reduce((s, c) => s + c.amount, 0);
          expect(b.waived).toBeLessThanOrEqual(interest + accrued);
          expect(b.byPayment.reduce((s, p) => s + p.overflow, 0)).toBe(b.credit);
        },
      ),
    );
  });

  it("with the default order, fees are paid before any principal", () => {
    fc.assert(
      fc.property(chargesArb, amountArb, amountArb, (cs, accrued, amount) => {
        const before = claimBalance({ charges: cs, accruedInterest: accrued, payments: [] });
        const after = claimBalance({
          charges: cs,
          accruedInterest: accrued,
          payments: [{ amount }],
        });
        if (after.principal < before.principal) {
          expect(after.fees).toBe(0);
          expect(after.interest).toBe(0);
        }
      }),
    );
  });
});
