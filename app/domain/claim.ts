import type { AllocationOrder, BalanceCategory, ChargeKind } from "./balance";
import type { Country, IsoDate } from "./calendar-date";
import type { ClaimStage, ClaimStatus } from "./claim-stages";
import { isLang, type Lang } from "~/i18n/config";
import { claimStatement, type ClaimStatement } from "./claim-statement";
import { evaluate, isHoldActive, type Decision, type EvaluationHold } from "./escalation";
import type { LawBook } from "./law-book";
import type { PlanRules } from "./payment-plan";
import type { Policy, PolicyStep } from "./policy";
import { netOfRefunds, type SnapshotPayment } from "./snapshot-payment";
import { smallBalanceOf } from "./write-off";

/*
 * One claim, one shape. Every reader (the resident's pages, the creditor API, the back office,
 * the sweep, payments and plans) gets a claim as this plain snapshot from one loader
 * (app/services/claims/load-claims.server.ts): calendar dates as ISO strings, money in integer
 * minor units, ids as strings, no ORM types. What is worked out from a claim (its statement, the
 * next step, its active holds) is worked out here, from the snapshot alone.
 */

export { CLAIM_STAGES, CLAIM_STATUSES } from "./claim-stages";
export type { ClaimStage, ClaimStatus } from "./claim-stages";

export type SnapshotCharge = {
  id: string;
  kind: ChargeKind;
  amount: number;
  chargedOn: IsoDate;
  /** The type of the event that created the charge (claim.received, reminder.sent, ...). */
  causeType: string;
  legalBasis: string;
  /** A charge found wrong (an upheld dispute) is cancelled, never deleted. */
  cancelledOn: IsoDate | null;
  cancelReason: string | null;
  /** Cancelled because it was written off (not worth collecting), not because it was wrong. */
  writtenOff?: boolean;
  /** A fee whose notice has not been dispatched yet: not owed until it has (dated that day). */
  pending: boolean;
};

export type SnapshotNotice = {
  id: string;
  kind: string;
  status: "PENDING" | "DISPATCHED" | "DELIVERED" | "FAILED" | "RETURNED" | "RESENT";
  stepId: string | null;
  channel: "DIGITAL_MAILBOX" | "EMAIL" | "PRINT" | null;
  dispatchedOn: IsoDate | null;
  deadline: IsoDate | null;
  deadlineDays: number | null;
};

export type SnapshotHold = {
  id: string;
  kind: string;
  reason: string;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
  releasedOn: IsoDate | null;
};

/** What a write-off took off the claim, by category, on its day: never changed afterwards. */
export type WriteOffRecord = {
  on: IsoDate;
  amount: number;
  allocations: Partial<Record<BalanceCategory, number>>;
};

export type SnapshotStep = { id: string; key: string; takenOn: IsoDate; deadline: IsoDate | null };

export type SnapshotPolicy = Omit<Policy, "planRules" | "writeOff"> & {
  /** As stored (checked when the policy was set); read with writeOffRuleOf. */
  writeOff?: unknown;
  id: string;
  version: number;
  /** Days a printed letter takes to arrive. */
  postalDays: number;
  planRules: PlanRules | null;
};

export type ClaimSnapshot = {
  id: string;
  externalId: string;
  description: string;
  currency: string;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  paymentReference: string;
  status: ClaimStatus;
  stage: ClaimStage;
  /** The day the claim reached its stage (the due date while invoiced). */
  stageEnteredOn: IsoDate;
  closedOn: IsoDate | null;
  /** When the engine looks at the claim again (the evaluator's own answer, stored). */
  nextActionOn: IsoDate | null;
  creditorId: string;
  claimTypeId: string;
  residentId: string;
  policyId: string;
  creditor: {
    id: string;
    slug: string;
    name: string;
    country: Country;
    timeZone: string;
    bankAccount: string;
    /** A Norwegian municipality's written form (nb or nn); null: the country's default. */
    writtenForm: string | null;
  };
  claimType: {
    id: string;
    slug: string;
    name: string;
    names: Record<string, string>;
    /** Norway: the municipality enforces claims of this type itself (særnamsmann). */
    ownEnforcement?: boolean;
  };
  policy: SnapshotPolicy;
  /**
   * Staff answered "keep collecting" to the small balance that became small on this day: the
   * write-off rule passes it by until something lowers the balance again (decision 0106).
   */
  keepCollectingSince?: IsoDate | null;
  /** Each write-off of the claim, fixed when it was made (decision 0106). */
  writeOffs?: WriteOffRecord[];
  /** Every row of the claim in one order: its own date, then when recorded, then id. */
  charges: SnapshotCharge[];
  payments: SnapshotPayment[];
  holds: SnapshotHold[];
  steps: SnapshotStep[];
  /** The claim's letters, oldest first. */
  notices: SnapshotNotice[];
  resident: {
    name: string;
    email: string | null;
    language: string | null;
    /** An unresolved vulnerability flag: nothing goes towards enforcement until a person looks. */
    vulnerable: boolean;
  };
};

