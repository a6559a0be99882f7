import { bandOf, BANDS, type Band } from "./amount-bands";
import type { ChargeKind } from "./balance";
import { addDays, daysBetween, deadlineFrom, type IsoDate } from "./calendar-date";
import {
  claimAfter,
  decisionOf,
  statementOf,
  type ClaimSnapshot,
  type SnapshotPolicy,
} from "./claim";
import { smallBalanceOf } from "./write-off";
import type { ClaimStage } from "./claim-stages";
import { moveClaim, STEP_MOVES } from "./claim-transitions";
import { stepKey, type Action, type Decision } from "./escalation";
import type { LawBook } from "./law-book";
import type { Policy } from "./policy";

/*
 * A draft policy and the current one, run side by side over a creditor's open claims for the next
 * days (issue 16, decision 0105). Every decision is the engine's own (`decisionOf`, the evaluator
 * the sweep and the resident's page use): this file only moves the clock, applies each action as
 * the sweep would (the step, its fee, its letter, which leaves the same day by digital mail), and
 * lets estimated payments close claims. Nothing here is random: whether a claim is paid at a
 * stage is a seeded hash of the claim's id and the stage, compared with the creditor's own share.
 */

/** The ladder stages a resident can pay in before the enforcement queue. */
export const PAY_STAGES = ["INVOICED", "REMINDER", "COLLECTION_NOTICE", "PAYMENT_DEMAND"] as const;
export type PayStage = (typeof PAY_STAGES)[number];

export type PaymentEstimate = {
  /** `history`: from the creditor's own closed claims; `default`: too few of them (stated). */
  source: "history" | "default";
  /** Claims the shares were estimated from (0 for the default). */
  observed: number;
  /** Share (0–1) of claims in a stage that are paid in full there rather than moving on. */
  paidShare: Record<PayStage, number>;
  /** Days after reaching the stage that such a claim is paid. */
  paidAfterDays: Record<PayStage, number>;
};

/** Days a simulation looks ahead unless told otherwise, and at most. */
export const DEFAULT_DAYS = 90;
export const MAX_DAYS = 730;

/** Fewer decided claims than this and the stated default is used instead of the history. */
export const MIN_HISTORY = 30;

export const DEFAULT_ESTIMATE: PaymentEstimate = {
  source: "default",
  observed: 0,
  paidShare: { INVOICED: 0.5, REMINDER: 0.4, COLLECTION_NOTICE: 0.3, PAYMENT_DEMAND: 0.2 },
  paidAfterDays: { INVOICED: 7, REMINDER: 7, COLLECTION_NOTICE: 10, PAYMENT_DEMAND: 10 },
};

export const LETTER_KINDS = [
  "REMINDER",
  "COLLECTION_NOTICE",
  "PAYMENT_DEMAND",
  "FRESH_DEADLINE",
] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export type SimulationSide = {
  letters: Record<LetterKind, number>;
  /** Fees charged, minor units, per kind. */
  fees: Partial<Record<ChargeKind, number>>;
  feesTotal: number;
  /** Claims reaching the enforcement queue, and their principal, per amount band. */
  enforcement: Record<Band, { claims: number; principal: number }>;
  /** Residents who get a letter, a fee or reach the enforcement queue. */
  residentsAffected: number;
  /** Claims the estimate has paid in full in the window. */
  paid: number;
  /**
   * Small balances the policy's write-off rule writes off (or, in queue mode, puts before staff)
   * in the window, and what was left on them. Absent from runs stored before it was counted.
   */
  writeOffs?: { claims: number; amount: number; queued: number };
};

export type SimulationSummary = {
  asOf: IsoDate;
  days: number;
  claims: number;
  residents: number;
  currentVersion: number;
  estimate: PaymentEstimate;
  current: SimulationSide;
  draft: SimulationSide;
  /** Residents with at least one claim whose letters, fees or queueing differ between the two. */
  residentsTreatedDifferently: number;
};

/** The policy fields the simulation swaps into a claim; the rest of the claim stays its own. */
export type SimulatedPolicy = Policy & { postalDays?: number };

/** FNV-1a of the text, as a number in [0, 1): the seeded, repeatable draw. */
export function draw(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}

const emptySide = (): SimulationSide => ({
  letters: { REMINDER: 0, COLLECTION_NOTICE: 0, PAYMENT_DEMAND: 0, FRESH_DEADLINE: 0 },
  fees: {},
  feesTotal: 0,
  enforcement: Object.fromEntries(
    BANDS.map((b) => [b, { claims: 0, principal: 0 }]),
  ) as SimulationSide["enforcement"],
  residentsAffected: 0,
  paid: 0,
  writeOffs: { claims: 0, amount: 0, queued: 0 },
});

