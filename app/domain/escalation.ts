import type { ChargeKind } from "./balance";
import type { ClaimStage, ClaimStatus } from "./claim-stages";
import {
  addDays,
  compareDates,
  deadlineFrom,
  maxDate,
  nextBankDay,
  type Country,
  type IsoDate,
} from "./calendar-date";
import {
  capFor,
  longestMinimumDeadline,
  type LegalFigures,
  type Policy,
  type PolicyStep,
  type StepStage,
} from "./policy";
import type { SmallBalance } from "./write-off";

/**
 * The one decision about a claim's escalation: the engine acts on it and the resident's "what
 * happens next" box shows it, so the two can never disagree. Decide here, act elsewhere; the
 * clock and the law in force are passed in (cf. Kill Bill's overdue calculator).
 */

export type EvaluationInput = {
  status: ClaimStatus;
  stage: ClaimStage;
  dueOn: IsoDate;
  country: Country;
  policy: Policy;
  /** Figures in force on a date; the caller closes over the rate rows. */
  figures: (date: IsoDate) => LegalFigures;
  /** From claimStatement on `today`. */
  outstanding: { principal: number; fees: number; interest: number };
  /** Every hold ever, active or not. */
  holds: EvaluationHold[];
  /** What was done: key = StepStage, or `RESUME:<holdId>` for a fresh-deadline notice. */
  stepsTaken: { key: string; takenOn: IsoDate; deadline: IsoDate | null }[];
  /** An unresolved vulnerability flag on the resident. */
  vulnerable: boolean;
  /**
   * The claim's letters not yet sent (`waiting`) and those that failed or came back and were not
   * sent again (`undelivered`): while there are any, the claim takes no step (issue 14).
   */
  letters?: { waiting: number; undelivered: number };
  /**
   * What is left is small by the policy's write-off rule (write-off.ts): the ladder stops, so no
   * fee is charged on it, and the claim waits to be written off (or for staff, in queue mode).
   */
  writeOff?: SmallBalance | null;
  today: IsoDate;
};

export type EvaluationHold = {
  id: string;
  kind: string;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  releasedOn: IsoDate | null;
};

/** Why the engine takes no step: each is a sentence on the resident's page (`next.<reason>`). */
export const STOP_REASONS = [
  "closed",
  "held",
  "below_minimum",
  "only_costs_remain",
  "awaiting_write_off",
  "awaiting_write_off_review",
  "vulnerable",
  "awaiting_review",
  "approved_for_enforcement",
  "letter_on_its_way",
  "letter_not_delivered",
  "exported",
  "filed",
  "end_of_ladder",
] as const;

export type StopReason = (typeof STOP_REASONS)[number];

export type Action =
  | {
      type: "step";
      stage: StepStage;
      /** The step's unique key: its stage, and after a send-back the claim's round (`STAGE#2`). */
      key: string;
      fee: { kind: ChargeKind; amount: number } | null;
      notice: boolean;
      deadline: IsoDate | null;
      /** Days to pay the notice gives; its deadline counts from the day it is dispatched. */
      deadlineDays: number | null;
    }
  | { type: "fresh_deadline"; holdId: string; deadline: IsoDate; deadlineDays: number };

export type Decision =
  /** Due today (or overdue): the engine does it now. */
  | { kind: "act"; action: Action; since: IsoDate }
  /** Nothing today; this will happen on `on` unless something changes. */
  | { kind: "wait"; on: IsoDate; action: Action }
  /** `resumesOn`, for holds that all have an end: the day after the last of them ends. */
  | { kind: "stop"; reason: StopReason; holds?: string[]; resumesOn?: IsoDate };

export const RESUME_PREFIX = "RESUME:";
/** A send-back from the enforcement queue (a correction by staff) records a step with this prefix. */
export const SENT_BACK_PREFIX = "SENT_BACK:";

/** The unique (claim, step) key: a second attempt at the same key is a no-op in the database. */
export function stepKey(action: Action): string {
  return action.type === "step" ? action.key : `${RESUME_PREFIX}${action.holdId}`;
}

