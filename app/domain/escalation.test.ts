import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { addDays, deadlineFrom, isBankDay, maxDate, nextBankDay } from "./calendar-date";
import {
  evaluate,
  freshDeadline,
  rejectionDeadline,
  stepKey,
  type Decision,
  type EvaluationInput,
} from "./escalation";
import {
  applyAction,
  endOf,
  EXAMPLE_POLICY,
  figuresFor,
  inForce,
  inputArb,
  open,
  paymentDays,
  stepOf,
  unheld,
} from "./escalation.test-support";

// The rules written out again, plainly, as the properties state them (and in the test support).
const lastTaken = (i: EvaluationInput) =>
  i.stepsTaken.map((s) => s.takenOn).reduce(maxDate, i.dueOn);
/** Holds that ended after the last thing done and have had no fresh deadline yet. */
const unresumed = (i: EvaluationInput) =>
  i.holds.filter((h) => {
    const end = endOf(h);
    return (
      // A card payment begun and not finished gives its days back instead.
      h.kind !== "PAYMENT_PENDING" &&
      end !== null &&
      h.startsOn <= end &&
      end <= i.today &&
      (end > lastTaken(i) || h.startsOn >= lastTaken(i)) &&
      !i.stepsTaken.some((s) => s.key === `RESUME:${h.id}`)
    );
  });
const nextOf = (i: EvaluationInput) =>
  i.policy.steps[i.policy.steps.findIndex((s) => s.stage === i.stage) + 1];
const actionDate = (i: EvaluationInput, d: Decision) => (d.kind === "wait" ? d.on : i.today);

describe("evaluate: closed, filed, review", () => {
  it("stops a claim that is not open, whatever else holds", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        if (i.status !== "OPEN") expect(evaluate(i)).toEqual({ kind: "stop", reason: "closed" });
      }),
    );
  });

  it("stops a filed claim, and never moves a claim waiting for review", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const d = evaluate({ ...i, status: "OPEN", stage: "FILED" });
        expect(d).toEqual({ kind: "stop", reason: "filed" });
        // On its way to the authority is as good as filed: no step, whatever holds or letters.
        const exported = evaluate({ ...i, status: "OPEN", stage: "ENFORCEMENT_EXPORTED" });
        expect(exported).toEqual({ kind: "stop", reason: "exported" });
        const ready = { ...i, status: "OPEN" as const, stage: "READY_FOR_ENFORCEMENT" as const };
        expect(stepOf(evaluate(ready))).toBeNull();
        if (!i.holds.some((h) => inForce(h, i.today)) && unresumed(ready).length === 0)
          expect(evaluate(ready)).toEqual({ kind: "stop", reason: "awaiting_review" });
      }),
    );
  });
});

describe("evaluate: holds", () => {
  it("never acts while a hold is in force, and says which holds and until when", () => {
    fc.assert(
      fc.property(open, (i) => {
        const active = i.holds.filter((h) => inForce(h, i.today));
        if (active.length === 0) return;
        const ends = active.map(endOf);
        const resumesOn = ends.every((e) => e !== null) ? ends.reduce(maxDate) : undefined;
        const d = evaluate(i);
        expect(d).toEqual({ kind: "stop", reason: "held", holds: expect.any(Array), ...(resumesOn ? { resumesOn } : {}) }); // prettier-ignore
        expect(d.kind === "stop" && [...(d.holds ?? [])].sort()).toEqual(
          [...new Set(active.map((h) => h.kind))].sort(),
        );
      }),
    );
  });

  it("gives a fresh deadline first, oldest hold first, once a hold has ended", () => {
    fc.assert(
      fc.property(unheld, (i) => {
        const pending = unresumed(i);
        if (pending.length === 0) return;
        const d = evaluate(i);
        expect(d.kind).toBe("act");
        const action = d.kind === "act" ? d.action : null;
        if (action?.type !== "fresh_deadline") throw new Error("no fresh deadline");
        const oldest = pending.map(endOf).reduce((a, b) => (a! <= b! ? a : b));
        expect(endOf(pending.find((h) => h.id === action.holdId)!)).toBe(oldest);
        expect(action.deadline).toBe(deadlineFrom(i.today, i.policy.resumeDeadlineDays, i.country));
      }),
    );
  });

  it("takes no ladder step before every deadline given, fresh ones included, has run out", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const d = evaluate(i);
        if (d.kind !== "act" || d.action.type !== "step") return;
        expect(unresumed(i)).toEqual([]);
        for (const s of i.stepsTaken) if (s.deadline) expect(i.today > s.deadline).toBe(true);
      }),
    );
  });
});

