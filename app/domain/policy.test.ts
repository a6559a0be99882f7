import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { legalFiguresOn, validatePolicy, type LegalRateRow, type Policy } from "./policy";

// Law as dated rows, like the LegalRate table. The 2026 rows are made up to exercise a change.
const SE_RATES: LegalRateRow[] = [
  { kind: "REMINDER_FEE_CAP", value: 6_000, validFrom: "2020-01-01" },
  { kind: "COLLECTION_FEE_CAP", value: 18_000, validFrom: "2020-01-01" },
  { kind: "PLAN_FEE_CAP", value: 17_000, validFrom: "2020-01-01" },
  { kind: "MIN_COLLECTION_DEADLINE_DAYS", value: 8, validFrom: "2020-01-01" },
  { kind: "LATE_INTEREST_RATE", value: 975, validFrom: "2026-01-01" },
];
const NO_RATES: LegalRateRow[] = [
  { kind: "REMINDER_FEE_CAP", value: 3_500, validFrom: "2025-01-01" },
  { kind: "REMINDER_FEE_CAP", value: 3_750, validFrom: "2026-01-01" },
  { kind: "COLLECTION_FEE_CAP", value: 3_500, validFrom: "2025-01-01" },
  { kind: "PAYMENT_DEMAND_FEE_CAP", value: 10_500, validFrom: "2025-01-01" },
  { kind: "MIN_COLLECTION_DEADLINE_DAYS", value: 14, validFrom: "2020-01-01" },
];

const SE_POLICY: Policy = {
  steps: [
    // prettier-ignore
    { stage: "REMINDER", daysAfter: 10, notice: true, deadlineDays: 10, fee: { kind: "REMINDER_FEE", amount: 6_000 } },
    // prettier-ignore
    { stage: "COLLECTION_NOTICE", daysAfter: 11, notice: true, deadlineDays: 10, fee: { kind: "COLLECTION_FEE", amount: 18_000 } },
    { stage: "READY_FOR_ENFORCEMENT", daysAfter: 11, notice: false },
  ],
  enforcementMinimum: 50_000,
  chargesInterest: true,
  allocationOrder: ["costs", "interest", "principal"],
  resumeDeadlineDays: 10,
};

const seFigures = legalFiguresOn("SE", "2026-11-22", SE_RATES);
const errorsOf = (policy: unknown, country: "SE" | "NO" = "SE", figures = seFigures) => {
  const result = validatePolicy(policy, country, figures);
  return result.ok ? [] : result.errors;
};

describe("legalFiguresOn", () => {
  it("maps cap rows to fee kinds and the collection deadline to its stages", () => {
    expect(seFigures).toEqual({
      caps: { REMINDER_FEE: 6_000, COLLECTION_FEE: 18_000, PLAN_FEE: 17_000 },
      minDeadlineDays: { COLLECTION_NOTICE: 8 },
      asOf: "2026-11-22",
    });
    const no = legalFiguresOn("NO", "2025-06-01", NO_RATES);
    expect(no.minDeadlineDays).toEqual({ COLLECTION_NOTICE: 14, PAYMENT_DEMAND: 14 });
  });

  it("picks the row in force on the date, never a future one", () => {
    expect(legalFiguresOn("NO", "2025-12-31", NO_RATES).caps.REMINDER_FEE).toBe(3_500);
    expect(legalFiguresOn("NO", "2026-01-01", NO_RATES).caps.REMINDER_FEE).toBe(3_750);
    expect(legalFiguresOn("NO", "2024-12-31", NO_RATES).caps).toEqual({});
  });

  it("does not depend on the order of the rows", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(NO_RATES, { minLength: NO_RATES.length }), (rows) => {
        expect(legalFiguresOn("NO", "2026-03-01", rows)).toEqual(
          legalFiguresOn("NO", "2026-03-01", NO_RATES),
        );
      }),
    );
  });
});

