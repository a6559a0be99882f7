/*
 * Why a claim handed over (POST /api/v1/claims, the batch, a claims file's line) was refused, as
 * a stable code with its figures (decision 0110). The API keeps its English `message` and gains
 * the code; the back office's import report renders `claimImports.reason.<code>` in the staff
 * member's language. claim-reasons.test.ts checks every code has a text in every locale.
 */
export const CLAIM_REASON_CODES = [
  // The field itself.
  "missing",
  "wrong_type",
  "not_whole_minor_units",
  "too_short",
  "too_long",
  "amount_too_small",
  "amount_too_large",
  "too_few_items",
  "too_many_items",
  "not_allowed_value",
  "unknown_fields",
  "bad_email",
  "bad_phone",
  "bad_postal_code",
  "bad_external_id",
  "bad_format",
  "bad_date",
  "due_before_issued",
  "invalid",
  "control_characters",
  // Checked against the creditor.
  "invalid_national_id",
  "wrong_currency",
  "unknown_claim_type",
  "claim_type_without_policy",
  // Against what was received before.
  "conflict",
  // A file's line that could not be read as a claim.
  "wrong_field_count",
  "unreadable_csv",
  "not_json",
] as const;

export type ClaimReasonCode = (typeof CLAIM_REASON_CODES)[number];

/**
 * A reason's figures: `minimum`/`maximum` are characters, items or (for `amount_*`) minor units
 * of the creditor's currency; `values` and `keys` are lists as sent; `country` names an identity
 * number's country (SE, NO).
 */
export type ClaimReasonParams = {
  minimum?: number;
  maximum?: number;
  values?: string;
  keys?: string;
  country?: string;
  currency?: string;
  fields?: number;
  expected?: number;
};

/** One refused field: where (an API path, or a file's column), why, and the API's English. */
export type ClaimReason = {
  path: string;
  code: ClaimReasonCode;
  params?: ClaimReasonParams;
  message: string;
};