type ClaimOutcome = {
  letters: LetterKind[];
  fees: { kind: ChargeKind; amount: number }[];
  enforcedPrincipal: number | null;
  paid: boolean;
  /** What the write-off rule wrote off (or queued for staff), and how. */
  writtenOff: { amount: number; mode: "auto" | "queue" } | null;
};

function withPolicy(claim: ClaimSnapshot, policy: SimulatedPolicy, asOf: IsoDate): ClaimSnapshot {
  const p: SnapshotPolicy = {
    ...claim.policy,
    steps: policy.steps,
    enforcementMinimum: policy.enforcementMinimum,
    chargesInterest: policy.chargesInterest,
    allocationOrder: policy.allocationOrder,
    resumeDeadlineDays: policy.resumeDeadlineDays,
    planRules: policy.planRules ?? null,
    writeOff: policy.writeOff ?? null,
    postalDays: policy.postalDays ?? claim.policy.postalDays,
  };
  // Letters already written and waiting leave with the first day's mail, as they would.
  const stepDeadline = new Map<string, IsoDate>();
  const notices = claim.notices.map((n) => {
    if (n.status !== "PENDING") return n;
    const deadline = deadlineFrom(asOf, n.deadlineDays ?? 0, claim.creditor.country);
    if (n.stepId && n.deadlineDays) stepDeadline.set(n.stepId, deadline);
    return { ...n, status: "DISPATCHED" as const, dispatchedOn: asOf, deadline };
  });
  return {
    ...claim,
    policy: p,
    notices,
    charges: claim.charges.map((c) => (c.pending ? { ...c, pending: false } : c)),
    steps: claim.steps.map((s) =>
      stepDeadline.has(s.id) ? { ...s, deadline: stepDeadline.get(s.id)! } : s,
    ),
  };
}

/** Applies one of the evaluator's actions as the sweep and the day's letters would. */
function apply(claim: ClaimSnapshot, action: Action, today: IsoDate, n: number): ClaimSnapshot {
  const move = action.type === "fresh_deadline" ? "renew_deadline" : STEP_MOVES[action.stage];
  const to = moveClaim(claim, move, "system");
  const notifies = action.type === "fresh_deadline" || action.notice;
  const id = `sim-${n}`;
  const fee = action.type === "step" ? action.fee : null;
  return claimAfter(claim, {
    status: to.status,
    stage: to.stage,
    on: today,
    step: { id, key: stepKey(action), takenOn: today, deadline: action.deadline },
    ...(fee
      ? {
          charge: {
            id: `${id}-fee`,
            kind: fee.kind,
            amount: fee.amount,
            legalBasis: "",
            causeType: to.event,
          },
        }
      : {}),
    ...(notifies
      ? {
          notice: {
            id: `${id}-letter`,
            kind: action.type === "step" ? action.stage : "FRESH_DEADLINE",
            status: "DISPATCHED" as const,
            stepId: id,
            channel: "DIGITAL_MAILBOX" as const,
            dispatchedOn: today,
            deadline: action.deadline,
            deadlineDays: action.deadlineDays,
          },
        }
      : {}),
  });
}

const MAX_ACTIONS_PER_DAY = 4;

/** One claim under one policy from `asOf` for `days` days. */
export function simulateClaim(
  original: ClaimSnapshot,
  policy: SimulatedPolicy,
  law: LawBook,
  asOf: IsoDate,
  days: number,
  estimate: PaymentEstimate,
): ClaimOutcome {
  const out: ClaimOutcome = {
    letters: [],
    fees: [],
    enforcedPrincipal: null,
    paid: false,
    writtenOff: null,
  };
  let claim = withPolicy(original, policy, asOf);
  const end = addDays(asOf, days);
  // When the claim would be paid in its current stage, or null if the estimate says it is not.
  const payDay = (c: ClaimSnapshot): IsoDate | null => {
    const stage = c.stage as PayStage;
    if (!(PAY_STAGES as readonly ClaimStage[]).includes(c.stage)) return null;
    if (draw(`${c.id}:${stage}`) >= estimate.paidShare[stage]) return null;
    const on = addDays(c.stageEnteredOn, estimate.paidAfterDays[stage]);
    return on < asOf ? asOf : on;
  };
  let today = asOf;
  let n = 0;
  while (today < end && claim.status === "OPEN") {
    const pays = payDay(claim);
    if (pays !== null && pays <= today) {
      out.paid = true;
      break;
    }
    let next: IsoDate | null = null;
    for (let i = 0; i < MAX_ACTIONS_PER_DAY; i++) {
      const c = claim;
      const decision = decisionOf(c, () => statementOf(c, law, today), law, today);
      if (decision.kind !== "act") {
        next = decision.kind === "wait" ? decision.on : (decision.resumesOn ?? null);
        out.writtenOff = dueWriteOffOf(c, decision, law, today);
        break;
      }
      const { action } = decision;
      if (action.type === "step" && action.stage === "READY_FOR_ENFORCEMENT")
        out.enforcedPrincipal = statementOf(c, law, today).balance.principal;
      if (action.type === "fresh_deadline") out.letters.push("FRESH_DEADLINE");
      else if (action.notice) out.letters.push(action.stage as LetterKind);
      if (action.type === "step" && action.fee) out.fees.push(action.fee);
      claim = apply(c, action, today, n++);
      // The new stage may be one the estimate pays in; look again tomorrow at the latest.
      next = addDays(today, 1);
    }
    // Written off (or before staff, whose answer the simulation does not guess): nothing more.
    if (out.writtenOff) break;
    const paysNext = payDay(claim);
    const soonest = [next ?? end, paysNext ?? end].reduce((a, b) => (a < b ? a : b));
    // Never past the window, never backwards: the next day at least.
    today = soonest <= today ? addDays(today, 1) : soonest > end ? end : soonest;
  }
  return out;
}

