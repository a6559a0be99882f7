import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, isBankDay, type Country } from "./calendar-date";
import {
  addMonths,
  checkRules,
  DEFAULT_MAX_FEE_SHARE_PERCENT,
  firstUnpaid,
  instalmentProgress,
  PLAN_STAGES,
  PlanInputError,
  proposeSchedule,
  splitOverClaims,
  strictestRules,
  validatePlanRules,
  type PlanBy,
  type PlanRules,
  type ScheduleInput,
} from "./payment-plan";

const RULES: PlanRules = {
  maxMonths: 24,
  minInstalment: 50_000,
  maxTotal: 5_000_000,
  qualifyingStages: ["INVOICED", "REMINDER", "COLLECTION_NOTICE"],
  maxPlans: 2,
  plansWindowMonths: 12,
  maxDeferralMonths: 2,
  planFee: 0,
  graceDays: 7,
  firstDueDays: 14,
};

const dateArb = fc
  .date({
    min: new Date("2026-01-01T00:00:00Z"),
    max: new Date("2030-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const countryArb = fc.constantFrom<Country>("SE", "NO");

const inputArb = fc
  .record({
    owed: fc.integer({ min: 100, max: 20_000_000 }),
    principalShare: fc.double({ min: 0, max: 1, noNaN: true }),
    interestBasisPoints: fc.constantFrom(0, 975, 1200, 1250, 2000),
    fee: fc.constantFrom(0, 17_000),
    today: dateArb,
    firstDueDays: fc.integer({ min: 1, max: 31 }),
    minInstalment: fc.integer({ min: 1, max: 100_000 }),
    country: countryArb,
    by: fc.oneof(
      fc.record({ months: fc.integer({ min: 1, max: 36 }) }),
      fc.record({ monthly: fc.integer({ min: 10_000, max: 2_000_000 }) }),
      fc.record({ deferMonths: fc.integer({ min: 1, max: 3 }) }),
    ) as fc.Arbitrary<PlanBy>,
  })
  .map(({ principalShare, ...r }): ScheduleInput => ({
    ...r,
    interestBearingPrincipal: Math.floor(r.owed * principalShare),
  }))
  // Schedules longer than ten years are refused by design; the properties are about the rest.
  // A monthly amount at least twice a month's interest pays down at least half of itself each
  // month, so under 60 months' worth of money ends within 120 months.
  .filter(
    (i) =>
      !("monthly" in i.by) ||
      ((i.owed + i.fee) / i.by.monthly < 60 &&
        i.by.monthly >= (2 * i.interestBearingPrincipal * i.interestBasisPoints) / 10_000 / 12),
  );

const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);

describe("proposeSchedule", () => {
  it("always adds up to what is owed plus fee plus interest, to the öre", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const s = proposeSchedule(input);
        expect(sum(s.instalments)).toBe(s.total);
        expect(s.total).toBe(input.owed + input.fee + s.interest);
        expect(s.instalments.every((i) => Number.isSafeInteger(i.amount) && i.amount > 0)).toBe(
          true,
        );
      }),
      { numRuns: 400 },
    );
  });

  it("adds up to exactly what is owed when no interest and no fee apply", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const s = proposeSchedule({ ...input, interestBasisPoints: 0, fee: 0 });
        expect(sum(s.instalments)).toBe(input.owed);
        expect(s.interest).toBe(0);
      }),
    );
  });

  it("never puts a due date on a weekend or bank holiday, and dates only go forward", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const s = proposeSchedule(input);
        s.instalments.forEach((i, k) => {
          expect(isBankDay(i.dueOn, input.country)).toBe(true);
          expect(i.dueOn > input.today).toBe(true);
          if (k > 0) expect(i.dueOn > s.instalments[k - 1]!.dueOn).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("puts no instalment below the minimum when the resident asks for at least the minimum", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const s = proposeSchedule(input);
        const asked =
          "months" in input.by
            ? Math.floor(s.total / input.by.months)
            : "monthly" in input.by
              ? input.by.monthly
              : s.total;
        fc.pre(asked >= input.minInstalment && s.total >= input.minInstalment);
        for (const i of s.instalments) expect(i.amount).toBeGreaterThanOrEqual(input.minInstalment);
      }),
      { numRuns: 400 },
    );
  });

  it("gives the number of months asked, or one instalment for a deferral", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const s = proposeSchedule(input);
        if ("months" in input.by) expect(s.instalments).toHaveLength(input.by.months);
        if ("deferMonths" in input.by) {
          expect(s.instalments).toHaveLength(1);
          expect(s.deferral).toBe(true);
        }
      }),
    );
  });

  it("charges interest during the plan only when the policy does, and the last instalment absorbs rounding", () => {
    const base: ScheduleInput = {
      owed: 1_000_001,
      interestBearingPrincipal: 1_000_000,
      interestBasisPoints: 0,
      fee: 0,
      by: { months: 6 },
      today: "2026-11-22",
      firstDueDays: 14,
      minInstalment: 50_000,
      country: "NO",
    };
    const flat = proposeSchedule(base);
    expect(flat.instalments.map((i) => i.amount)).toEqual([
      166_666, 166_666, 166_666, 166_666, 166_666, 166_671,
    ]);
    // 2026-12-06 is a Sunday: the first instalment moves to Monday.
    expect(flat.instalments[0]!.dueOn).toBe("2026-12-07");
    const withInterest = proposeSchedule({ ...base, interestBasisPoints: 1200 });
    expect(withInterest.interest).toBeGreaterThan(0);
    // About 12 % a year on a declining balance over about 5 months: roughly 3 % of it.
    expect(withInterest.interest).toBeLessThan(40_000);
  });

  it("refuses nonsense with a clear error", () => {
    const ok: ScheduleInput = {
      owed: 100_000,
      interestBearingPrincipal: 0,
      interestBasisPoints: 0,
      fee: 0,
      by: { months: 2 },
      today: "2026-11-22",
      firstDueDays: 14,
      minInstalment: 1,
      country: "SE",
    };
    expect(() => proposeSchedule({ ...ok, owed: 0 })).toThrow(/nothing is owed/);
    expect(() => proposeSchedule({ ...ok, by: { months: 0 } })).toThrow(/months/);
    expect(() => proposeSchedule({ ...ok, owed: 5, by: { months: 6 } })).toThrow(/instalments/);
    expect(() => proposeSchedule({ ...ok, by: { monthly: 1 } })).toThrow(/more than 120/);
    expect(() => proposeSchedule({ ...ok, interestBearingPrincipal: 200_000 })).toThrow(/exceeds/);
  });
});

