import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { addDays, compareDates } from "./calendar-date";
import {
  InterestRateMissingError,
  accruedInterest,
  roundHalfUp,
  type PrincipalSegment,
  type RatePeriod,
} from "./interest";

const NO_RATES: RatePeriod[] = [
  { validFrom: "2024-07-01", basisPoints: 1375, source: "Finansdepartementet 2024-2" },
  { validFrom: "2025-01-01", basisPoints: 1250, source: "Finansdepartementet 2025-1" },
  { validFrom: "2025-07-01", basisPoints: 1200, source: "hypothetical" },
];

const dayOffsetArb = fc.integer({ min: 0, max: 700 });
const dateFrom = (offset: number): string => addDays("2024-07-01", offset);

const segmentsArb: fc.Arbitrary<PrincipalSegment[]> = fc
  .array(fc.tuple(dayOffsetArb, fc.integer({ min: 0, max: 100_000_000 })), {
    minLength: 1,
    maxLength: 5,
  })
  .map((list) => {
    const byDate = new Map(list.map(([o, amount]) => [dateFrom(o), amount]));
    return [...byDate].map(([from, amount]) => ({ from, amount }));
  });

/** a/b + c/d == e/f, compared exactly */
function sameSum(
  parts: { num: bigint; den: bigint }[],
  whole: { num: bigint; den: bigint },
): boolean {
  const den = whole.den;
  const num = parts.reduce((s, p) => {
    expect(p.den).toBe(den);
    return s + p.num;
  }, 0n);
  return num === whole.num;
}

