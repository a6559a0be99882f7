/**
 * Test data, the engine's side of an "act" and the rules written out plainly, shared by
 * escalation.test.ts, escalation-payment-hold.test.ts and escalation-simulation.test.ts. Not
 * imported by the app.
 */
import fc from "fast-check";
import { addDays, compareDates, deadlineFrom, type Country, type IsoDate } from "./calendar-date";
import {
  stepKey,
  type Action,
  type Decision,
  type EvaluationHold,
  type EvaluationInput,
} from "./escalation";
import {
  legalFiguresOn,
  STEP_STAGES,
  validatePolicy,
  type LegalFigures,
  type LegalRateRow,
  type Policy,
  type PolicyStep,
  type StepStage,
} from "./policy";

/** The worked examples' policy: a reminder, a collection notice, then enforcement (SEK öre). */
export const EXAMPLE_POLICY: Policy = {
  // prettier-ignore
  steps: [
    { stage: "REMINDER", daysAfter: 10, notice: true, deadlineDays: 10, fee: { kind: "REMINDER_FEE", amount: 6_000 } },
    { stage: "COLLECTION_NOTICE", daysAfter: 5, notice: true, deadlineDays: 10, fee: { kind: "COLLECTION_FEE", amount: 18_000 } },
    { stage: "READY_FOR_ENFORCEMENT", daysAfter: 5, notice: false },
  ],
  enforcementMinimum: 50_000,
  chargesInterest: true,
  allocationOrder: ["costs", "interest", "principal"],
  resumeDeadlineDays: 10,
};

// Law as dated rows. The 2026 changes are made up, so that caps move inside the tested range:
// a Swedish cap goes down (fees must be clamped) and a Norwegian one starts in 2025 (no fee
// before it).
export const RATES: Record<Country, LegalRateRow[]> = {
  SE: [
    { kind: "REMINDER_FEE_CAP", value: 6_000, validFrom: "2020-01-01" },
    { kind: "COLLECTION_FEE_CAP", value: 18_000, validFrom: "2020-01-01" },
    { kind: "COLLECTION_FEE_CAP", value: 15_000, validFrom: "2026-06-01" },
    { kind: "MIN_COLLECTION_DEADLINE_DAYS", value: 8, validFrom: "2020-01-01" },
  ],
  NO: [
    { kind: "REMINDER_FEE_CAP", value: 3_500, validFrom: "2025-01-01" },
    { kind: "REMINDER_FEE_CAP", value: 3_750, validFrom: "2026-01-01" },
    { kind: "COLLECTION_FEE_CAP", value: 3_500, validFrom: "2025-01-01" },
    { kind: "PAYMENT_DEMAND_FEE_CAP", value: 10_500, validFrom: "2025-01-01" },
    { kind: "MIN_COLLECTION_DEADLINE_DAYS", value: 14, validFrom: "2020-01-01" },
  ],
};

export const figuresFor =
  (country: Country) =>
  (date: IsoDate): LegalFigures =>
    legalFiguresOn(country, date, RATES[country]);

const POLICY_DATE = "2025-06-01";
const STAGE_FEE = {
  REMINDER: "REMINDER_FEE",
  COLLECTION_NOTICE: "COLLECTION_FEE",
  PAYMENT_DEMAND: "PAYMENT_DEMAND_FEE",
} as const;
const HOLD_KINDS = [
  "DISPUTE",
  "PLAN_REQUEST",
  "ACTIVE_PLAN",
  "HARDSHIP",
  "MANUAL",
  "PAYMENT_PENDING",
];

export const dateArb = fc
  .integer({ min: 0, max: 900 })
  .map((n): IsoDate => addDays("2024-07-01", n));

