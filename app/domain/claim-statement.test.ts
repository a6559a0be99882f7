import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { addDays, compareDates, daysBetween, minDate, type IsoDate } from "./calendar-date";
import { allocatePayment, type ChargeKind } from "./balance";
import { accruedInterest, type RatePeriod } from "./interest";
import {
  claimStatement,
  type StatementCharge,
  type StatementLine,
  type StatementPayment,
} from "./claim-statement";

const RATES: RatePeriod[] = [
  { validFrom: "2024-01-01", basisPoints: 1250 },
  { validFrom: "2025-07-01", basisPoints: 1225 },
];
const FEE_KINDS = ["REMINDER_FEE", "COLLECTION_FEE", "PAYMENT_DEMAND_FEE", "PLAN_FEE"] as const;
const LAST_DUE = "2026-06-30";
const LAST_TODAY = "2026-12-31";

const dayIn = (from: IsoDate, to: IsoDate) =>
  fc.integer({ min: 0, max: Math.max(0, daysBetween(from, to)) }).map((n) => addDays(from, n));
const charge = (kind: ChargeKind, amount: number, chargedOn: IsoDate): StatementCharge => ({
  kind,
  amount,
  chargedOn,
  causeType: kind === "PRINCIPAL" ? "claim.registered" : "notice.sent",
  legalBasis: "test",
});
const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);
const lineDate = (l: StatementLine) => (l.type === "charge" ? l.chargedOn : l.to);

type Base = {
  dueOn: IsoDate;
  today: IsoDate;
  chargesInterest: boolean;
  charges: StatementCharge[];
};
const principalOf = (b: Base) => sum(b.charges.filter((c) => c.kind === "PRINCIPAL"));
const statementOf = (base: Base, payments: StatementPayment[], today = base.today) =>
  claimStatement({
    country: "NO",
    rates: RATES,
    ...base,
    today,
    // The claim as it stood that day: later fees did not exist yet.
    charges: base.charges.filter((c) => compareDates(c.chargedOn, today) <= 0),
    payments,
  });

/**
 * Records payments the way the system would: each one is split with allocatePayment (default
 * order) over what the statement on its own receipt day showed as outstanding.
 */
function recordPayments(base: Base, raw: { amount: number; receivedOn: IsoDate }[]) {
  const recorded: StatementPayment[] = [];
  for (const p of [...raw].sort((a, b) => compareDates(a.receivedOn, b.receivedOn))) {
    const { balance } = statementOf(base, recorded, p.receivedOn);
    const { allocated } = allocatePayment(p.amount, {
      costs: balance.fees,
      interest: balance.interest,
      principal: balance.principal,
    });
    recorded.push({ ...p, method: "bank", allocations: allocated });
  }
  return recorded;
}

// A claim: principal invoiced 30 days before it is due, fees charged between due date and today.
const baseArb: fc.Arbitrary<Base> = dayIn("2024-01-01", LAST_DUE).chain((dueOn) =>
  fc
    .record({
      today: dayIn(addDays(dueOn, -30), LAST_TODAY),
      chargesInterest: fc.boolean(),
      principal: fc.integer({ min: 1, max: 10_000_000 }),
      fees: fc.array(
        fc.record({
          kind: fc.constantFrom(...FEE_KINDS),
          amount: fc.integer({ min: 0, max: 20_000 }),
          offset: fc.nat({ max: 400 }),
        }),
        { maxLength: 4 },
      ),
    })
    .map(({ today, chargesInterest, principal, fees }) => {
      // No fee before the due date has passed; none dated after today.
      const feeCharges =
        compareDates(today, dueOn) < 0
          ? []
          : fees.map((f) => charge(f.kind, f.amount, minDate(addDays(dueOn, f.offset), today)));
      // Fees first: putting lines in order is the statement's job, not the caller's.
      const charges = [...feeCharges, charge("PRINCIPAL", principal, addDays(dueOn, -30))];
      return { dueOn, today, chargesInterest, charges };
    }),
);
// Mostly instalments; sometimes more than is owed, to exercise credit.
const withPaymentsArb = baseArb.chain((base) =>
  fc
    .array(
      fc.record({
        amount: fc.oneof(
          { arbitrary: fc.integer({ min: 1, max: Math.ceil(principalOf(base) / 3) }), weight: 4 },
          { arbitrary: fc.integer({ min: 1, max: 12_000_000 }), weight: 1 },
        ),
        receivedOn: dayIn(addDays(base.dueOn, -30), base.today),
      }),
      { maxLength: 4 },
    )
    .map((raw) => ({ base, payments: recordPayments(base, raw) })),
);