describe("accruedInterest", () => {
  it("10 000 kr at 12.5 % for a year is exactly 1 250 kr", () => {
    const r = accruedInterest({
      dueOn: "2025-01-01",
      asOf: "2026-01-01",
      principal: 1_000_000,
      rates: NO_RATES.slice(1, 2),
    });
    expect(r.total).toBe(125_000);
    expect(r.exact.num % r.exact.den).toBe(0n);
    expect(r.periods).toEqual([
      expect.objectContaining({
        from: "2025-01-02",
        to: "2026-01-01",
        days: 365,
        basisPoints: 1250,
        principal: 1_000_000,
      }),
    ]);
  });

  it("splits at a rate change and rounds once", () => {
    // Days 2025-06-21..06-30 at 12.5 %: 10 · 1 000 000 · 1250 / 3 650 000 = 3424.66
    // Days 2025-07-01..07-10 at 12.0 %: 10 · 1 000 000 · 1200 / 3 650 000 = 3287.67
    // Sum 6712.33 → 6712 (rounding each part first would give 3425 + 3288 = 6713).
    const r = accruedInterest({
      dueOn: "2025-06-20",
      asOf: "2025-07-10",
      principal: 1_000_000,
      rates: NO_RATES,
    });
    expect(r.total).toBe(6712);
    expect(r.periods.map((p) => [p.from, p.to, p.days, p.basisPoints, p.source])).toEqual([
      ["2025-06-21", "2025-06-30", 10, 1250, "Finansdepartementet 2025-1"],
      ["2025-07-01", "2025-07-10", 10, 1200, "hypothetical"],
    ]);
    expect(r.periods.map((p) => roundHalfUp(p.exact))).toEqual([3425, 3288]);
  });

  it("follows the principal as payments reduce it", () => {
    // 2025-01-02..01-31 (30 days) on 365 000, then 2025-02-01..02-10 (10 days) on 73 000, at 10 %
    const r = accruedInterest({
      dueOn: "2025-01-01",
      asOf: "2025-02-10",
      principal: [
        { from: "2025-01-01", amount: 365_000 },
        { from: "2025-02-01", amount: 73_000 },
      ],
      rates: [{ validFrom: "2000-01-01", basisPoints: 1000 }],
    });
    expect(r.periods.map((p) => [p.days, p.principal])).toEqual([
      [30, 365_000],
      [10, 73_000],
    ]);
    expect(r.total).toBe(3000 + 200);
  });

  it("rounds half up", () => {
    expect(roundHalfUp({ num: 5n, den: 10n })).toBe(1);
    expect(roundHalfUp({ num: 4n, den: 10n })).toBe(0);
    expect(roundHalfUp({ num: 15n, den: 10n })).toBe(2);
  });

  it("throws when a day has no known rate", () => {
    expect(() =>
      accruedInterest({ dueOn: "2024-06-01", asOf: "2024-08-01", principal: 100, rates: NO_RATES }),
    ).toThrow(InterestRateMissingError);
    // The due date itself accrues nothing, so a rate starting the day after is enough.
    expect(() =>
      accruedInterest({ dueOn: "2024-06-30", asOf: "2024-08-01", principal: 100, rates: NO_RATES }),
    ).not.toThrow();
  });

  it("is zero when asOf is not after dueOn, or the principal is zero", () => {
    fc.assert(
      fc.property(dayOffsetArb, dayOffsetArb, segmentsArb, (a, b, principal) => {
        const [due, asOf] = a <= b ? [b, a] : [a, b];
        expect(
          accruedInterest({
            dueOn: dateFrom(due),
            asOf: dateFrom(asOf),
            principal,
            rates: NO_RATES,
          }).total,
        ).toBe(0);
        const zero = principal.map((s) => ({ ...s, amount: 0 }));
        expect(
          accruedInterest({
            dueOn: dateFrom(asOf),
            asOf: dateFrom(due),
            principal: zero,
            rates: NO_RATES,
          }).total,
        ).toBe(0);
      }),
    );
  });

  it("is monotone in asOf", () => {
    fc.assert(
      fc.property(dayOffsetArb, dayOffsetArb, dayOffsetArb, segmentsArb, (due, x, y, principal) => {
        const [early, late] = x <= y ? [x, y] : [y, x];
        const run = (asOf: number): number =>
          accruedInterest({
            dueOn: dateFrom(due),
            asOf: dateFrom(asOf),
            principal,
            rates: NO_RATES,
          }).total;
        expect(run(early)).toBeLessThanOrEqual(run(late));
      }),
    );
  });

  it("is exactly additive at any split date, rate boundaries included", () => {
    const splitArb = fc.oneof(
      dayOffsetArb.map(dateFrom),
      fc.constantFrom("2024-12-31", "2025-01-01", "2025-06-30", "2025-07-01"),
    );
    fc.assert(
      fc.property(dayOffsetArb, dayOffsetArb, splitArb, segmentsArb, (x, y, split, principal) => {
        const [due, asOf] = (x <= y ? [x, y] : [y, x]).map(dateFrom) as [string, string];
        fc.pre(compareDates(due, split) <= 0 && compareDates(split, asOf) <= 0);
        const whole = accruedInterest({ dueOn: due, asOf, principal, rates: NO_RATES });
        const left = accruedInterest({ dueOn: due, asOf: split, principal, rates: NO_RATES });
        const right = accruedInterest({ dueOn: split, asOf, principal, rates: NO_RATES });
        expect(sameSum([left.exact, right.exact], whole.exact)).toBe(true);
        expect(
          sameSum(
            whole.periods.map((p) => p.exact),
            whole.exact,
          ),
        ).toBe(true);
        expect(whole.periods.reduce((s, p) => s + p.days, 0)).toBe(Math.abs(y - x));
      }),
    );
  });

  it("refuses malformed input", () => {
    const base = { dueOn: "2025-01-01", asOf: "2025-02-01", rates: NO_RATES };
    expect(() => accruedInterest({ ...base, principal: -1 })).toThrow(RangeError);
    expect(() => accruedInterest({ ...base, principal: 1.5 })).toThrow(RangeError);
    expect(() =>
      accruedInterest({
        ...base,
        principal: 1,
        rates: [...NO_RATES, { validFrom: "2025-01-01", basisPoints: 1 }],
      }),
    ).toThrow(RangeError);
  });
});