/** The policy as the evaluator and the statement read it. */
export function policyOf(claim: ClaimSnapshot): Policy {
  const p = claim.policy;
  return {
    steps: p.steps as PolicyStep[],
    enforcementMinimum: p.enforcementMinimum,
    chargesInterest: p.chargesInterest,
    allocationOrder: p.allocationOrder as AllocationOrder,
    resumeDeadlineDays: p.resumeDeadlineDays,
  };
}

/**
 * Everything the claim consists of on `today`: every charge, interest so far, payments, balance.
 * A written-off claim stands as it was on the day it was written off: interest stops then, and
 * what was left is `writtenOff`, owed by no one and never paid (decision 0106). Each write-off is
 * recorded with its amount and split when made and taken off like a payment that pays nothing
 * (it is in no list of payments and not in `paid`): so a refund after it reopens exactly what the
 * refund restores, and what was written off stays what it was.
 */
export function statementOf(claim: ClaimSnapshot, law: LawBook, today: IsoDate): ClaimStatement {
  const closedOff = claim.status === "WRITTEN_OFF";
  // A cancelled claim (an objection to the whole bill upheld) was never owed: none of its charges
  // counts, and whatever was paid on it is credit to be paid back (decisions.server.ts books it).
  const cancelled = claim.status === "CANCELLED";
  const day = closedOff && claim.closedOn && claim.closedOn < today ? claim.closedOn : today;
  const records = (claim.writeOffs ?? []).filter((w) => w.on <= day);
  const statement = claimStatement({
    country: claim.creditor.country,
    dueOn: claim.dueOn,
    today: day,
    chargesInterest: claim.policy.chargesInterest,
    // A cancelled charge (an upheld dispute) or a written-off fee is owed by no one; it stays on
    // record, not in sums.
    charges: claim.charges
      .filter((c) => !cancelled && !c.cancelledOn && !c.pending)
      .map((c) => ({
        kind: c.kind,
        amount: c.amount,
        chargedOn: c.chargedOn,
        causeType: c.causeType,
        legalBasis: c.legalBasis,
      })),
    payments: [
      ...claim.payments.map(netOfRefunds),
      ...records.map((w, i) => ({
        id: `${WRITE_OFF_ENTRY}${i}`,
        amount: w.amount,
        receivedOn: w.on,
        method: WRITE_OFF_ENTRY,
        allocations: w.allocations,
      })),
    ],
    rates: law.interest[claim.creditor.country],
    order: claim.policy.allocationOrder as AllocationOrder,
  });
  if (records.length > 0) return withoutWriteOffEntries(statement, records);
  if (!closedOff) return statement;
  // Written off before write-offs were recorded: what is left on its day is what was written off.
  const b = statement.balance;
  return {
    ...statement,
    balance: { ...b, principal: 0, fees: 0, interest: 0, total: 0, writtenOff: b.total },
  };
}

const WRITE_OFF_ENTRY = "write-off:";

/** The statement with the write-offs out of its payments: they are `writtenOff`, never paid. */
function withoutWriteOffEntries(
  statement: ClaimStatement,
  records: readonly WriteOffRecord[],
): ClaimStatement {
  const isEntry = (p: { method: string }) => p.method === WRITE_OFF_ENTRY;
  const writtenOff = records.reduce((s, w) => s + w.amount, 0);
  return {
    ...statement,
    payments: statement.payments.filter((p) => !isEntry(p)),
    unabsorbed: statement.unabsorbed.filter((u) => !isEntry(u.payment)),
    balance: { ...statement.balance, paid: statement.balance.paid - writtenOff, writtenOff },
  };
}

export function holdsOf(claim: ClaimSnapshot): EvaluationHold[] {
  return claim.holds;
}