describe("evaluate: the ladder", () => {
  it("only ever heads for the next step of the policy, on the date the rules give", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const d = evaluate(i);
        const step = stepOf(d);
        if (!step) return;
        const next = nextOf(i);
        expect(step.stage).toBe(next?.stage);
        if (!next || i.stage === "READY_FOR_ENFORCEMENT") throw new Error("moved past the ladder");
        const ladder = i.stepsTaken.filter((s) => !s.key.startsWith("RESUME:"));
        const from = ladder.map((s) => s.takenOn).reduce(maxDate, i.dueOn);
        let earliest = addDays(from, next.daysAfter);
        for (const s of i.stepsTaken)
          if (s.deadline) earliest = maxDate(earliest, addDays(s.deadline, 1));
        earliest = nextBankDay(addDays(earliest, paymentDays(i, from, earliest)), i.country);
        if (d.kind === "wait") {
          expect(d.on).toBe(earliest);
          expect(d.on > i.today && isBankDay(d.on, i.country)).toBe(true);
        } else expect(earliest <= i.today).toBe(true);
      }),
    );
  });

  it("ends the ladder at a stage the policy does not know or after its last step", () => {
    fc.assert(
      fc.property(unheld, (i) => {
        if (unresumed(i).length > 0 || i.stage === "READY_FOR_ENFORCEMENT") return;
        const unknown = i.stage !== "INVOICED" && !i.policy.steps.some((s) => s.stage === i.stage);
        if (unknown || !nextOf(i))
          expect(evaluate(i)).toEqual({ kind: "stop", reason: "end_of_ladder" });
      }),
    );
  });

  it("never heads for enforcement below the minimum, with only costs left, or when vulnerable", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const step = stepOf(evaluate(i));
        if (step?.stage !== "READY_FOR_ENFORCEMENT") return;
        expect(i.outstanding.principal).toBeGreaterThan(0);
        expect(i.outstanding.principal).toBeGreaterThanOrEqual(i.policy.enforcementMinimum);
        expect(i.vulnerable).toBe(false);
      }),
    );
  });

  it("charges at most the cap in force on the day, and only with a notice and its deadline", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const d = evaluate(i);
        const step = stepOf(d);
        if (!step) return;
        const on = actionDate(i, d);
        const policyStep = nextOf(i)!;
        if (step.fee) {
          expect(step.notice).toBe(true);
          expect(step.fee.amount).toBeGreaterThan(0);
          expect(step.fee.amount).toBeLessThanOrEqual(
            figuresFor(i.country)(on).caps[step.fee.kind] ?? 0,
          );
        }
        if (policyStep.fee && policyStep.notice) {
          const cap = figuresFor(i.country)(on).caps[policyStep.fee.kind] ?? 0;
          expect(step.fee?.amount ?? 0).toBe(Math.min(policyStep.fee.amount, cap));
        }
        expect(step.deadline).toBe(
          step.notice ? deadlineFrom(on, policyStep.deadlineDays!, i.country) : null,
        );
      }),
    );
  });
});

describe("evaluate: determinism and idempotence", () => {
  it("gives the same decision for the same facts, in any order", () => {
    fc.assert(
      fc.property(inputArb, fc.nat(), (i, seed) => {
        const rotate = <T>(xs: T[]) => xs.map((_, k) => xs[(k + seed) % xs.length]!);
        const d = evaluate(i);
        expect(evaluate(i)).toEqual(d);
        expect(
          evaluate({ ...i, holds: rotate(i.holds), stepsTaken: rotate(i.stepsTaken) }),
        ).toEqual(d);
      }),
    );
  });

  it("never acts twice on the same key on the same day once the action is recorded", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        let current = i;
        const keys = new Set<string>();
        for (let round = 0; round < 6; round++) {
          const d = evaluate(current);
          if (d.kind !== "act") return;
          const key = stepKey(d.action);
          expect(keys.has(key)).toBe(false);
          keys.add(key);
          current = applyAction(current, d.action);
        }
      }),
    );
  });
});

