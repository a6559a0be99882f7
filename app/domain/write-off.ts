import type { ChargeKind } from "./balance";
import { addDays, compareDates, type IsoDate } from "./calendar-date";
import { reasonCollector, type PolicyError } from "./policy-reasons";
import type { ClaimStage, ClaimStatus } from "./claim-stages";
import { netOfRefunds, type SnapshotPayment } from "./snapshot-payment";

/*
 * What is left that is not worth collecting (issue 16, docs/decisions/0106). A creditor's policy
 * may say: what is left below an amount, or only fees and interest left (the principal paid), for
 * more than a number of days since it became so, is written off by the engine (with an event and
 * a letter to the resident) or put in a staff queue. Decided here, from the balance alone; the
 * evaluator (escalation.ts) stops the ladder while such a balance waits, so no fee is charged on it.
 */

export type WriteOffMode = "auto" | "queue";
export const WRITE_OFF_MODES: readonly WriteOffMode[] = ["auto", "queue"];

export type WriteOffRule = {
  /** What is left below this (minor units) counts as small; 0: no amount rule. */
  belowMinor: number;
  /** Days the balance must have been small before it is written off (or queued). */
  afterDays: number;
  /** Also counts as small: the principal is paid and only fees and interest are left. */
  feesAndInterestOnly: boolean;
  mode: WriteOffMode;
};

/** Longest wait a rule may set: past a year the balance is no longer "left over". */
export const MAX_WRITE_OFF_DAYS = 365;

type Err = PolicyError;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isNonNegativeInt = (v: unknown): v is number =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Checks a policy's `writeOff` value, naming each wrong field. */
export function validateWriteOff(
  raw: unknown,
  at = "writeOff",
): { ok: true; rule: WriteOffRule } | { ok: false; errors: Err[] } {
  const { errors, fail } = reasonCollector(at);
  if (!isRecord(raw))
    return {
      ok: false,
      errors: [{ path: at, code: "not_object", message: "must be an object or null" }],
    };
  if (!isNonNegativeInt(raw.belowMinor))
    fail("belowMinor", "not_minor_amount", "must be a non-negative integer of minor units");
  if (!isNonNegativeInt(raw.afterDays) || raw.afterDays > MAX_WRITE_OFF_DAYS)
    fail(
      "afterDays",
      "days_in_range",
      `must be a whole number of days from 0 to ${MAX_WRITE_OFF_DAYS}`,
      { minimum: 0, maximum: MAX_WRITE_OFF_DAYS },
    );
  if (typeof raw.feesAndInterestOnly !== "boolean")
    fail("feesAndInterestOnly", "not_boolean", "must be true or false");
  if (!(WRITE_OFF_MODES as readonly unknown[]).includes(raw.mode))
    fail("mode", "write_off_mode_unknown", `must be one of ${WRITE_OFF_MODES.join(", ")}`);
  if (errors.length === 0 && raw.belowMinor === 0 && raw.feesAndInterestOnly === false)
    fail(
      "belowMinor",
      "write_off_nothing",
      "with no amount and feesAndInterestOnly false the rule writes off nothing",
    );
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    rule: {
      belowMinor: raw.belowMinor as number,
      afterDays: raw.afterDays as number,
      feesAndInterestOnly: raw.feesAndInterestOnly as boolean,
      mode: raw.mode as WriteOffMode,
    },
  };
}

/** A stored rule as the engine reads it; anything malformed counts as no rule. */
export function writeOffRuleOf(raw: unknown): WriteOffRule | null {
  if (raw === null || raw === undefined) return null;
  const checked = validateWriteOff(raw);
  return checked.ok ? checked.rule : null;
}

/** Stages the engine may write off from: not once a person approved filing, nor after. */
const AUTOMATIC_STAGES: readonly ClaimStage[] = [
  "INVOICED",
  "REMINDER",
  "COLLECTION_NOTICE",
  "PAYMENT_DEMAND",
  "READY_FOR_ENFORCEMENT",
];

export type SmallBalance = {
  /** The day the balance became small (the last payment or correction that lowered it). */
  since: IsoDate;
  /** The first day it may be written off (since + afterDays). */
  on: IsoDate;
  /** What is written off. */
  amount: number;
  mode: WriteOffMode;
};

/**
 * Whether what is left of a claim is small by the rule, and from when. Only a balance that
 * something lowered counts (a payment, or a fee cancelled or written off): a bill never paid on
 * is not a leftover, however small. Null: not small, nothing owed, or no rule.
 */
