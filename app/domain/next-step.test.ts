import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { addDays, compareDates, daysBetween, deadlineFrom, isBankDay } from "./calendar-date";
import { nextStep, type LadderStage, type PolicyStep } from "./next-step";

type Input = Parameters<typeof nextStep>[0];

const LADDER = [
  "REMINDER",
  "COLLECTION_NOTICE",
  "PAYMENT_DEMAND",
  "READY_FOR_ENFORCEMENT",
] as const;
const STAGES: LadderStage[] = ["INVOICED", ...LADDER, "FILED"];
const STATUSES: Input["status"][] = ["OPEN", "PAID", "CANCELLED", "WRITTEN_OFF"];

const dateArb = fc
  .integer({ min: 0, max: daysBetween("2024-01-01", "2026-12-31") })
  .map((n) => addDays("2024-01-01", n));

const stepArb = (stage: PolicyStep["stage"]): fc.Arbitrary<PolicyStep> =>
  fc.record(
    {
      stage: fc.constant(stage),
      daysAfter: fc.nat({ max: 60 }),
      notice: fc.boolean(),
      fee: fc.record({ kind: fc.constant("REMINDER_FEE" as const), amount: fc.nat(20_000) }),
      deadlineDays: fc.nat({ max: 30 }),
    },
    { requiredKeys: ["stage", "daysAfter", "notice"] },
  );
// A policy: some of the ladder's stages, in ladder order, each with its own timing.
const stepsArb = fc.subarray([...LADDER]).chain((stages) => fc.tuple(...stages.map(stepArb)));

const inputArb: fc.Arbitrary<Input> = fc
  .record({
    status: fc.constantFrom(...STATUSES),
    stage: fc.constantFrom(...STAGES),
    stageEnteredOn: dateArb,
    todayOffset: fc.integer({ min: -10, max: 120 }),
    steps: stepsArb,
    activeHolds: fc.array(fc.constantFrom("DISPUTE", "PLAN_REQUEST", "HARDSHIP"), { maxLength: 2 }),
    outstandingPrincipal: fc.nat({ max: 1_000_000 }),
    enforcementMinimum: fc.nat({ max: 100_000 }),
    country: fc.constantFrom("SE" as const, "NO" as const),
  })
  .map(({ todayOffset, ...rest }) => ({
    ...rest,
    today: addDays(rest.stageEnteredOn, todayOffset),
  }));

// An open, unheld claim, so the ladder itself decides.
const openArb = inputArb.map((i): Input => ({ ...i, status: "OPEN", activeHolds: [] }));

const NO_LADDER: PolicyStep[] = [
  // prettier-ignore
  { stage: "REMINDER", daysAfter: 10, notice: true, deadlineDays: 14, fee: { kind: "REMINDER_FEE", amount: 3500 } },
  { stage: "COLLECTION_NOTICE", daysAfter: 14, notice: true, deadlineDays: 14 },
  { stage: "PAYMENT_DEMAND", daysAfter: 14, notice: true, deadlineDays: 14 },
  { stage: "READY_FOR_ENFORCEMENT", daysAfter: 14, notice: false },
];
const example = (over: Partial<Input>): Input => ({
  status: "OPEN",
  stage: "REMINDER",
  stageEnteredOn: "2025-03-03",
  steps: NO_LADDER,
  activeHolds: [],
  outstandingPrincipal: 500_000,
  enforcementMinimum: 20_000,
  country: "NO",
  today: "2025-03-03",
  ...over,
});

