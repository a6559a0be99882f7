import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { addDays, compareDates, type Country, type IsoDate } from "./calendar-date";
import { evaluate, stepKey, type EvaluationHold, type EvaluationInput } from "./escalation";
import { applyAction, dateArb, figuresFor, holdsArb, policyArb } from "./escalation.test-support";
import type { Policy } from "./policy";

type Scenario = {
  country: Country;
  policy: Policy;
  dueOn: IsoDate;
  holds: EvaluationHold[];
  principal: number;
  /** A payment on this day (from the due date) brings the principal down to `paidDown`. */
  paymentDay: number;
  paidDown: number;
  vulnerableFrom: number;
  vulnerableDays: number;
};

const DAYS = 120;

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .constantFrom<Country>("SE", "NO")
  .chain((country) => fc.record({ country: fc.constant(country), policy: policyArb(country) }))
  .chain(({ country, policy }) =>
    dateArb.chain((dueOn) =>
      fc.record({
        country: fc.constant(country),
        policy: fc.constant(policy),
        dueOn: fc.constant(dueOn),
        holds: holdsArb(dueOn),
        principal: fc.nat(200_000),
        paymentDay: fc.integer({ min: 0, max: 2 * DAYS }),
        paidDown: fc.oneof(fc.constant(0), fc.nat(200_000)),
        vulnerableFrom: fc.integer({ min: 0, max: 2 * DAYS }),
        vulnerableDays: fc.nat(60),
      }),
    ),
  );

/** The holds as the system knows them on a day: not yet recorded ones, or future releases, not. */
const knownOn = (holds: EvaluationHold[], day: IsoDate): EvaluationHold[] =>
  holds
    .filter((h) => h.startsOn <= day)
    .map((h) => (h.releasedOn && h.releasedOn > day ? { ...h, releasedOn: null } : h));

const inForce = (h: EvaluationHold, d: IsoDate) =>
  h.startsOn <= d &&
  (h.releasedOn === null || h.releasedOn > d) &&
  (h.endsOn === null || h.endsOn >= d);

const endOf = (h: EvaluationHold): IsoDate | null =>
  [h.releasedOn, h.endsOn && addDays(h.endsOn, 1)]
    .filter((d) => d !== null)
    .sort(compareDates)[0] ?? null;

/**
 * Runs a claim day by day as the nightly sweep would (acting until nothing more is due that
 * day), and checks every safeguard at every action. Returns the keys acted on, in order.
 */
function simulate(s: Scenario): string[] {
  let claim: EvaluationInput = {
    status: "OPEN",
    stage: "INVOICED",
    dueOn: s.dueOn,
    country: s.country,
    policy: s.policy,
    figures: figuresFor(s.country),
    outstanding: { principal: s.principal, fees: 0, interest: 0 },
    holds: [],
    stepsTaken: [],
    vulnerable: false,
    today: s.dueOn,
  };
  const acted: string[] = [];
  for (let day = 0; day < DAYS; day++) {
    const today = addDays(s.dueOn, day);
    const holds = knownOn(s.holds, today);
    claim = {
      ...claim,
      today,
      holds,
      outstanding: { ...claim.outstanding, principal: day >= s.paymentDay ? Math.min(s.paidDown, s.principal) : s.principal }, // prettier-ignore
      vulnerable: day >= s.vulnerableFrom && day < s.vulnerableFrom + s.vulnerableDays,
    };
    for (let round = 0; round < 5; round++) {
      const decision = evaluate(claim);
      expect(evaluate(claim)).toEqual(decision);
      if (decision.kind === "stop" && decision.reason === "held")
        expect(holds.some((h) => inForce(h, today))).toBe(true);
      if (decision.kind !== "act") break;
      const { action } = decision;
      expect(holds.some((h) => inForce(h, today))).toBe(false);
      expect(acted).not.toContain(stepKey(action));

      if (action.type === "step") {
        const i = s.policy.steps.findIndex((p) => p.stage === claim.stage);
        expect(action.stage).toBe(s.policy.steps[i + 1]?.stage);
        expect(claim.stage).not.toBe("READY_FOR_ENFORCEMENT");
        if (action.stage === "READY_FOR_ENFORCEMENT") {
          expect(claim.outstanding.principal).toBeGreaterThan(0);
          expect(claim.outstanding.principal).toBeGreaterThanOrEqual(s.policy.enforcementMinimum);
          expect(claim.vulnerable).toBe(false);
        }
        if (action.fee) {
          expect(action.notice).toBe(true);
          const cap = figuresFor(s.country)(today).caps[action.fee.kind] ?? 0;
          expect(action.fee.amount).toBeLessThanOrEqual(cap);
        }
        for (const t of claim.stepsTaken) if (t.deadline) expect(today > t.deadline).toBe(true);
        // Every hold in force since the last ladder step was followed by a fresh deadline
        // that has run out.
        const ladder = claim.stepsTaken.filter((t) => !t.key.startsWith("RESUME:"));
        const since = ladder.at(-1)?.takenOn ?? s.dueOn;
        for (const h of holds) {
          const end = endOf(h);
          if (end === null || end <= since || h.startsOn >= end) continue;
          // A card payment begun and not finished gives its days back, not a fresh deadline.
          if (h.kind === "PAYMENT_PENDING") continue;
          const fresh = claim.stepsTaken.filter(
            (t) => t.key.startsWith("RESUME:") && t.takenOn >= end && t.deadline! < today,
          );
          expect(fresh.length).toBeGreaterThan(0);
        }
      }
      // No letter with a fresh deadline for a payment that was not finished (decision 0118).
      if (action.type === "fresh_deadline")
        expect(holds.find((h) => h.id === action.holdId)?.kind).not.toBe("PAYMENT_PENDING");
      acted.push(stepKey(action));
      claim = applyAction(claim, action);
    }
  }
  return acted;
}

describe("escalation over 120 days", () => {
  it("keeps every safeguard on every day of a claim's life", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const acted = simulate(s);
        // The ladder is walked in policy order, never skipping a rung of it.
        const ladder = acted.filter((k) => !k.startsWith("RESUME:"));
        expect(ladder).toEqual(s.policy.steps.slice(0, ladder.length).map((p) => p.stage));
      }),
      { numRuns: 150 },
    );
  });

  it("walks an unheld claim with money owed all the way to review", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const total = s.policy.steps.reduce((n, p) => n + p.daysAfter + (p.deadlineDays ?? 0) + 8, 0); // prettier-ignore
        if (total > DAYS) return;
        const acted = simulate({
          ...s,
          holds: [],
          principal: s.policy.enforcementMinimum + 1,
          paymentDay: DAYS,
          vulnerableDays: 0,
        });
        expect(acted).toEqual(s.policy.steps.map((p) => p.stage));
      }),
      { numRuns: 100 },
    );
  });
});
