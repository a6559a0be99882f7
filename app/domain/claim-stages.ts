/** Whether a claim is still being collected, or how it was closed. */
export const CLAIM_STATUSES = ["OPEN", "PAID", "CANCELLED", "WRITTEN_OFF"] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * Where a claim is: the ladder (invoiced, reminder, collection notice, payment demand), then the
 * enforcement queue, a person's approval, and the filing with the enforcement authority.
 */
export const CLAIM_STAGES = [
  "INVOICED",
  "REMINDER",
  "COLLECTION_NOTICE",
  "PAYMENT_DEMAND",
  "READY_FOR_ENFORCEMENT",
  "ENFORCEMENT_APPROVED",
  "FILED",
] as const;
export type ClaimStage = (typeof CLAIM_STAGES)[number];
