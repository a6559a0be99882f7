import { describe, expect, it } from "vitest";
import { evaluate, type EvaluationInput } from "./escalation";
import { validatePolicy, type LegalFigures } from "./policy";
import { smallBalance, validateWriteOff, writeOffRuleOf, type WriteOffRule } from "./write-off";

const RULE: WriteOffRule = {
  belowMinor: 5_000,
  afterDays: 10,
  feesAndInterestOnly: false,
  mode: "auto",
};
const owed = (principal: number, fees: number, interest: number) => ({
  principal,
  fees,
  interest,
  total: principal + fees + interest,
});

describe("the write-off rule", () => {
  it("is checked field by field, with every reason", () => {
    expect(validateWriteOff(RULE)).toEqual({ ok: true, rule: RULE });
    const bad = validateWriteOff({
      belowMinor: -1,
      afterDays: 400,
      feesAndInterestOnly: "yes",
      mode: "later",
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual([
      "writeOff.belowMinor",
      "writeOff.afterDays",
      "writeOff.feesAndInterestOnly",
      "writeOff.mode",
    ]);
    // A rule that can write off nothing is refused rather than stored as a no-op.
    const empty = validateWriteOff({ ...RULE, belowMinor: 0 });
    expect(!empty.ok && empty.errors[0]!.message).toMatch(/writes off nothing/);
    expect(validateWriteOff([]).ok).toBe(false);
    expect(writeOffRuleOf(null)).toBeNull();
    expect(writeOffRuleOf({ mode: "auto" })).toBeNull();
  });

  it("travels in a policy through validatePolicy, which names its fields", () => {
    const figures: LegalFigures = { caps: {}, minDeadlineDays: {} };
    const policy = {
      steps: [],
      enforcementMinimum: 0,
      chargesInterest: true,
      allocationOrder: ["costs", "interest", "principal"],
      resumeDeadlineDays: 14,
    };
    const ok = validatePolicy({ ...policy, writeOff: RULE }, "NO", figures);
    expect(ok.ok && ok.policy.writeOff).toEqual(RULE);
    const none = validatePolicy({ ...policy, writeOff: null }, "NO", figures);
    expect(none.ok && none.policy.writeOff).toBeUndefined();
    const bad = validatePolicy({ ...policy, writeOff: { ...RULE, mode: "x" } }, "NO", figures);
    expect(!bad.ok && bad.errors).toEqual([
      {
        path: "writeOff.mode",
        code: "write_off_mode_unknown",
        message: "must be one of auto, queue",
      },
    ]);
  });

  it("counts a leftover below the amount from the day it was lowered, and only a leftover", () => {
    const base = { rule: RULE, stage: "REMINDER" as const, loweredOn: "2026-11-20" };
    expect(smallBalance({ ...base, balance: owed(651, 0, 3) })).toEqual({
      since: "2026-11-20",
      on: "2026-11-30",
      amount: 654,
      mode: "auto",
    });
    // Never paid on: a small bill is not a leftover.
    expect(smallBalance({ ...base, loweredOn: null, balance: owed(651, 0, 0) })).toBeNull();
    expect(smallBalance({ ...base, balance: owed(5_000, 0, 0) })).toBeNull();
    expect(smallBalance({ ...base, balance: owed(0, 0, 0) })).toBeNull();
    expect(smallBalance({ ...base, rule: null, balance: owed(1, 0, 0) })).toBeNull();
    // Once a person approved filing (or after), the engine writes off nothing by itself.
    expect(
      smallBalance({ ...base, stage: "ENFORCEMENT_APPROVED", balance: owed(1, 0, 0) }),
    ).toBeNull();
    expect(smallBalance({ ...base, stage: "FILED", balance: owed(1, 0, 0) })).toBeNull();
  });

  it("with feesAndInterestOnly, also counts fees and interest left after the principal, whatever the amount", () => {
    const rule = { ...RULE, belowMinor: 0, feesAndInterestOnly: true, mode: "queue" as const };
    const base = { rule, stage: "COLLECTION_NOTICE" as const, loweredOn: "2026-11-20" };
    expect(smallBalance({ ...base, balance: owed(0, 7_000, 120) })).toMatchObject({
      amount: 7_120,
      mode: "queue",
    });
    expect(smallBalance({ ...base, balance: owed(1, 7_000, 120) })).toBeNull();
  });
});

describe("the engine and a small leftover", () => {
  const input = (over: Partial<EvaluationInput>): EvaluationInput => ({
    status: "OPEN",
    stage: "INVOICED",
    dueOn: "2026-11-01",
    country: "NO",
    policy: {
      steps: [
        {
          stage: "REMINDER",
          daysAfter: 14,
          notice: true,
          deadlineDays: 14,
          fee: { kind: "REMINDER_FEE", amount: 3_500 },
        },
      ],
      enforcementMinimum: 0,
      chargesInterest: true,
      allocationOrder: ["costs", "interest", "principal"],
      resumeDeadlineDays: 14,
    },
    figures: () => ({ caps: { REMINDER_FEE: 3_500 }, minDeadlineDays: {} }),
    outstanding: { principal: 0, fees: 0, interest: 3 },
    holds: [],
    stepsTaken: [],
    vulnerable: false,
    today: "2026-11-25",
    ...over,
  });

  it("sends no reminder with a fee for a few øre of interest: it waits for its write-off day", () => {
    // Without a rule the reminder (and its 35 kr fee) would go out for 0.03 kr.
    expect(evaluate(input({}))).toMatchObject({ kind: "act", action: { stage: "REMINDER" } });
    const small = { since: "2026-11-20", on: "2026-11-30", amount: 3, mode: "auto" as const };
    expect(evaluate(input({ writeOff: small }))).toEqual({
      kind: "stop",
      reason: "awaiting_write_off",
      resumesOn: "2026-11-30",
    });
    expect(evaluate(input({ writeOff: { ...small, mode: "queue" } }))).toMatchObject({
      reason: "awaiting_write_off_review",
    });
  });

  it("never writes off past a hold: a payment on its way or a plan stops it first", () => {
    const small = { since: "2026-11-20", on: "2026-11-20", amount: 3, mode: "auto" as const };
    const hold = {
      id: "h",
      kind: "PAYMENT_PENDING",
      startsOn: "2026-11-24",
      endsOn: null,
      releasedOn: null,
    };
    expect(evaluate(input({ writeOff: small, holds: [hold] }))).toMatchObject({ reason: "held" });
  });
});
