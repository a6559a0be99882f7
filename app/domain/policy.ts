import { BALANCE_CATEGORIES, CHARGE_KINDS, type AllocationOrder, type ChargeKind } from "./balance";
import { compareDates, type Country, type IsoDate } from "./calendar-date";
import { validatePlanRules, type PlanRules } from "./payment-plan";
import { reasonCollector, type PolicyError } from "./policy-reasons";
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

export type { PolicyError } from "./policy-reasons";

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
  const { errors, fail } = reasonCollector();
  const on = figures.asOf ? ` on ${figures.asOf}` : "";
  // The law's figures are named with the country and the date they were read on.
  const law = { country, ...(figures.asOf ? { asOf: figures.asOf } : {}) };

  if (!isRecord(policy))
    return { ok: false, errors: [{ path: "", code: "not_object", message: "must be an object" }] };

  if (!isNonNegativeInt(policy.enforcementMinimum))
    fail("enforcementMinimum", "not_minor_amount", "must be a non-negative integer of minor units");
  if (typeof policy.chargesInterest !== "boolean")
    fail("chargesInterest", "not_boolean", "must be true or false");

  const order = policy.allocationOrder;
  const orderOk =
    Array.isArray(order) &&
    order.length === BALANCE_CATEGORIES.length &&
    BALANCE_CATEGORIES.every((c) => order.includes(c));
  if (!orderOk)
    fail(
      "allocationOrder",
      "allocation_order_invalid",
      `must list each of ${BALANCE_CATEGORIES.join(", ")} exactly once`,
    );

  const resumeMinimum = Math.max(longestMinimumDeadline(figures), 1);
  if (!isNonNegativeInt(policy.resumeDeadlineDays))
    fail("resumeDeadlineDays", "not_whole_days", "must be a whole number of days");
  else if (policy.resumeDeadlineDays < resumeMinimum)
    fail(
      "resumeDeadlineDays",
      "resume_below_legal_minimum",
      `${policy.resumeDeadlineDays} is shorter than the legal minimum of ${resumeMinimum} days in ${country}${on}`,
      { days: policy.resumeDeadlineDays, minimum: resumeMinimum, ...law },
    );

  if (!Array.isArray(policy.steps)) {
    fail("steps", "steps_not_list", "must be a list of steps");
  } else {
    let previousRank = -1;
    policy.steps.forEach((raw: unknown, i) => {
      const at = `steps.${i}`;
      if (!isRecord(raw)) return fail(at, "not_object", "must be an object");
      const rank = STEP_STAGES.indexOf(raw.stage as StepStage);
      if (rank < 0)
        fail(`${at}.stage`, "stage_unknown", `must be one of ${STEP_STAGES.join(", ")}`);
      else {
        if (rank <= previousRank)
          fail(
            `${at}.stage`,
            "stage_out_of_order",
            `${String(raw.stage)} is out of ladder order or repeated`,
            { stage: String(raw.stage) },
          );
        previousRank = Math.max(previousRank, rank);
      }
      const stage = rank < 0 ? null : (raw.stage as StepStage);
      if (stage === "PAYMENT_DEMAND" && country !== "NO")
        fail(
          `${at}.stage`,
          "payment_demand_only_norway",
          `PAYMENT_DEMAND exists only in NO, not in ${country}`,
          { country },
        );

      if (!isNonNegativeInt(raw.daysAfter))
        fail(`${at}.daysAfter`, "not_whole_days", "must be a whole number ≥ 0");
      if (typeof raw.notice !== "boolean")
        fail(`${at}.notice`, "not_boolean", "must be true or false");
      const notice = raw.notice === true;
      if (stage === "READY_FOR_ENFORCEMENT" && notice)
        fail(
          `${at}.notice`,
          "enforcement_sends_no_notice",
          "READY_FOR_ENFORCEMENT sends no notice: it waits for staff review",
        );

      const deadlineDays = raw.deadlineDays;
      if (deadlineDays !== undefined && !isNonNegativeInt(deadlineDays))
        fail(`${at}.deadlineDays`, "not_whole_days", "must be a whole number of days");
      else if (notice) {
        const days = deadlineDays ?? 0;
        const legal = stage ? (figures.minDeadlineDays[stage] ?? 0) : 0;
        if (days < 1)
          fail(
            `${at}.deadlineDays`,
            "notice_needs_a_day",
            "a notice must give at least 1 day to pay",
          );
        else if (days < legal)
          fail(
            `${at}.deadlineDays`,
            "deadline_below_legal_minimum",
            `${days} is shorter than the legal minimum of ${legal} days for ${stage} in ${country}${on}`,
            { days, minimum: legal, ...(stage ? { stage } : {}), ...law },
          );
      } else if (deadlineDays !== undefined)
        fail(
          `${at}.deadlineDays`,
          "deadline_without_notice",
          "only a step that sends a notice gives a deadline",
        );

      if (raw.fee !== undefined) validateFee(raw.fee, `${at}.fee`, stage, notice);
    });
  }

  function validateFee(fee: unknown, at: string, stage: StepStage | null, notice: boolean): void {
    if (!isRecord(fee)) return fail(at, "fee_not_object", "must be an object with kind and amount");
    const kind = (CHARGE_KINDS as readonly unknown[]).includes(fee.kind)
      ? (fee.kind as ChargeKind)
      : null;
    if (!kind) fail(`${at}.kind`, "fee_kind_unknown", `must be one of ${CHARGE_KINDS.join(", ")}`);
    if (!isNonNegativeInt(fee.amount))
      fail(`${at}.amount`, "not_minor_amount", "must be a non-negative integer of minor units");
    if (stage === "READY_FOR_ENFORCEMENT")
      return fail(at, "enforcement_charges_no_fee", "READY_FOR_ENFORCEMENT never charges a fee");
    if (!notice) fail(at, "fee_without_notice", "a fee is charged only together with a notice");
    if (!kind || !stage) return;
    const expected = STAGE_FEE[stage];
    if (kind !== expected)
      return fail(
        `${at}.kind`,
        "fee_kind_wrong_for_stage",
        `${stage} may only charge ${expected ?? "no fee"}, not ${kind}`,
        { stage, kind, ...(expected ? { expected } : {}) },
      );
    if (!isNonNegativeInt(fee.amount)) return;
    const cap = capFor(figures, kind);
    if (fee.amount > cap && cap === 0)
      fail(
        `${at}.amount`,
        "fee_no_legal_cap",
        `${kind} is not allowed in ${country}${on}: no legal cap is recorded`,
        { kind, ...law },
      );
    else if (fee.amount > cap)
      fail(
        `${at}.amount`,
        "fee_above_cap",
        `${major(fee.amount)} exceeds the legal cap of ${major(cap)} for ${kind} in ${country}${on}`,
        { amount: fee.amount, cap, kind, ...law },
      );
  }

  let planRules: PlanRules | undefined;
  if (policy.planRules !== undefined && policy.planRules !== null) {
    const checked = validatePlanRules(policy.planRules, capFor(figures, "PLAN_FEE"));
    if (checked.ok) planRules = checked.rules;
    else
      for (const e of checked.errors)
        if (e.path.endsWith("planFee"))
          fail(e.path, e.code, `${e.message} in ${country}${on}`, { ...e.params, ...law });
        else fail(e.path, e.code, e.message, e.params);
  }

  let writeOff: WriteOffRule | undefined;
  if (policy.writeOff !== undefined && policy.writeOff !== null) {
    const checked = validateWriteOff(policy.writeOff);
    if (checked.ok) writeOff = checked.rule;
    else for (const e of checked.errors) fail(e.path, e.code, e.message, e.params);
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
