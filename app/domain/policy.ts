import { BALANCE_CATEGORIES, CHARGE_KINDS, type AllocationOrder, type ChargeKind } from "./balance";
import { compareDates, type Country, type IsoDate } from "./calendar-date";
import { validatePlanRules, type PlanRules } from "./payment-plan";
import { validateWriteOff, type WriteOffRule } from "./write-off";

/**
 * A creditor's case flow as data, checked against the law in force before it is stored. The
 * evaluator (escalation.ts) trusts a policy that passed here, so every legal limit that can be
 * known when the policy is written is enforced now rather than discovered on a resident's letter.
 */

export type StepStage =
  "REMINDER" | "COLLECTION_NOTICE" | "PAYMENT_DEMAND" | "READY_FOR_ENFORCEMENT";

/** Ladder order; a policy may skip rungs but never go back or repeat one. */
export const STEP_STAGES: readonly StepStage[] = [
  "REMINDER",
  "COLLECTION_NOTICE",
  "PAYMENT_DEMAND",
  "READY_FOR_ENFORCEMENT",
];

export type PolicyStep = {
  stage: StepStage;
  /** Calendar days after the previous step (or the due date) before this step may be taken. */
  daysAfter: number;
  fee?: { kind: ChargeKind; amount: number };
  notice: boolean;
  /** Days to pay that this step's notice gives. */
  deadlineDays?: number;
};

export type Policy = {
  steps: PolicyStep[];
  enforcementMinimum: number;
  chargesInterest: boolean;
  allocationOrder: AllocationOrder;
  /** Fresh deadline given when a hold ends. */
  resumeDeadlineDays: number;
  /** What a resident may grant themselves as a payment plan or deferral; absent: staff decide. */
  planRules?: PlanRules;
  /** What is left that is not worth collecting, and what happens to it; absent: nothing by itself. */
  writeOff?: WriteOffRule;
};

/** The figures in force on one date, already resolved by the caller from dated rows. */
export type LegalFigures = {
  caps: Partial<Record<ChargeKind, number>>;
  minDeadlineDays: Partial<Record<StepStage, number>>;
  /** The date these figures are in force on; only used to make messages precise. */
  asOf?: IsoDate;
};

export type LegalRateRow = { kind: string; value: number; validFrom: IsoDate };

const CAP_KINDS: Record<string, ChargeKind> = {
  REMINDER_FEE_CAP: "REMINDER_FEE",
  COLLECTION_FEE_CAP: "COLLECTION_FEE",
  PAYMENT_DEMAND_FEE_CAP: "PAYMENT_DEMAND_FEE",
  PLAN_FEE_CAP: "PLAN_FEE",
};

/**
 * The fee a step may carry. Tying the kind to the stage stops a policy from dodging a low cap
 * (a reminder fee labelled as a collection fee would otherwise pass under the higher cap).
 */
const STAGE_FEE: Partial<Record<StepStage, ChargeKind>> = {
  REMINDER: "REMINDER_FEE",
  COLLECTION_NOTICE: "COLLECTION_FEE",
  PAYMENT_DEMAND: "PAYMENT_DEMAND_FEE",
};

export function legalFiguresOn(
  country: Country,
  date: IsoDate,
  rates: readonly LegalRateRow[],
): LegalFigures {
  // Latest row per kind that is already in force on `date`; later rows are future law.
  const inForce = new Map<string, LegalRateRow>();
  for (const row of rates) {
    if (compareDates(row.validFrom, date) > 0) continue;
    const current = inForce.get(row.kind);
    if (!current || compareDates(row.validFrom, current.validFrom) > 0) inForce.set(row.kind, row);
  }
  const figures: LegalFigures = { caps: {}, minDeadlineDays: {}, asOf: date };
  for (const [kind, row] of inForce) {
    const chargeKind = CAP_KINDS[kind];
    if (chargeKind) figures.caps[chargeKind] = row.value;
  }
  const minDays = inForce.get("MIN_COLLECTION_DEADLINE_DAYS")?.value;
  if (minDays !== undefined) {
    figures.minDeadlineDays.COLLECTION_NOTICE = minDays;
    // Inkassoloven § 10 gives the betalingsoppfordring the same 14 days as the inkassovarsel.
    if (country === "NO") figures.minDeadlineDays.PAYMENT_DEMAND = minDays;
  }
  return figures;
}