/**
 * A ladder step's key in a round: each send-back from the enforcement queue starts a new round in
 * which the claim may be queued again (after the fresh deadline the send-back gave).
 */
export function ladderKey(stage: StepStage, stepsTaken: readonly { key: string }[]): string {
  const round = 1 + stepsTaken.filter((s) => s.key.startsWith(SENT_BACK_PREFIX)).length;
  return round === 1 ? stage : `${stage}#${round}`;
}

/**
 * The first day a hold no longer applies, or null while it is open-ended. A release cuts a hold
 * short; an end date is the last day it still applies.
 */
export function holdEndedOn(hold: EvaluationHold): IsoDate | null {
  const afterEnd = hold.endsOn === null ? null : addDays(hold.endsOn, 1);
  if (hold.releasedOn === null) return afterEnd;
  return afterEnd === null || hold.releasedOn < afterEnd ? hold.releasedOn : afterEnd;
}

export function isHoldActive(hold: EvaluationHold, on: IsoDate): boolean {
  const ended = holdEndedOn(hold);
  return hold.startsOn <= on && (ended === null || on < ended);
}

const byDate =
  <T>(get: (x: T) => IsoDate) =>
  (a: T, b: T) =>
    compareDates(get(a), get(b));

export function evaluate(input: EvaluationInput): Decision {
  const { today, country, policy } = input;
  if (input.status !== "OPEN") return { kind: "stop", reason: "closed" };
  if (input.stage === "FILED") return { kind: "stop", reason: "filed" };
  // In a batch on its way to the enforcement authority: as good as filed for the engine, which
  // takes no step, whatever pauses or letters come (staff undo the batch to take it back).
  if (input.stage === "ENFORCEMENT_EXPORTED") return { kind: "stop", reason: "exported" };

  // Checked before awaiting_review: staff cannot approve a filing while a hold stands, and the
  // resident should see the pause rather than a pending enforcement.
  const active = input.holds.filter((h) => isHoldActive(h, today)).sort(holdOrder);
  if (active.length > 0) {
    const ends = active.map(holdEndedOn);
    const resumesOn = ends.every((e) => e !== null)
      ? ends.reduce<IsoDate>((a, b) => maxDate(a, b ?? a), today)
      : undefined;
    return {
      kind: "stop",
      reason: "held",
      holds: [...new Set(active.map((h) => h.kind))],
      ...(resumesOn ? { resumesOn } : {}),
    };
  }

  // A fee and a deadline stand on a letter that actually left: nothing more happens while one is
  // still to be sent, or did not arrive and was not sent again.
  if (input.letters?.undelivered) return { kind: "stop", reason: "letter_not_delivered" };
  if (input.letters?.waiting) return { kind: "stop", reason: "letter_on_its_way" };

  // A small leftover (a bank transfer of the amount shown, arriving days later, leaves a few öre
  // of interest) is not escalated with fees: it waits for its write-off day, when the sweep writes
  // it off or puts it in front of staff (decision 0106). `resumesOn` brings the sweep back then.
  if (input.writeOff)
    return {
      kind: "stop",
      reason: input.writeOff.mode === "auto" ? "awaiting_write_off" : "awaiting_write_off_review",
      resumesOn: input.writeOff.on,
    };

  const taken = [...input.stepsTaken].sort(byDate((s) => s.takenOn));
  const latestTaken = maxDate(taken.at(-1)?.takenOn ?? input.dueOn, input.dueOn);

  // Safeguard 3: escalation resumes only with a fresh deadline. A hold that was in force after
  // the last thing we did (or on the due date, if we did nothing yet) interrupted the time the
  // resident was given, so they get new time before anything else happens.
  const needsResume = input.holds
    .filter((h) => {
      const ended = holdEndedOn(h);
      return (
        ended !== null &&
        // Released before it began: never in force, it interrupted nothing. Placed and lifted
        // on one day (an objection decided the day it came) was in force part of that day.
        h.startsOn <= ended &&
        ended <= today &&
        // It ended after our last step, or began on or after it: either way it interrupted the
        // time that step gave (dates alone cannot order a step and a hold of the same day, but
        // a hold in force at a sweep stops the step, so the step came first).
        (ended > latestTaken || h.startsOn >= latestTaken) &&
        // A card payment begun and not finished gives back the days it held instead (0118).
        h.kind !== PAYMENT_HOLD &&
        !taken.some((s) => s.key === `${RESUME_PREFIX}${h.id}`)
      );
    })
    .sort(holdOrder)[0];
  if (needsResume) {
    const deadlineDays = freshDeadlineDays(input.policy, input.figures(today));
    const deadline = deadlineFrom(today, deadlineDays, country);
    return {
      kind: "act",
      action: { type: "fresh_deadline", holdId: needsResume.id, deadline, deadlineDays },
      // Due since the hold ended: a sweep run for an earlier date has nothing to do yet.
      since: holdEndedOn(needsResume) ?? today,
    };
  }

  // Nothing is ever filed automatically (safeguard 4).
  if (input.stage === "READY_FOR_ENFORCEMENT") return { kind: "stop", reason: "awaiting_review" };
  if (input.stage === "ENFORCEMENT_APPROVED")
    return { kind: "stop", reason: "approved_for_enforcement" };

  const currentIndex = policy.steps.findIndex((s) => s.stage === input.stage);
  // A stage the policy does not know (the policy changed under the claim) is no reason to start
  // the ladder again: nothing happens until staff move the claim.
  if (currentIndex < 0 && input.stage !== "INVOICED")
    return { kind: "stop", reason: "end_of_ladder" };
  const next = policy.steps[currentIndex + 1];
  // A key already taken would be refused by the unique (claim, step) index forever.
  if (!next || taken.some((s) => s.key === ladderKey(next.stage, taken)))
    return { kind: "stop", reason: "end_of_ladder" };

  if (next.stage === "READY_FOR_ENFORCEMENT") {
    // Safeguard 1 and 5: these stop the ladder whether the step is due today or later.
    if (input.outstanding.principal <= 0) return { kind: "stop", reason: "only_costs_remain" };
    if (input.outstanding.principal < policy.enforcementMinimum)
      return { kind: "stop", reason: "below_minimum" };
    if (input.vulnerable) return { kind: "stop", reason: "vulnerable" };
  }

  const on = earliestDate(input, next, taken);
  const actionDate = on <= today ? today : on;
  const action = stepAction(
    next,
    ladderKey(next.stage, taken),
    actionDate,
    country,
    input.figures(actionDate),
  );
  return on <= today ? { kind: "act", action, since: on } : { kind: "wait", on, action };
}

