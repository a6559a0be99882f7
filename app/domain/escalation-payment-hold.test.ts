import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { addDays, maxDate, nextBankDay, type IsoDate } from "./calendar-date";
import { evaluate, type Decision, type EvaluationInput } from "./escalation";
import {
  EXAMPLE_POLICY,
  figuresFor,
  inputArb,
  paymentDays,
  stepOf,
  unheld,
} from "./escalation.test-support";
import type { Policy } from "./policy";

// A card payment begun and then cancelled, declined or let expire (decision 0118): its hold gives
// no fresh deadline; the next step moves later by the days it held within the time given.

describe("evaluate: a card payment begun and not finished (decision 0118)", () => {
  const withoutPayments = (i: EvaluationInput) => ({
    ...i,
    holds: i.holds.filter((h) => h.kind !== "PAYMENT_PENDING"),
  });
  const dateOf = (i: EvaluationInput, d: Decision) => (d.kind === "wait" ? d.on : i.today);

  it("never gives a fresh deadline (no extra letter) for a payment that was not finished", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const d = evaluate(i);
        const action = d.kind === "stop" ? null : d.action;
        if (action?.type === "fresh_deadline")
          expect(i.holds.find((h) => h.id === action.holdId)?.kind).not.toBe("PAYMENT_PENDING");
      }),
    );
  });

  it("never brings the next step earlier, and puts it off by no more than the time it held", () => {
    fc.assert(
      fc.property(unheld, (i) => {
        const step = stepOf(evaluate(i));
        const bare = withoutPayments(i);
        const without = stepOf(evaluate(bare));
        if (!step || !without) return;
        const at = dateOf(i, evaluate(i));
        const was = dateOf(bare, evaluate(bare));
        expect(at >= was).toBe(true);
        // At most one day per day of the time the step gave, and then to a bank day.
        const from = i.stepsTaken
          .filter((s) => !s.key.startsWith("RESUME:"))
          .map((s) => s.takenOn)
          .reduce(maxDate, i.dueOn);
        const window = paymentDays(i, from, was);
        expect(at <= maxDate(i.today, nextBankDay(addDays(was, window), i.country))).toBe(true);
      }),
    );
  });
});

describe("evaluate: a card payment on the last day", () => {
  // The examples' policy up to the collection notice.
  const policy: Policy = { ...EXAMPLE_POLICY, steps: EXAMPLE_POLICY.steps.slice(0, 2) };
  // The reminder left on Monday 2026-06-01 with a deadline of Thursday 2026-06-11.
  const reminded: EvaluationInput = {
    status: "OPEN",
    stage: "REMINDER",
    dueOn: "2026-05-20",
    country: "SE",
    policy,
    figures: figuresFor("SE"),
    outstanding: { principal: 100_000, fees: 6_000, interest: 0 },
    holds: [],
    stepsTaken: [{ key: "REMINDER", takenOn: "2026-06-01", deadline: "2026-06-11" }],
    vulnerable: false,
    today: "2026-06-12",
  };
  const payment = (releasedOn: IsoDate | null) => ({
    id: "checkout",
    kind: "PAYMENT_PENDING",
    startsOn: "2026-06-11",
    endsOn: "2026-06-13",
    releasedOn,
  });

  it("takes the next step the day after the deadline when nobody tried to pay", () => {
    expect(evaluate(reminded)).toMatchObject({ kind: "act", since: "2026-06-12" });
  });

  it("gives back the day of a card payment begun and cancelled on the last day", () => {
    const d = evaluate({ ...reminded, holds: [payment("2026-06-11")] });
    // Friday the 12th plus the day back is Saturday: the step waits for Monday. No new letter.
    expect(d).toMatchObject({ kind: "wait", on: "2026-06-15", action: { type: "step", stage: "COLLECTION_NOTICE" } }); // prettier-ignore
  });

  it("gives back the days of a checkout that was never finished and ran out", () => {
    // Not released: it held the 11th, 12th and 13th, of which the 11th is within the time given.
    const held = evaluate({ ...reminded, holds: [payment(null)], today: "2026-06-13" });
    expect(held).toMatchObject({ kind: "stop", reason: "held", resumesOn: "2026-06-14" });
    const d = evaluate({ ...reminded, holds: [payment(null)], today: "2026-06-14" });
    expect(d).toMatchObject({ kind: "wait", on: "2026-06-15", action: { type: "step" } });
  });

  it("gives nothing back for a payment begun after the deadline had run out", () => {
    const late = { ...payment("2026-06-12"), startsOn: "2026-06-12" };
    expect(evaluate({ ...reminded, holds: [late], today: "2026-06-13" })).toMatchObject({
      kind: "act",
      action: { type: "step", stage: "COLLECTION_NOTICE" },
    });
  });
});