export function activeHoldsOf(claim: ClaimSnapshot, today: IsoDate): SnapshotHold[] {
  return claim.holds.filter((h) => isHoldActive(h, today));
}

/**
 * The escalation decision for a claim on a day: the one the engine acts on and the resident is
 * shown. `statement` must be the claim's statement on the same day; passed as a function, it is
 * computed only if the decision needs the balance (only the step to enforcement does).
 */
export function decisionOf(
  claim: ClaimSnapshot,
  statement: ClaimStatement | (() => ClaimStatement),
  law: LawBook,
  today: IsoDate,
): Decision {
  let known = typeof statement === "function" ? undefined : statement;
  const balance = () => (known ??= (statement as () => ClaimStatement)()).balance;
  const country = claim.creditor.country;
  return evaluate({
    status: claim.status,
    stage: claim.stage,
    dueOn: claim.dueOn,
    country,
    policy: policyOf(claim),
    figures: (date) => law.figures(country, date),
    outstanding: {
      get principal() {
        return balance().principal;
      },
      get fees() {
        return balance().fees;
      },
      get interest() {
        return balance().interest;
      },
    },
    holds: claim.holds,
    stepsTaken: claim.steps,
    vulnerable: claim.resident.vulnerable,
    letters: lettersOf(claim),
    writeOff: smallBalanceOf(claim, balance),
    today,
  });
}

/** The claim's letters still to be sent, and those that did not arrive and were not sent again. */
export function lettersOf(claim: Pick<ClaimSnapshot, "notices">) {
  let waiting = 0;
  let undelivered = 0;
  for (const n of claim.notices) {
    if (n.status === "PENDING") waiting++;
    else if (n.status === "FAILED" || n.status === "RETURNED") undelivered++;
  }
  return { waiting, undelivered };
}

/** When the sweep must look at the claim again: the decision's own date, or never by itself. */
export function nextActionOn(decision: Decision, today: IsoDate): IsoDate | null {
  // The day the action fell due, not today: a sweep run for a past date (catching up, or a
  // replay) must still find it.
  if (decision.kind === "act") return decision.since < today ? decision.since : today;
  if (decision.kind === "wait") return decision.on;
  return decision.resumesOn ?? null;
}

/**
 * When the engine must next look at a claim as it stands on `today`: the evaluator's decision on
 * its statement that day. Every writer outside the sweep sets it this way (through
 * `refreshNextActions`, or the intake on the snapshot it builds).
 */
export function nextLookOn(claim: ClaimSnapshot, law: LawBook, today: IsoDate): IsoDate | null {
  return nextActionOn(decisionOf(claim, statementOf(claim, law, today), law, today), today);
}

const COUNTRY_LANGUAGE = { SE: "sv", NO: "nb" } as const;

/** The language the resident reads: their own choice, else their creditor's written form (nb or nn), else its country's. */
export function residentLanguage(claim: ClaimSnapshot): Lang {
  const chosen = claim.resident.language;
  if (isLang(chosen)) return chosen;
  const written = claim.creditor.writtenForm;
  return isLang(written) ? written : COUNTRY_LANGUAGE[claim.creditor.country];
}

/**
 * The claim as it will be once a move is written: what the next decision of the same sweep is
 * made on, and what the move's notice says. Pure; the claim writer writes the same effects.
 */
export function claimAfter(
  claim: ClaimSnapshot,
  effect: {
    status: ClaimStatus;
    stage: ClaimStage;
    on: IsoDate;
    step?: SnapshotStep;
    charge?: Omit<SnapshotCharge, "cancelledOn" | "cancelReason" | "chargedOn" | "pending">;
    /** The notice the move writes: its fee counts once it is dispatched. */
    notice?: SnapshotNotice;
  },
): ClaimSnapshot {
  return {
    ...claim,
    status: effect.status,
    stage: effect.stage,
    stageEnteredOn: effect.stage !== claim.stage ? effect.on : claim.stageEnteredOn,
    steps: effect.step ? [...claim.steps, effect.step] : claim.steps,
    charges: effect.charge
      ? [
          ...claim.charges,
          {
            ...effect.charge,
            chargedOn: effect.on,
            cancelledOn: null,
            cancelReason: null,
            pending: effect.notice !== undefined,
          },
        ]
      : claim.charges,
    notices: effect.notice ? [...claim.notices, effect.notice] : claim.notices,
  };
}