/**
 * The fresh deadline a resident gets when collection resumes (a pause ended, or staff sent the
 * claim back from the enforcement queue): the policy's days, never fewer than the law's longest
 * minimum, to a bank day. `atLeastDays` raises the floor (a rejected objection gives 14).
 */
export function freshDeadline(
  policy: Pick<Policy, "resumeDeadlineDays">,
  figures: LegalFigures,
  today: IsoDate,
  country: Country,
  atLeastDays = 1,
): IsoDate {
  return deadlineFrom(today, freshDeadlineDays(policy, figures, atLeastDays), country);
}

/**
 * The deadline a rejected objection gives: a fresh deadline of at least `atLeastDays`, never
 * earlier than one the resident already holds. A reminder posted the day the objection came
 * gives its time from the day it arrives, which can end after the fresh deadline would: the
 * rejection names that later day, the one the engine waits for anyway.
 */
export function rejectionDeadline(
  policy: Pick<Policy, "resumeDeadlineDays">,
  figures: LegalFigures,
  today: IsoDate,
  country: Country,
  atLeastDays: number,
  stepsTaken: readonly { deadline: IsoDate | null }[],
): IsoDate {
  return stepsTaken.reduce(
    (latest, s) => (s.deadline ? maxDate(latest, s.deadline) : latest),
    freshDeadline(policy, figures, today, country, atLeastDays),
  );
}