describe("nextStep", () => {
  it("a closed claim has no next step, whatever else is true", () => {
    fc.assert(
      fc.property(
        inputArb.filter((i) => i.status !== "OPEN"),
        (i) => {
          expect(nextStep(i)).toEqual({ kind: "closed" });
        },
      ),
    );
  });

  it("any active hold pauses an open claim, and names the holds", () => {
    fc.assert(
      fc.property(
        inputArb.filter((i) => i.activeHolds.length > 0),
        (i) => {
          expect(nextStep({ ...i, status: "OPEN" })).toEqual({
            kind: "paused",
            holds: i.activeHolds,
          });
        },
      ),
    );
  });

  it("a claim ready for enforcement waits for staff review, never for an automatic step", () => {
    fc.assert(
      fc.property(openArb, (i) => {
        expect(nextStep({ ...i, stage: "READY_FOR_ENFORCEMENT" })).toEqual({
          kind: "awaiting_review",
        });
        expect(nextStep({ ...i, stage: "FILED" })).toEqual({ kind: "filed" });
      }),
    );
  });

  it("never heads for enforcement while the principal is under the policy's minimum", () => {
    fc.assert(
      fc.property(
        openArb.filter((i) => i.outstandingPrincipal < i.enforcementMinimum),
        (i) => {
          const next = nextStep(i);
          expect(next.kind === "step" && next.stage === "READY_FOR_ENFORCEMENT").toBe(false);
        },
      ),
    );
    const atDemand = example({ stage: "PAYMENT_DEMAND", outstandingPrincipal: 19_999 });
    expect(nextStep(atDemand)).toEqual({ kind: "below_minimum" });
    // At the minimum itself the claim may proceed (the floor is "below", not "at or below").
    expect(nextStep({ ...atDemand, outstandingPrincipal: 20_000 })).toMatchObject({ kind: "step" });
  });

  it("schedules a step on a bank day, not in the past, and only after the last notice's deadline", () => {
    fc.assert(
      fc.property(openArb, (i) => {
        const next = nextStep(i);
        if (next.kind !== "step") return;
        const index = i.steps.findIndex((s) => s.stage === i.stage);
        const current = i.steps[index];
        expect(next.stage).toBe(i.steps[index + 1]?.stage);
        expect(isBankDay(next.on, i.country)).toBe(true);
        expect(compareDates(next.on, i.today)).toBeGreaterThanOrEqual(0);
        const daysAfter = i.steps[index + 1]?.daysAfter ?? 0;
        expect(compareDates(next.on, addDays(i.stageEnteredOn, daysAfter))).toBeGreaterThanOrEqual(
          0,
        );
        if (current?.deadlineDays !== undefined) {
          const runsOut = addDays(i.stageEnteredOn, current.deadlineDays + 1);
          expect(compareDates(next.on, runsOut)).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("carries the next step's fee, and schedules the first reminder from the invoice stage", () => {
    expect(nextStep(example({ stage: "INVOICED", today: "2025-03-04" }))).toEqual({
      kind: "step",
      stage: "REMINDER",
      on: "2025-03-13", // 2025-03-03 + 10 days, a Thursday
      fee: { kind: "REMINDER_FEE", amount: 3500 },
    });
  });

  it("at the last step of the policy, the ladder ends", () => {
    const noEnforcement = NO_LADDER.filter((s) => s.stage !== "READY_FOR_ENFORCEMENT");
    expect(nextStep(example({ stage: "PAYMENT_DEMAND", steps: noEnforcement }))).toEqual({
      kind: "end_of_ladder",
    });
    expect(nextStep(example({ stage: "INVOICED", steps: [] }))).toEqual({ kind: "end_of_ladder" });
  });

  // A notice sent 2025-04-03 with 14 days ends on Maundy Thursday 2025-04-17, so the resident has
  // until Tuesday 2025-04-22: the next step may come no earlier than the day after.
  it("takes the next step only after a deadline moved to a bank day has run out", () => {
    const sentOn = "2025-04-03";
    const next = nextStep(
      example({ stage: "COLLECTION_NOTICE", stageEnteredOn: sentOn, today: sentOn }),
    );
    const deadline = deadlineFrom(sentOn, 14, "NO");
    expect(deadline).toBe("2025-04-22");
    expect(next).toMatchObject({ kind: "step", stage: "PAYMENT_DEMAND" });
    const on = next.kind === "step" ? next.on : "";
    expect(compareDates(on, deadline)).toBeGreaterThan(0);
  });

  it("never heads for enforcement when only fees and interest remain, whatever the minimum", () => {
    const next = nextStep(
      example({ stage: "PAYMENT_DEMAND", outstandingPrincipal: 0, enforcementMinimum: 0 }),
    );
    expect(next).toEqual({ kind: "only_costs_remain" });
  });

  it("does not restart the ladder for a stage the policy does not have", () => {
    const steps = [{ stage: "REMINDER" as const, daysAfter: 10, notice: true }];
    expect(nextStep(example({ stage: "PAYMENT_DEMAND", steps }))).toEqual({
      kind: "end_of_ladder",
    });
  });
});
