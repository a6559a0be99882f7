/** Whether a claim is still being collected, or how it was closed. */
export const CLAIM_STATUSES = ["OPEN", "PAID", "CANCELLED", "WRITTEN_OFF"] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * Where a claim is: the ladder (invoiced, reminder, collection notice, payment demand), then the
 * enforcement queue, a person's approval, an export batch handed to the enforcement authority, and
 * the filing, once the authority's receipt of that batch is recorded.
 */
export const CLAIM_STAGES = [
  "INVOICED",
  "REMINDER",
  "COLLECTION_NOTICE",
  "PAYMENT_DEMAND",
  "READY_FOR_ENFORCEMENT",
  "ENFORCEMENT_APPROVED",
  "ENFORCEMENT_EXPORTED",
  "FILED",
] as const;
export type ClaimStage = (typeof CLAIM_STAGES)[number];

/** The stages in which a claim is with the enforcement authority, or on its way there. */
export const WITH_ENFORCEMENT = ["ENFORCEMENT_EXPORTED", "FILED"] as const;

export function isWithEnforcement(stage: string): boolean {
  return (WITH_ENFORCEMENT as readonly string[]).includes(stage);
}

/**
 * The enforcement authority a claim goes to, as the texts name it (`authority.<key>`): Sweden's
 * Kronofogden, Norway's ordinary enforcement officer, or the Norwegian municipality itself as
 * særnamsmann for the claim types it may enforce on its own.
 */
export function authorityKey(country: string, ownEnforcement = false): string {
  return country === "NO" && ownEnforcement ? "NO_OWN" : country;
}