/** The days of a fresh deadline (see `freshDeadline`). */
export function freshDeadlineDays(
  policy: Pick<Policy, "resumeDeadlineDays">,
  figures: LegalFigures,
  atLeastDays = 1,
): number {
  return Math.max(policy.resumeDeadlineDays, longestMinimumDeadline(figures), atLeastDays);
}

/** Oldest first, so fresh deadlines and hold lists come out in the same order every time. */
function holdOrder(a: EvaluationHold, b: EvaluationHold): number {
  const endA = holdEndedOn(a) ?? "9999-12-31";
  const endB = holdEndedOn(b) ?? "9999-12-31";
  return (
    compareDates(endA, endB) ||
    compareDates(a.startsOn, b.startsOn) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The step is counted from the last ladder step (or the due date), and never comes before every
 * deadline given so far has run out, fresh deadlines included. Taking the latest of all
 * deadlines rather than only the newest notice's keeps that true even for a silent step.
 */
function earliestDate(
  input: EvaluationInput,
  next: PolicyStep,
  taken: EvaluationInput["stepsTaken"],
): IsoDate {
  const lastLadder = taken.filter((s) => !s.key.startsWith(RESUME_PREFIX)).at(-1);
  const from = lastLadder?.takenOn ?? input.dueOn;
  let earliest = addDays(from, next.daysAfter);
  for (const s of taken) if (s.deadline) earliest = maxDate(earliest, addDays(s.deadline, 1));
  earliest = addDays(earliest, daysHeldForPayment(input.holds, from, earliest));
  return nextBankDay(earliest, input.country);
}

/** The hold a card payment under way places (checkout.server.ts), for a day or two at most. */
export const PAYMENT_HOLD = "PAYMENT_PENDING" as const;

/**
 * The days between `from` and `until` (not counting `until`) on which a card payment under way
 * held the claim. A payment begun and then cancelled, declined or let expire gives the resident
 * those days back: the next step moves as many days later. It gives no fresh deadline, as a
 * decided objection or an ended plan does: that would send one more letter and restart the time
 * after every abandoned payment (decision 0118). Only days before the step's original date count,
 * so payments begun and dropped again and again cannot put the step off without end.
 */
export function daysHeldForPayment(
  holds: readonly EvaluationHold[],
  from: IsoDate,
  until: IsoDate,
): number {
  // Most claims never had a card payment begun: no set made for them on every evaluation.
  if (!holds.some((h) => h.kind === PAYMENT_HOLD)) return 0;
  const days = new Set<IsoDate>();
  for (const h of holds) {
    if (h.kind !== PAYMENT_HOLD) continue;
    const ended = holdEndedOn(h);
    // Released before it began: never in force.
    if (ended !== null && ended < h.startsOn) continue;
    // Placed and lifted on one day: in force part of that day, which counts as the day.
    const last = ended === null ? until : maxDate(ended, addDays(h.startsOn, 1));
    for (let d = maxDate(h.startsOn, from); d < last && d < until; d = addDays(d, 1)) days.add(d);
  }
  return days.size;
}

function stepAction(
  step: PolicyStep,
  key: string,
  on: IsoDate,
  country: Country,
  figures: LegalFigures,
): Action {
  if (!step.notice)
    return {
      type: "step",
      stage: step.stage,
      key,
      fee: null,
      notice: false,
      deadline: null,
      deadlineDays: null,
    };
  // The law in force on the day wins over a policy validated under older law: a cap can only
  // lower the fee, a minimum can only lengthen the deadline.
  const amount = step.fee ? Math.min(step.fee.amount, capFor(figures, step.fee.kind)) : 0;
  const fee = step.fee && amount > 0 ? { kind: step.fee.kind, amount } : null;
  const days = Math.max(step.deadlineDays ?? 0, figures.minDeadlineDays[step.stage] ?? 0, 1);
  return {
    type: "step",
    stage: step.stage,
    key,
    fee,
    notice: true,
    deadline: deadlineFrom(on, days, country),
    deadlineDays: days,
  };
}
