import type { ChargeKind } from "./balance";
import type { Country, IsoDate } from "./calendar-date";

/*
 * Why a policy was refused, as a stable code with its figures (decision 0110). The English
 * `message` stays for the command line (`policy set`, `policy simulate`); the Case flows page
 * renders `code` and `params` from `backoffice.caseFlows.reason.<code>` in the staff member's
 * language, formatting amounts as money and dates as dates. A new reason is one code here, one
 * `fail(...)` site, and one text per locale (policy-reasons.test.ts checks every locale has it).
 */
export const POLICY_REASON_CODES = [
  // Shape: a value of the wrong kind.
  "not_object",
  "not_boolean",
  "not_minor_amount",
  "not_positive_amount",
  "not_whole_number",
  "not_whole_days",
  "days_at_least_one",
  "days_in_range",
  "not_whole_months",
  "months_at_least_one",
  "months_at_most",
  "percent_in_range",
  "steps_not_list",
  "stage_unknown",
  "fee_not_object",
  "fee_kind_unknown",
  "allocation_order_invalid",
  "plan_stages_invalid",
  "write_off_mode_unknown",
  // The ladder and its letters.
  "stage_out_of_order",
  "payment_demand_only_norway",
  "enforcement_sends_no_notice",
  "enforcement_charges_no_fee",
  "notice_needs_a_day",
  "deadline_without_notice",
  "fee_without_notice",
  "fee_kind_wrong_for_stage",
  // The law in force.
  "deadline_below_legal_minimum",
  "resume_below_legal_minimum",
  "fee_no_legal_cap",
  "fee_above_cap",
  "plan_fee_no_legal_cap",
  "plan_fee_above_cap",
  // A rule that does nothing, and what the services add.
  "write_off_nothing",
  "no_policy_yet",
  "unknown_claim_type",
] as const;

export type PolicyReasonCode = (typeof POLICY_REASON_CODES)[number];

/**
 * The figures a reason names. Amounts (`amount`, `cap`) are minor units of the creditor's
 * currency; `stage` and `kind`/`expected` are codes the page puts in words; `asOf` is the date the
 * law was read on.
 */
export type PolicyReasonParams = {
  amount?: number;
  cap?: number;
  days?: number;
  minimum?: number;
  maximum?: number;
  stage?: string;
  kind?: ChargeKind;
  expected?: ChargeKind;
  country?: Country;
  asOf?: IsoDate;
  claimType?: string;
};

export type PolicyError = {
  path: string;
  code: PolicyReasonCode;
  params?: PolicyReasonParams;
  message: string;
};

/** A reason's figures that are minor-unit amounts, to be shown as money. */
export const MONEY_PARAMS = ["amount", "cap"] as const;

/** Adds one reason: its path, code, English message and, when there are any, its figures. */
export type FailReason = (
  path: string,
  code: PolicyReasonCode,
  message: string,
  params?: PolicyReasonParams,
) => void;

/**
 * The reasons one check collects: `fail` adds one (its path under `at`, when given: `at.path`),
 * `errors` holds them in the order found. A reason without figures has no `params`.
 */
export function reasonCollector(at?: string): { errors: PolicyError[]; fail: FailReason } {
  const errors: PolicyError[] = [];
  const fail: FailReason = (path, code, message, params) => {
    errors.push({
      path: at === undefined ? path : `${at}.${path}`,
      code,
      ...(params ? { params } : {}),
      message,
    });
  };
  return { errors, fail };
}