const stepArb = (country: Country, stage: StepStage): fc.Arbitrary<PolicyStep> => {
  const notifies = stage !== "READY_FOR_ENFORCEMENT";
  const figures = figuresFor(country)(POLICY_DATE);
  const legalMin = figures.minDeadlineDays[stage] ?? 1;
  const cap = stage === "READY_FOR_ENFORCEMENT" ? 0 : (figures.caps[STAGE_FEE[stage]] ?? 0);
  return fc
    .record({
      daysAfter: fc.nat(30),
      notice: notifies ? fc.boolean() : fc.constant(false),
      // Slightly past the cap and below the minimum now and then, so validation has work.
      fee: fc.option(fc.nat(Math.round(cap * 1.1)), { nil: undefined }),
      deadlineDays: fc.integer({ min: Math.max(1, legalMin - 2), max: 30 }),
    })
    .map(({ daysAfter, notice, fee, deadlineDays }) => ({
      stage,
      daysAfter,
      notice,
      ...(notice && fee !== undefined && stage !== "READY_FOR_ENFORCEMENT"
        ? { fee: { kind: STAGE_FEE[stage], amount: fee } }
        : {}),
      ...(notice ? { deadlineDays } : {}),
    }));
};

/** Only policies the law allows, made valid by validatePolicy itself. */
export const policyArb = (country: Country): fc.Arbitrary<Policy> =>
  fc
    .subarray(
      STEP_STAGES.filter((s) => country === "NO" || s !== "PAYMENT_DEMAND"),
      { minLength: 1 },
    )
    .chain((stages) =>
      fc.record({
        steps: fc.tuple(...stages.map((s) => stepArb(country, s))),
        enforcementMinimum: fc.oneof(fc.constant(0), fc.nat(100_000)),
        chargesInterest: fc.boolean(),
        allocationOrder: fc.constant(["costs", "interest", "principal"]),
        resumeDeadlineDays: fc.integer({ min: 6, max: 30 }),
      }),
    )
    .map((raw) => validatePolicy(raw, country, figuresFor(country)(POLICY_DATE)))
    .filter((r) => r.ok)
    .map((r) => (r.ok ? r.policy : (null as never)));

const holdArb = (dueOn: IsoDate, id: string): fc.Arbitrary<EvaluationHold> =>
  fc
    .record({
      kind: fc.constantFrom(...HOLD_KINDS),
      start: fc.integer({ min: -20, max: 150 }),
      length: fc.option(fc.nat(40), { nil: null }),
      released: fc.option(fc.integer({ min: -2, max: 40 }), { nil: null }),
    })
    .map(({ kind, start, length, released }) => {
      const startsOn = addDays(dueOn, start);
      return {
        id,
        kind,
        startsOn,
        endsOn: length === null ? null : addDays(startsOn, length),
        releasedOn: released === null ? null : addDays(startsOn, released),
      };
    });

export const holdsArb = (dueOn: IsoDate): fc.Arbitrary<EvaluationHold[]> =>
  fc
    .nat(3)
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => holdArb(dueOn, `hold-${i}`))));

/**
 * A claim somewhere on its ladder: the steps up to its stage were taken in order, some holds,
 * and maybe a fresh deadline already given for some of them.
 */
