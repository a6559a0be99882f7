/** Why a resident objects to a claim or a charge; the same list as the database's DisputeReason. */
export const DISPUTE_REASONS = [
  "ALREADY_PAID",
  "WRONG_AMOUNT",
  "SERVICE_NOT_RECEIVED",
  "WRONG_PERSON",
  "FEE_NOT_JUSTIFIED",
  "OTHER",
] as const;

export type DisputeReasonCode = (typeof DISPUTE_REASONS)[number];