describe("checkRules", () => {
  const rulesArb = fc.record({
    maxMonths: fc.integer({ min: 1, max: 36 }),
    minInstalment: fc.integer({ min: 1, max: 200_000 }),
    maxTotal: fc.integer({ min: 0, max: 10_000_000 }),
    qualifyingStages: fc.subarray([...PLAN_STAGES]),
    maxPlans: fc.integer({ min: 0, max: 3 }),
    plansWindowMonths: fc.integer({ min: 1, max: 24 }),
    maxDeferralMonths: fc.integer({ min: 0, max: 3 }),
    planFee: fc.constant(0),
    maxFeeSharePercent: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    graceDays: fc.integer({ min: 1, max: 14 }),
    firstDueDays: fc.integer({ min: 1, max: 30 }),
  });

  it("grants at once only what stays within every rule, and names every rule broken", () => {
    fc.assert(
      fc.property(
        inputArb,
        rulesArb,
        fc.subarray([...PLAN_STAGES], { minLength: 1 }),
        fc.integer({ min: 0, max: 4 }),
        (input, rules, stages, plansInWindow) => {
          const schedule = proposeSchedule(input);
          const deferMonths = "deferMonths" in input.by ? input.by.deferMonths : undefined;
          const check = checkRules({ rules, schedule, deferMonths, stages, plansInWindow });
          const n = schedule.instalments.length;
          const expected = {
            months: schedule.deferral || n <= rules.maxMonths,
            deferral: !schedule.deferral || (deferMonths ?? 99) <= rules.maxDeferralMonths,
            minimum: n === 1 || schedule.instalments.every((i) => i.amount >= rules.minInstalment),
            total: schedule.total <= rules.maxTotal,
            stages: stages.every((s) => rules.qualifyingStages.includes(s)),
            plans: plansInWindow < rules.maxPlans,
            fee:
              schedule.fee * 100 <=
              (rules.maxFeeSharePercent ?? DEFAULT_MAX_FEE_SHARE_PERCENT) * schedule.owed,
          };
          const allHold = Object.values(expected).every(Boolean);
          expect(check.within).toBe(allHold);
          if (check.within) {
            // Within the rules means within every one of them.
            expect(schedule.total).toBeLessThanOrEqual(rules.maxTotal);
            if (!schedule.deferral) expect(n).toBeLessThanOrEqual(rules.maxMonths);
            if (n > 1)
              for (const i of schedule.instalments)
                expect(i.amount).toBeGreaterThanOrEqual(rules.minInstalment);
          } else {
            const reasons = new Set(check.reasons);
            expect(reasons.has("too_many_months")).toBe(!expected.months);
            expect(reasons.has("deferral_too_long")).toBe(!expected.deferral);
            expect(reasons.has("instalment_below_minimum")).toBe(!expected.minimum);
            expect(reasons.has("total_above_maximum")).toBe(!expected.total);
            expect(reasons.has("stage_not_qualifying")).toBe(!expected.stages);
            expect(reasons.has("too_many_plans")).toBe(!expected.plans);
            expect(reasons.has("fee_above_share")).toBe(!expected.fee);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("refuses a monthly amount that interest would eat for more than ten years", () => {
    expect(() =>
      proposeSchedule({
        owed: 504_624,
        interestBearingPrincipal: 503_838,
        interestBasisPoints: 2000,
        fee: 17_000,
        today: "2026-01-01",
        firstDueDays: 19,
        minInstalment: 1,
        country: "SE",
        by: { monthly: 10_000 },
      }),
    ).toThrow(PlanInputError);
  });

  it("sends everything to a person when the policy has no plan rules", () => {
    const schedule = proposeSchedule({
      owed: 100_000,
      interestBearingPrincipal: 0,
      interestBasisPoints: 0,
      fee: 0,
      by: { months: 2 },
      today: "2026-11-22",
      firstDueDays: 14,
      minInstalment: 1,
      country: "SE",
    });
    expect(checkRules({ rules: null, schedule, stages: ["INVOICED"], plansInWindow: 0 })).toEqual({
      within: false,
      reasons: ["no_rules"],
    });
  });
});

describe("plan rules as policy data", () => {
  it("accepts good rules and refuses a fee above the legal cap, with the path", () => {
    expect(validatePlanRules(RULES, 17_000)).toEqual({ ok: true, rules: RULES });
    const high = validatePlanRules({ ...RULES, planFee: 20_000 }, 17_000);
    expect(high.ok).toBe(false);
    if (!high.ok) expect(high.errors[0]!.path).toBe("planRules.planFee");
    const noCap = validatePlanRules({ ...RULES, planFee: 100 }, 0);
    expect(noCap.ok ? [] : noCap.errors.map((e) => [e.code, e.message])).toEqual([
      ["plan_fee_no_legal_cap", "no plan fee is allowed: no legal cap is recorded"],
    ]);
    expect(high.ok ? [] : high.errors.map((e) => [e.code, e.params])).toEqual([
      ["plan_fee_above_cap", { amount: 20_000, cap: 17_000 }],
    ]);
    const bad = validatePlanRules({ ...RULES, maxMonths: 0, qualifyingStages: ["FILED"] }, 0);
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual([
      "planRules.maxMonths",
      "planRules.qualifyingStages",
    ]);
  });

  it("takes the fee's largest share of what is owed from the policy, 20 % when it says none", () => {
    expect(validatePlanRules({ ...RULES, maxFeeSharePercent: 10 }, 17_000)).toEqual({
      ok: true,
      rules: { ...RULES, maxFeeSharePercent: 10 },
    });
    const bad = validatePlanRules({ ...RULES, maxFeeSharePercent: 150 }, 17_000);
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(["planRules.maxFeeSharePercent"]);
    const plan = (owed: number, fee: number) =>
      proposeSchedule({
        owed,
        interestBearingPrincipal: 0,
        interestBasisPoints: 0,
        fee,
        by: { months: 1 },
        today: "2026-11-23",
        firstDueDays: 14,
        minInstalment: 1,
        country: "SE",
      });
    const rules = { ...RULES, planFee: 10_000 };
    const check = (owed: number, r: PlanRules = rules) =>
      checkRules({
        rules: r,
        schedule: plan(owed, 10_000),
        stages: ["INVOICED"],
        plansInWindow: 0,
      });
    // Issue 15: a 100 kr fee on a 150 kr balance.
    expect(check(15_000)).toEqual({ within: false, reasons: ["fee_above_share"] });
    expect(check(50_000)).toEqual({ within: true });
    expect(check(49_999)).toEqual({ within: false, reasons: ["fee_above_share"] });
    expect(check(99_999, { ...rules, maxFeeSharePercent: 10 })).toMatchObject({ within: false });
    expect(strictestRules([rules, { ...rules, maxFeeSharePercent: 5 }])).toMatchObject({
      maxFeeSharePercent: 5,
    });
  });

  it("combines several claim types' rules into the strictest", () => {
    const other = {
      ...RULES,
      maxMonths: 12,
      minInstalment: 80_000,
      qualifyingStages: ["INVOICED" as const],
    };
    expect(strictestRules([RULES, other])).toMatchObject({
      maxMonths: 12,
      minInstalment: 80_000,
      qualifyingStages: ["INVOICED"],
    });
    expect(strictestRules([])).toBeNull();
  });
});

describe("helpers", () => {
  it("adds months, keeping to the month's end", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-11-22", 2)).toBe("2027-01-22");
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 48 }), (d, n) => {
        const later = addMonths(d, n);
        expect(later >= d).toBe(true);
        expect(later <= addDays(d, n * 31)).toBe(true);
      }),
    );
  });

  it("counts money paid against instalments in order", () => {
    const inst = [
      { dueOn: "2026-12-01", amount: 100 },
      { dueOn: "2027-01-01", amount: 100 },
    ];
    expect(instalmentProgress(inst, 150).map((p) => p.paid)).toEqual([100, 50]);
    expect(firstUnpaid(inst, 150)).toMatchObject({ index: 1, paid: 50 });
    expect(firstUnpaid(inst, 200)).toBeNull();
  });

  it("splits an instalment over claims oldest first, never above a claim's balance", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ id: fc.uuid(), dueOn: dateArb, owed: fc.integer({ min: 0, max: 100_000 }) }),
          { minLength: 1, maxLength: 5 },
        ),
        fc.integer({ min: 0, max: 600_000 }),
        (claims, amount) => {
          const parts = splitOverClaims(amount, claims);
          const owed = claims.reduce((s, c) => s + c.owed, 0);
          expect(sum(parts)).toBe(Math.min(amount, owed));
          for (const p of parts)
            expect(p.amount).toBeLessThanOrEqual(claims.find((c) => c.id === p.id)!.owed);
        },
      ),
    );
  });
});