/** A fee kind without a recorded cap is not allowed: no fee without a shown legal limit. */
export function capFor(figures: LegalFigures, kind: ChargeKind): number {
  return figures.caps[kind] ?? 0;
}

/** The longest legal minimum deadline in force, so a fresh deadline is never shorter than law. */
export function longestMinimumDeadline(figures: LegalFigures): number {
  return Math.max(0, ...Object.values(figures.minDeadlineDays).map((d) => d ?? 0));
}

export type PolicyError = { path: string; message: string };

export type PolicyValidation = { ok: true; policy: Policy } | { ok: false; errors: PolicyError[] };

const major = (minor: number): string => (minor / 100).toFixed(2);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const isNonNegativeInt = (v: unknown): v is number =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

export function validatePolicy(
  policy: unknown,
  country: Country,
  figures: LegalFigures,
): PolicyValidation {
  const errors: PolicyError[] = [];
  const fail = (path: string, message: string): void => {
    errors.push({ path, message });
  };
  const on = figures.asOf ? ` on ${figures.asOf}` : "";

  if (!isRecord(policy)) return { ok: false, errors: [{ path: "", message: "must be an object" }] };

  if (!isNonNegativeInt(policy.enforcementMinimum))
    fail("enforcementMinimum", "must be a non-negative integer of minor units");
  if (typeof policy.chargesInterest !== "boolean") fail("chargesInterest", "must be true or false");

  const order = policy.allocationOrder;
  const orderOk =
    Array.isArray(order) &&
    order.length === BALANCE_CATEGORIES.length &&
    BALANCE_CATEGORIES.every((c) => order.includes(c));
  if (!orderOk)
    fail("allocationOrder", `must list each of ${BALANCE_CATEGORIES.join(", ")} exactly once`);

  const resumeMinimum = Math.max(longestMinimumDeadline(figures), 1);
  if (!isNonNegativeInt(policy.resumeDeadlineDays))
    fail("resumeDeadlineDays", "must be a whole number of days");
  else if (policy.resumeDeadlineDays < resumeMinimum)
    fail(
      "resumeDeadlineDays",
      `${policy.resumeDeadlineDays} is shorter than the legal minimum of ${resumeMinimum} days in ${country}${on}`,
    );

  if (!Array.isArray(policy.steps)) {
    fail("steps", "must be a list of steps");
  } else {
    let previousRank = -1;
    policy.steps.forEach((raw: unknown, i) => {
      const at = `steps.${i}`;
      if (!isRecord(raw)) return fail(at, "must be an object");
      const rank = STEP_STAGES.indexOf(raw.stage as StepStage);
      if (rank < 0) fail(`${at}.stage`, `must be one of ${STEP_STAGES.join(", ")}`);
      else {
        if (rank <= previousRank)
          fail(`${at}.stage`, `${String(raw.stage)} is out of ladder order or repeated`);
        previousRank = Math.max(previousRank, rank);
      }
      const stage = rank < 0 ? null : (raw.stage as StepStage);
      if (stage === "PAYMENT_DEMAND" && country !== "NO")
        fail(`${at}.stage`, `PAYMENT_DEMAND exists only in NO, not in ${country}`);

      if (!isNonNegativeInt(raw.daysAfter)) fail(`${at}.daysAfter`, "must be a whole number ≥ 0");
      if (typeof raw.notice !== "boolean") fail(`${at}.notice`, "must be true or false");
      const notice = raw.notice === true;
      if (stage === "READY_FOR_ENFORCEMENT" && notice)
        fail(`${at}.notice`, "READY_FOR_ENFORCEMENT sends no notice: it waits for staff review");

      const deadlineDays = raw.deadlineDays;
      if (deadlineDays !== undefined && !isNonNegativeInt(deadlineDays))
        fail(`${at}.deadlineDays`, "must be a whole number of days");
      else if (notice) {
        const days = deadlineDays ?? 0;
        const legal = stage ? (figures.minDeadlineDays[stage] ?? 0) : 0;
        if (days < 1) fail(`${at}.deadlineDays`, "a notice must give at least 1 day to pay");
        else if (days < legal)
          fail(
            `${at}.deadlineDays`,
            `${days} is shorter than the legal minimum of ${legal} days for ${stage} in ${country}${on}`,
          );
      } else if (deadlineDays !== undefined)
        fail(`${at}.deadlineDays`, "only a step that sends a notice gives a deadline");

      if (raw.fee !== undefined) validateFee(raw.fee, `${at}.fee`, stage, notice);
    });
  }

  function validateFee(fee: unknown, at: string, stage: StepStage | null, notice: boolean): void {
    if (!isRecord(fee)) return fail(at, "must be an object with kind and amount");
    const kind = (CHARGE_KINDS as readonly unknown[]).includes(fee.kind)
      ? (fee.kind as ChargeKind)
      : null;
    if (!kind) fail(`${at}.kind`, `must be one of ${CHARGE_KINDS.join(", ")}`);
    if (!isNonNegativeInt(fee.amount))
      fail(`${at}.amount`, "must be a non-negative integer of minor units");
    if (stage === "READY_FOR_ENFORCEMENT")
      return fail(at, "READY_FOR_ENFORCEMENT never charges a fee");
    if (!notice) fail(at, "a fee is charged only together with a notice");
    if (!kind || !stage) return;
    const expected = STAGE_FEE[stage];
    if (kind !== expected)
      return fail(`${at}.kind`, `${stage} may only charge ${expected ?? "no fee"}, not ${kind}`);
    if (!isNonNegativeInt(fee.amount)) return;
    const cap = capFor(figures, kind);
    if (fee.amount > cap)
      fail(
        `${at}.amount`,
        cap === 0
          ? `${kind} is not allowed in ${country}${on}: no legal cap is recorded`
          : `${major(fee.amount)} exceeds the legal cap of ${major(cap)} for ${kind} in ${country}${on}`,
      );
  }

  let planRules: PlanRules | undefined;
  if (policy.planRules !== undefined && policy.planRules !== null) {
    const checked = validatePlanRules(policy.planRules, capFor(figures, "PLAN_FEE"));
    if (checked.ok) planRules = checked.rules;
    else
      for (const e of checked.errors)
        fail(e.path, e.path.endsWith("planFee") ? `${e.message} in ${country}${on}` : e.message);
  }

  let writeOff: WriteOffRule | undefined;
  if (policy.writeOff !== undefined && policy.writeOff !== null) {
    const checked = validateWriteOff(policy.writeOff);
    if (checked.ok) writeOff = checked.rule;
    else for (const e of checked.errors) fail(e.path, e.message);
  }

  if (errors.length > 0) return { ok: false, errors };
  // Every field was checked above; rebuild so unknown extra keys never reach the evaluator.
  const valid = policy as Policy;
  return {
    ok: true,
    policy: {
      steps: valid.steps.map((s) => ({
        stage: s.stage,
        daysAfter: s.daysAfter,
        notice: s.notice,
        ...(s.fee ? { fee: { kind: s.fee.kind, amount: s.fee.amount } } : {}),
        ...(s.deadlineDays !== undefined ? { deadlineDays: s.deadlineDays } : {}),
      })),
      enforcementMinimum: valid.enforcementMinimum,
      chargesInterest: valid.chargesInterest,
      allocationOrder: [...valid.allocationOrder],
      resumeDeadlineDays: valid.resumeDeadlineDays,
      ...(planRules ? { planRules } : {}),
      ...(writeOff ? { writeOff } : {}),
    },
  };
}