describe("validatePolicy", () => {
  it("accepts a policy within the law and drops unknown keys", () => {
    const result = validatePolicy({ ...SE_POLICY, extra: 1 }, "SE", seFigures);
    expect(result).toEqual({ ok: true, policy: SE_POLICY });
  });

  it("refuses a fee above the cap in force, naming amount, cap, kind, country and date", () => {
    const steps = structuredClone(SE_POLICY.steps);
    steps[1]!.fee = { kind: "COLLECTION_FEE", amount: 25_000 };
    expect(errorsOf({ ...SE_POLICY, steps })).toEqual([
      {
        path: "steps.1.fee.amount",
        code: "fee_above_cap",
        params: { amount: 25_000, cap: 18_000, kind: "COLLECTION_FEE", country: "SE", asOf: "2026-11-22" }, // prettier-ignore
        message: "250.00 exceeds the legal cap of 180.00 for COLLECTION_FEE in SE on 2026-11-22",
      },
    ]);
  });

  it("treats a fee kind without a recorded cap as not allowed", () => {
    const figures = legalFiguresOn("NO", "2024-06-01", NO_RATES);
    const errors = errorsOf(
      {
        ...SE_POLICY,
        resumeDeadlineDays: 14,
        steps: [{ stage: "REMINDER", daysAfter: 1, notice: true, deadlineDays: 14, fee: { kind: "REMINDER_FEE", amount: 1 } }], // prettier-ignore
      },
      "NO",
      figures,
    );
    expect(errors).toEqual([
      {
        path: "steps.0.fee.amount",
        code: "fee_no_legal_cap",
        params: { kind: "REMINDER_FEE", country: "NO", asOf: "2024-06-01" },
        message: "REMINDER_FEE is not allowed in NO on 2024-06-01: no legal cap is recorded",
      },
    ]);
  });

  it("refuses steps out of ladder order, repeated, or a payment demand in Sweden", () => {
    const step = (stage: string) => ({ stage, daysAfter: 5, notice: false });
    const errors = errorsOf({
      ...SE_POLICY,
      steps: [
        step("COLLECTION_NOTICE"),
        step("REMINDER"),
        step("REMINDER"),
        step("PAYMENT_DEMAND"),
      ],
    });
    expect(errors.map((e) => [e.path, e.code, e.params])).toEqual([
      ["steps.1.stage", "stage_out_of_order", { stage: "REMINDER" }],
      ["steps.2.stage", "stage_out_of_order", { stage: "REMINDER" }],
      ["steps.3.stage", "payment_demand_only_norway", { country: "SE" }],
    ]);
  });

  it("charges fees only with a notice and never at READY_FOR_ENFORCEMENT", () => {
    const errors = errorsOf({
      ...SE_POLICY,
      steps: [
        { stage: "REMINDER", daysAfter: 1, notice: false, fee: { kind: "REMINDER_FEE", amount: 100 } }, // prettier-ignore
        { stage: "READY_FOR_ENFORCEMENT", daysAfter: 1, notice: true, deadlineDays: 10, fee: { kind: "COLLECTION_FEE", amount: 100 } }, // prettier-ignore
      ],
    });
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ["steps.0.fee", "fee_without_notice"],
      ["steps.1.notice", "enforcement_sends_no_notice"],
      ["steps.1.fee", "enforcement_charges_no_fee"],
    ]);
  });

  it("refuses a fee of another stage's kind, so a low cap cannot be dodged", () => {
    const steps = structuredClone(SE_POLICY.steps);
    steps[0]!.fee = { kind: "COLLECTION_FEE", amount: 6_000 };
    expect(errorsOf({ ...SE_POLICY, steps })).toEqual([
      {
        path: "steps.0.fee.kind",
        code: "fee_kind_wrong_for_stage",
        params: { stage: "REMINDER", kind: "COLLECTION_FEE", expected: "REMINDER_FEE" },
        message: "REMINDER may only charge REMINDER_FEE, not COLLECTION_FEE",
      },
    ]);
  });

  it("requires notice deadlines of at least 1 day and the legal minimum", () => {
    const steps = structuredClone(SE_POLICY.steps);
    delete steps[0]!.deadlineDays;
    steps[1]!.deadlineDays = 7;
    expect(errorsOf({ ...SE_POLICY, steps, resumeDeadlineDays: 7 })).toEqual([
      {
        path: "resumeDeadlineDays",
        code: "resume_below_legal_minimum",
        params: { days: 7, minimum: 8, country: "SE", asOf: "2026-11-22" },
        message: expect.stringContaining("minimum of 8 days"),
      },
      {
        path: "steps.0.deadlineDays",
        code: "notice_needs_a_day",
        message: "a notice must give at least 1 day to pay",
      },
      {
        path: "steps.1.deadlineDays",
        code: "deadline_below_legal_minimum",
        params: { days: 7, minimum: 8, stage: "COLLECTION_NOTICE", country: "SE", asOf: "2026-11-22" }, // prettier-ignore
        message: expect.stringContaining("minimum of 8 days"),
      },
    ]);
  });

  it("reports shape errors with dotted paths", () => {
    expect(errorsOf(null)).toEqual([
      { path: "", code: "not_object", message: "must be an object" },
    ]);
    const errors = errorsOf({
      steps: [{ stage: "REMINDER", daysAfter: -1, notice: "yes", fee: { kind: "X", amount: 1.5 } }],
      enforcementMinimum: -5,
      chargesInterest: "no",
      allocationOrder: ["costs", "costs", "principal"],
      resumeDeadlineDays: 2.5,
    });
    expect(errors.map((e) => [e.path, e.code])).toEqual([
      ["enforcementMinimum", "not_minor_amount"],
      ["chargesInterest", "not_boolean"],
      ["allocationOrder", "allocation_order_invalid"],
      ["resumeDeadlineDays", "not_whole_days"],
      ["steps.0.daysAfter", "not_whole_days"],
      ["steps.0.notice", "not_boolean"],
      ["steps.0.fee.kind", "fee_kind_unknown"],
      ["steps.0.fee.amount", "not_minor_amount"],
      ["steps.0.fee", "fee_without_notice"],
    ]);
  });

  it("never accepts a fee above its cap, whatever the policy", () => {
    const feeStep = fc.record({
      stage: fc.constantFrom("REMINDER", "COLLECTION_NOTICE", "PAYMENT_DEMAND"),
      daysAfter: fc.nat(30),
      notice: fc.boolean(),
      deadlineDays: fc.integer({ min: 1, max: 20 }),
      fee: fc.record({
        kind: fc.constantFrom("REMINDER_FEE", "COLLECTION_FEE", "PAYMENT_DEMAND_FEE", "PLAN_FEE"),
        amount: fc.nat(20_000),
      }),
    });
    fc.assert(
      fc.property(fc.array(feeStep, { maxLength: 3 }), fc.constantFrom("SE", "NO"), (steps, c) => {
        const figures = legalFiguresOn(c, "2026-02-01", c === "SE" ? SE_RATES : NO_RATES);
        const result = validatePolicy({ ...SE_POLICY, steps, resumeDeadlineDays: 14 }, c, figures);
        if (!result.ok) return;
        for (const step of result.policy.steps) {
          if (!step.fee) continue;
          expect(step.notice).toBe(true);
          expect(step.fee.amount).toBeLessThanOrEqual(figures.caps[step.fee.kind] ?? 0);
          expect(step.deadlineDays ?? 0).toBeGreaterThanOrEqual(
            figures.minDeadlineDays[step.stage] ?? 1,
          );
        }
      }),
    );
  });
});