/**
 * The small balance the engine's sweep would write off or queue today: exactly when the
 * evaluator stops for it and its day has come (as `dueWriteOff` in the sweep), with what is left.
 */
function dueWriteOffOf(
  claim: ClaimSnapshot,
  decision: Decision,
  law: LawBook,
  today: IsoDate,
): ClaimOutcome["writtenOff"] {
  if (decision.kind !== "stop") return null;
  if (decision.reason !== "awaiting_write_off" && decision.reason !== "awaiting_write_off_review")
    return null;
  const small = smallBalanceOf(claim, () => statementOf(claim, law, today).balance);
  if (!small || small.on > today) return null;
  return { amount: small.amount, mode: small.mode };
}

function add(side: SimulationSide, o: ClaimOutcome): void {
  for (const l of o.letters) side.letters[l] += 1;
  for (const f of o.fees) {
    side.fees[f.kind] = (side.fees[f.kind] ?? 0) + f.amount;
    side.feesTotal += f.amount;
  }
  if (o.enforcedPrincipal !== null) {
    const band = side.enforcement[bandOf(o.enforcedPrincipal)];
    band.claims += 1;
    band.principal += o.enforcedPrincipal;
  }
  if (o.paid) side.paid += 1;
  if (o.writtenOff) {
    const w = (side.writeOffs ??= { claims: 0, amount: 0, queued: 0 });
    w.claims += 1;
    w.amount += o.writtenOff.amount;
    if (o.writtenOff.mode === "queue") w.queued += 1;
  }
}

const touched = (o: ClaimOutcome) =>
  o.letters.length > 0 || o.fees.length > 0 || o.enforcedPrincipal !== null || !!o.writtenOff;

const same = (a: ClaimOutcome, b: ClaimOutcome) =>
  a.letters.join() === b.letters.join() &&
  a.fees.map((f) => `${f.kind}${f.amount}`).join() ===
    b.fees.map((f) => `${f.kind}${f.amount}`).join() &&
  a.enforcedPrincipal === b.enforcedPrincipal &&
  a.writtenOff?.amount === b.writtenOff?.amount &&
  a.writtenOff?.mode === b.writtenOff?.mode;

/** Both policies over the same claims, the same days and the same estimated payments. */
export function simulatePolicies(input: {
  claims: readonly ClaimSnapshot[];
  current: SimulatedPolicy;
  currentVersion: number;
  draft: SimulatedPolicy;
  law: LawBook;
  asOf: IsoDate;
  days: number;
  estimate: PaymentEstimate;
}): SimulationSummary {
  const current = emptySide();
  const draft = emptySide();
  const touchedBy = { current: new Set<string>(), draft: new Set<string>() };
  const differ = new Set<string>();
  const residents = new Set<string>();
  for (const claim of input.claims) {
    if (claim.status !== "OPEN") continue;
    residents.add(claim.residentId);
    const run = (p: SimulatedPolicy) =>
      simulateClaim(claim, p, input.law, input.asOf, input.days, input.estimate);
    const a = run(input.current);
    const b = run(input.draft);
    add(current, a);
    add(draft, b);
    if (touched(a)) touchedBy.current.add(claim.residentId);
    if (touched(b)) touchedBy.draft.add(claim.residentId);
    if (!same(a, b)) differ.add(claim.residentId);
  }
  current.residentsAffected = touchedBy.current.size;
  draft.residentsAffected = touchedBy.draft.size;
  return {
    asOf: input.asOf,
    days: input.days,
    claims: input.claims.filter((c) => c.status === "OPEN").length,
    residents: residents.size,
    currentVersion: input.currentVersion,
    estimate: input.estimate,
    current,
    draft,
    residentsTreatedDifferently: differ.size,
  };
}

/** The days between two dates, for estimates read from history (never negative). */
export const daysFrom = (from: IsoDate, to: IsoDate) => Math.max(0, daysBetween(from, to));