export function smallBalance(input: {
  rule: WriteOffRule | null;
  stage: ClaimStage;
  balance: { principal: number; fees: number; interest: number; total: number };
  /** The last day a payment or a correction lowered what is owed; null: never. */
  loweredOn: IsoDate | null;
}): SmallBalance | null {
  const { rule, balance, loweredOn } = input;
  if (!rule || loweredOn === null || balance.total <= 0) return null;
  if (!AUTOMATIC_STAGES.includes(input.stage)) return null;
  const below = rule.belowMinor > 0 && balance.total < rule.belowMinor;
  const onlyCosts = rule.feesAndInterestOnly && balance.principal <= 0;
  if (!below && !onlyCosts) return null;
  return {
    since: loweredOn,
    on: addDays(loweredOn, rule.afterDays),
    amount: balance.total,
    mode: rule.mode,
  };
}

/** The latest of the days given, or null when there is none. */
export function latestDay(days: readonly (IsoDate | null | undefined)[]): IsoDate | null {
  let latest: IsoDate | null = null;
  for (const d of days) if (d && (latest === null || compareDates(d, latest) > 0)) latest = d;
  return latest;
}

/**
 * What of a claim the readings below look at; a claim snapshot (app/domain/claim.ts) has it all.
 * Named here, not taken from the snapshot, because the claim reads write-offs (its decision), so
 * this module must not depend on it.
 */
type WriteOffCharge = {
  kind: ChargeKind;
  amount: number;
  cancelledOn: IsoDate | null;
  /** Cancelled because it was written off, not because it was wrong. */
  writtenOff?: boolean;
};

export type WriteOffFacts = {
  status: ClaimStatus;
  stage: ClaimStage;
  policy: { writeOff?: unknown };
  keepCollectingSince?: IsoDate | null;
  charges: readonly WriteOffCharge[];
  payments: readonly SnapshotPayment[];
};

/** The fees written off on a claim (decision 0106), as its pages list them. */
export function writtenOffFeesOf(claim: Pick<WriteOffFacts, "charges">) {
  return claim.charges.flatMap((c) =>
    c.writtenOff && c.cancelledOn ? [{ kind: c.kind, amount: c.amount, on: c.cancelledOn }] : [],
  );
}

/** The last day a payment or a correction lowered what the claim owes; null: never. */
export function loweredOnOf(claim: Pick<WriteOffFacts, "payments" | "charges">): IsoDate | null {
  return latestDay([
    ...claim.payments.filter((p) => netOfRefunds(p).amount > 0).map((p) => p.receivedOn),
    ...claim.charges.map((c) => c.cancelledOn),
  ]);
}

/**
 * What is left of an open claim is small by its policy's write-off rule: from when, until when,
 * and how much. Null for most claims, without reading the balance: no rule, or never lowered.
 */
export function smallBalanceOf(
  claim: WriteOffFacts,
  balance: () => { principal: number; fees: number; interest: number; total: number },
): SmallBalance | null {
  if (claim.status !== "OPEN") return null;
  const rule = writeOffRuleOf(claim.policy.writeOff);
  if (!rule) return null;
  const loweredOn = loweredOnOf(claim);
  if (!loweredOn) return null;
  // Staff said "keep collecting" for this balance: passed by until it is lowered again.
  if (claim.keepCollectingSince && loweredOn <= claim.keepCollectingSince) return null;
  return smallBalance({ rule, stage: claim.stage, balance: balance(), loweredOn });
}

/** Holds under which nothing is written off by itself: money or a decision is on its way. */
export const WRITE_OFF_BLOCKING_HOLDS = [
  "PAYMENT_PENDING",
  "ACTIVE_PLAN",
  "PLAN_REQUEST",
  "DISPUTE",
] as const;

/**
 * Why staff may not write off a claim now, or null. A payment on its way would land on a closed
 * claim; a claim in an active plan is written off only once the plan is done (the plan's
 * instalments were computed on it).
 */
export function staffWriteOffBlock(
  activeHoldKinds: readonly string[],
): "payment_pending" | "in_plan" | null {
  if (activeHoldKinds.includes("PAYMENT_PENDING")) return "payment_pending";
  if (activeHoldKinds.includes("ACTIVE_PLAN")) return "in_plan";
  return null;
}