describe("claimStatement", () => {
  it("lines minus payments equal what is left to pay, less any credit", () => {
    fc.assert(
      fc.property(withPaymentsArb, ({ base, payments }) => {
        const { lines, balance } = statementOf(base, payments);
        // claimBalance's invariant: charges + interest = total + paid − credit.
        expect(sum(lines) - sum(payments)).toBe(balance.total - balance.credit);
        expect(balance.paid).toBe(sum(payments));
        expect(balance.total).toBe(balance.principal + balance.fees + balance.interest);
        for (const v of [balance.principal, balance.fees, balance.interest, balance.credit]) {
          expect(v).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("shows an interest line only when the policy charges interest and the due date has passed", () => {
    fc.assert(
      fc.property(withPaymentsArb, ({ base, payments }) => {
        const { lines } = statementOf(base, payments);
        const interestLines = lines.filter((l) => l.type === "interest");
        const expected = base.chargesInterest && compareDates(base.today, base.dueOn) > 0;
        expect(interestLines.length).toBe(expected ? 1 : 0);
      }),
    );
  });

  it("lists lines in date order, whatever order the charges arrive in", () => {
    fc.assert(
      fc.property(withPaymentsArb, ({ base, payments }) => {
        const dates = statementOf(base, payments).lines.map(lineDate);
        expect(dates).toEqual([...dates].sort(compareDates));
      }),
    );
  });

  it("stops interest on the part of the principal that was paid", () => {
    const arb = baseArb
      .filter((b) => b.chargesInterest && daysBetween(b.dueOn, b.today) >= 2)
      .chain((base) => {
        const principal = principalOf(base);
        return fc.record({
          base: fc.constant(base),
          // ≥ 3000 minor units at ≥ 12.25 % is ≥ 1 unit of interest per day: visible after rounding
          paid: fc.integer({ min: Math.min(3000, principal), max: principal }),
          // At least one whole day after the payment, whichever day-count convention applies.
          on: dayIn(addDays(base.dueOn, 1), addDays(base.today, -1)),
        });
      })
      .filter(({ paid }) => paid >= 3000);
    fc.assert(
      fc.property(arb, ({ base, paid, on }) => {
        const payment = {
          amount: paid,
          receivedOn: on,
          method: "bank",
          allocations: { principal: paid },
        };
        const without = statementOf(base, []).balance.interest;
        const withPay = statementOf(base, [payment]).balance.interest;
        expect(withPay).toBeLessThan(without);
        // The saving is the paid amount's interest from the payment day (or the day after) to today.
        const onPaid = (from: IsoDate) =>
          accruedInterest({ dueOn: from, asOf: base.today, principal: paid, rates: RATES }).total;
        const saved = without - withPay;
        expect(saved).toBeGreaterThanOrEqual(onPaid(on) - 1);
        expect(saved).toBeLessThanOrEqual(onPaid(addDays(on, -1)) + 1);
      }),
    );
  });

  it("does not let fees vanish when the resident pays exactly the principal", () => {
    const arb = baseArb
      .filter((b) => b.charges.some((c) => c.kind !== "PRINCIPAL" && c.amount > 0))
      .chain((base) => fc.record({ base: fc.constant(base), on: dayIn(base.dueOn, base.today) }));
    fc.assert(
      fc.property(arb, ({ base, on }) => {
        const principal = principalOf(base);
        const fees = sum(base.charges.filter((c) => c.kind !== "PRINCIPAL"));
        const payments = recordPayments(base, [{ amount: principal, receivedOn: on }]);
        const { lines, balance } = statementOf(base, payments);
        const interest = sum(lines.filter((l) => l.type === "interest"));
        // Costs were covered first, so principal stays owed; nothing is forgiven or credited.
        expect(balance.credit).toBe(0);
        expect(balance.total).toBe(fees + interest);
        expect(balance.total).toBeGreaterThan(0);
      }),
    );
  });

  it("hand-checked: 12.5 % on 1 000 000 for the 365 days after 2025-01-01", () => {
    const { lines, balance } = claimStatement({
      country: "NO",
      dueOn: "2025-01-01",
      today: "2026-01-01",
      chargesInterest: true,
      charges: [charge("PRINCIPAL", 1_000_000, "2024-12-01")],
      payments: [],
      rates: [{ validFrom: "2025-01-01", basisPoints: 1250 }],
    });
    expect(lines.find((l) => l.type === "interest")?.amount).toBe(125_000);
    expect(balance).toMatchObject({ principal: 1_000_000, interest: 125_000, total: 1_125_000 });
  });
});