export const inputArb: fc.Arbitrary<EvaluationInput> = fc
  .constantFrom<Country>("SE", "NO")
  .chain((country) => fc.record({ country: fc.constant(country), policy: policyArb(country) }))
  .chain(({ country, policy }) =>
    fc.record({
      country: fc.constant(country),
      policy: fc.constant(policy),
      dueOn: dateArb,
      // Mostly somewhere before the last step, so that there is a next one.
      reached: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: -1, max: policy.steps.length - 2 }) },
        { weight: 1, arbitrary: fc.constant(policy.steps.length - 1) },
      ),
      gaps: fc.array(fc.nat(40), { minLength: 4, maxLength: 4 }),
      todayOffset: fc.integer({ min: -5, max: 90 }),
      // Now and then a filed claim, or a stage the policy does not have (it changed since).
      oddStage: fc.oneof(
        { weight: 10, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom("FILED" as const, "PAYMENT_DEMAND" as const) },
      ),
      status: fc.oneof(
        { weight: 8, arbitrary: fc.constant("OPEN" as const) },
        { weight: 1, arbitrary: fc.constantFrom("PAID", "CANCELLED", "WRITTEN_OFF") },
      ),
      principal: fc.oneof(fc.constant(0), fc.nat(200_000)),
      resumed: fc.array(fc.nat(2), { maxLength: 2 }),
      vulnerable: fc.boolean(),
    }),
  )
  .chain((g) =>
    holdsArb(g.dueOn).map((holds): EvaluationInput => {
      const stepsTaken: EvaluationInput["stepsTaken"] = [];
      let on = g.dueOn;
      for (let i = 0; i <= g.reached; i++) {
        const step = g.policy.steps[i]!;
        on = addDays(on, (g.gaps[i] ?? 0) + step.daysAfter);
        const deadline = step.notice ? deadlineFrom(on, step.deadlineDays ?? 1, g.country) : null;
        stepsTaken.push({ key: step.stage, takenOn: on, deadline });
      }
      for (const idx of g.resumed) {
        const hold = holds[idx];
        if (!hold || stepsTaken.some((s) => s.key === `RESUME:${hold.id}`)) continue;
        const takenOn = addDays(hold.startsOn, 10);
        const deadline = deadlineFrom(takenOn, g.policy.resumeDeadlineDays, g.country);
        stepsTaken.push({ key: `RESUME:${hold.id}`, takenOn, deadline });
      }
      const stage = g.oddStage ?? g.policy.steps[g.reached]?.stage ?? "INVOICED";
      return {
        status: g.status,
        stage,
        dueOn: g.dueOn,
        country: g.country,
        policy: g.policy,
        figures: figuresFor(g.country),
        outstanding: { principal: g.principal, fees: 0, interest: 0 },
        holds,
        stepsTaken,
        vulnerable: g.vulnerable,
        today: addDays(on, g.todayOffset),
      };
    }),
  );

/** What the engine does with an "act": record the step under its key and move the stage. */
export function applyAction(i: EvaluationInput, action: Action): EvaluationInput {
  const taken = { key: stepKey(action), takenOn: i.today, deadline: action.deadline };
  return {
    ...i,
    stage: action.type === "step" ? action.stage : i.stage,
    stepsTaken: [...i.stepsTaken, taken],
  };
}

// The rules written out again, plainly, as the properties state them.
/** Whether a hold is in force on a day. */
export const inForce = (h: EvaluationHold, d: IsoDate) =>
  h.startsOn <= d &&
  (h.releasedOn === null || h.releasedOn > d) &&
  (h.endsOn === null || h.endsOn >= d);
/** First day out of force, for a hold that has an end. */
export const endOf = (h: EvaluationHold): IsoDate | null => {
  const ends = [h.releasedOn, h.endsOn && addDays(h.endsOn, 1)].filter((d) => d !== null);
  return ends.sort(compareDates)[0] ?? null;
};
/** The step an evaluation heads for or takes, if any. */
export const stepOf = (d: Decision) =>
  d.kind !== "stop" && d.action.type === "step" ? d.action : null;
/** Open claims the engine still moves, and those with no hold in force today. */
export const open = inputArb.filter(
  (i) => i.status === "OPEN" && i.stage !== "FILED" && i.stage !== "ENFORCEMENT_EXPORTED",
);
export const unheld = open.filter((i) => !i.holds.some((h) => inForce(h, i.today)));
/** Days from `from` up to `until` on which a card payment held the claim (or began and ended). */
export const paymentDays = (i: EvaluationInput, from: IsoDate, until: IsoDate) => {
  let n = 0;
  for (let d = from; d < until; d = addDays(d, 1))
    if (
      i.holds.some(
        (h) =>
          h.kind === "PAYMENT_PENDING" && (inForce(h, d) || (h.startsOn === d && endOf(h) === d)),
      )
    )
      n += 1;
  return n;
};
