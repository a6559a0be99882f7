import { describe, expect, it } from "vitest";
import { NO_STEPS, DEMO_PLAN_RULES } from "../../prisma/demo-data";
import { diffPolicies, fieldOfError, toContent, toValues, type DraftContent } from "./policy-form";
import { draw } from "./policy-simulation";

const policy: DraftContent = {
  steps: NO_STEPS,
  enforcementMinimum: 20_000,
  chargesInterest: true,
  allocationOrder: ["costs", "interest", "principal"],
  resumeDeadlineDays: 14,
  postalDays: 2,
  planRules: DEMO_PLAN_RULES.NO,
};

describe("the case flow form", () => {
  it("reads back every value of a policy it was filled with", () => {
    const read = toContent(toValues(policy), "NO");
    expect(read).toEqual({ ok: true, content: policy });
  });

  it("reads amounts in main units with a comma or a point, and names each unreadable field", () => {
    const values = { ...toValues(policy), enforcementMinimum: "70,5", "step.REMINDER.fee": "35" };
    const read = toContent(values, "NO");
    expect(read.ok && read.content.enforcementMinimum).toBe(7_050);
    expect(read.ok && read.content.steps[0]?.fee).toEqual({ kind: "REMINDER_FEE", amount: 3_500 });
    const bad = toContent({ ...values, resumeDeadlineDays: "two weeks", postalDays: "-1" }, "NO");
    expect(bad).toEqual({
      ok: false,
      errors: [
        { field: "resumeDeadlineDays", message: "int", code: "int" },
        { field: "postalDays", message: "int", code: "int" },
      ],
    });
  });

  it("leaves out a step that is not ticked, and puts a law error beside its field", () => {
    const values = { ...toValues(policy), "step.PAYMENT_DEMAND.on": "" };
    const read = toContent(values, "NO");
    if (!read.ok) throw new Error("unreadable");
    expect(read.content.steps.map((s) => s.stage)).toEqual(["REMINDER", "COLLECTION_NOTICE", "READY_FOR_ENFORCEMENT"]); // prettier-ignore
    expect(fieldOfError({ path: "steps.2.daysAfter" }, read.content)).toBe("step.READY_FOR_ENFORCEMENT.daysAfter"); // prettier-ignore
    expect(fieldOfError({ path: "steps.1.fee.amount" }, read.content)).toBe("step.COLLECTION_NOTICE.fee"); // prettier-ignore
    expect(fieldOfError({ path: "planRules.planFee" }, read.content)).toBe("plan.planFee"); // prettier-ignore
  });

  it("reads and writes the small-balance rule, and says what changed in it", () => {
    const rule = { belowMinor: 5_000, afterDays: 30, feesAndInterestOnly: true, mode: "auto" as const }; // prettier-ignore
    const withRule: DraftContent = { ...policy, writeOff: rule };
    expect(toContent(toValues(withRule), "NO")).toEqual({ ok: true, content: withRule });
    // Unticked: no rule, whatever the fields hold.
    const off = toContent({ ...toValues(withRule), "writeOff.on": "" }, "NO");
    expect(off.ok && off.content.writeOff).toBeUndefined();
    // An amount left empty is no amount rule; an unknown mode is named.
    const noAmount = toContent({ ...toValues(withRule), "writeOff.belowMinor": "" }, "NO");
    expect(noAmount.ok && noAmount.content.writeOff?.belowMinor).toBe(0);
    expect(toContent({ ...toValues(withRule), "writeOff.mode": "shred" }, "NO")).toEqual({
      ok: false,
      errors: [{ field: "writeOff.mode", message: "mode", code: "mode" }],
    });
    expect(fieldOfError({ path: "writeOff.afterDays" }, withRule)).toBe("writeOff.afterDays"); // prettier-ignore
    expect(fieldOfError({ path: "writeOff" }, withRule)).toBe("writeOff.on");
    expect(diffPolicies(policy, withRule, "NO").map((c) => [c.field, c.before, c.after])).toEqual([
      ["writeOff.on", "", "on"],
      ["writeOff.belowMinor", "", "50.00"],
      ["writeOff.afterDays", "", "30"],
      ["writeOff.feesAndInterestOnly", "", "on"],
      ["writeOff.mode", "", "auto"],
    ]);
  });

  it("says what changed between two versions, field by field", () => {
    const next = { ...policy, enforcementMinimum: 0, steps: NO_STEPS.slice(0, 2).concat(NO_STEPS.slice(3)) }; // prettier-ignore
    expect(diffPolicies(policy, next, "NO").map((c) => [c.field, c.before, c.after])).toEqual([
      ["step.PAYMENT_DEMAND.on", "on", ""],
      ["step.PAYMENT_DEMAND.daysAfter", "15", ""],
      ["step.PAYMENT_DEMAND.notice", "on", ""],
      ["step.PAYMENT_DEMAND.deadlineDays", "14", ""],
      ["step.PAYMENT_DEMAND.fee", "105.00", ""],
      ["enforcementMinimum", "200.00", "0.00"],
    ]);
    expect(diffPolicies(policy, policy, "NO")).toEqual([]);
  });

  it("draws the same number for the same claim and stage, spread over [0, 1)", () => {
    expect(draw("a:REMINDER")).toBe(draw("a:REMINDER"));
    const draws = Array.from({ length: 1000 }, (_, i) => draw(`claim-${i}:INVOICED`));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.filter((d) => d < 0.5).length).toBeGreaterThan(400);
    expect(draws.filter((d) => d < 0.5).length).toBeLessThan(600);
  });
});