describe("evaluate: examples", () => {
  const policy = EXAMPLE_POLICY;
  const base: EvaluationInput = {
    status: "OPEN",
    stage: "INVOICED",
    dueOn: "2026-05-20",
    country: "SE",
    policy,
    figures: figuresFor("SE"),
    outstanding: { principal: 100_000, fees: 0, interest: 0 },
    holds: [],
    stepsTaken: [],
    vulnerable: false,
    today: "2026-05-20",
  };

  it("waits for the reminder and sends it with fee and deadline on the day", () => {
    const action = { type: "step", stage: "REMINDER", key: "REMINDER", notice: true } as const;
    // 2026-05-30 is a Saturday: the reminder goes on Monday.
    expect(evaluate(base)).toMatchObject({ kind: "wait", on: "2026-06-01", action });
    expect(evaluate({ ...base, today: "2026-06-02" })).toEqual({
      kind: "act",
      // The deadline as written on the day; it counts from dispatch (deadlineDays from then).
      action: {
        ...action,
        fee: { kind: "REMINDER_FEE", amount: 6_000 },
        deadline: "2026-06-12",
        deadlineDays: 10,
      },
      since: "2026-06-01", // due since Monday: a sweep catching up finds it from then on
    });
  });

  it("clamps a collection fee to a cap that was lowered after the policy was approved", () => {
    const stepsTaken = [{ key: "REMINDER", takenOn: "2026-06-01", deadline: "2026-06-11" }];
    const d = evaluate({ ...base, stage: "REMINDER", stepsTaken, today: "2026-06-15" });
    expect(stepOf(d)?.fee).toEqual({ kind: "COLLECTION_FEE", amount: 15_000 });
  });

  it("gives a fresh deadline for an objection filed and decided on the day of a step", () => {
    const stepsTaken = [{ key: "REMINDER", takenOn: "2026-06-01", deadline: "2026-06-11" }];
    const holds = [{ id: "same-day", kind: "DISPUTE", startsOn: "2026-06-01", endsOn: null, releasedOn: "2026-06-01" }]; // prettier-ignore
    const d = evaluate({ ...base, stage: "REMINDER", stepsTaken, holds, today: "2026-06-01" });
    expect(d).toMatchObject({
      kind: "act",
      action: { type: "fresh_deadline", holdId: "same-day" },
    });
  });

  it("resumes after a dispute with a fresh deadline before the next step", () => {
    const holds = [{ id: "d1", kind: "DISPUTE", startsOn: "2026-05-25", endsOn: null, releasedOn: "2026-07-01" }]; // prettier-ignore
    const held = evaluate({ ...base, holds, today: "2026-06-10" });
    expect(held).toEqual({
      kind: "stop",
      reason: "held",
      holds: ["DISPUTE"],
      resumesOn: "2026-07-01",
    });
    const d = evaluate({ ...base, holds, today: "2026-07-02" });
    expect(d).toEqual({ kind: "act", action: { type: "fresh_deadline", holdId: "d1", deadline: "2026-07-13", deadlineDays: 10 }, since: "2026-07-01" }); // prettier-ignore
    if (d.kind !== "act") throw new Error("expected an action");
    const after = applyAction({ ...base, holds, today: "2026-07-02" }, d.action);
    expect(evaluate(after)).toMatchObject({ kind: "wait", on: "2026-07-14" });
  });
});

describe("rejectionDeadline", () => {
  const figures = figuresFor("NO")("2026-12-07");
  const policy = { resumeDeadlineDays: 14 };
  it("is the fresh deadline when no deadline the resident holds runs longer", () => {
    const steps = [{ deadline: "2026-12-01" }, { deadline: null }];
    expect(rejectionDeadline(policy, figures, "2026-12-07", "NO", 14, steps)).toBe(
      freshDeadline(policy, figures, "2026-12-07", "NO", 14),
    );
  });
  it("never ends before a deadline the resident already holds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: -30, max: 60 }), { nil: null }), { maxLength: 4 }),
        (offsets) => {
          const steps = offsets.map((o) => ({
            deadline: o === null ? null : addDays("2026-12-07", o),
          }));
          const d = rejectionDeadline(policy, figures, "2026-12-07", "NO", 14, steps);
          const fresh = freshDeadline(policy, figures, "2026-12-07", "NO", 14);
          const held = steps.flatMap((s) => (s.deadline ? [s.deadline] : []));
          expect(d).toBe([fresh, ...held].reduce(maxDate));
        },
      ),
    );
  });
});
