// How long a reason a staff member writes may be. The services refuse a reason outside these
// limits; the forms name them in their hints and their refusals.

/** The fewest characters a reason has (after trimming). */
export const REASON_MIN = 5;
/**
 * The most characters a reason has on the case view (decisions, holds, flags, write-offs, sending
 * back), the plan page and the export page: it goes into the case history and, for a decision,
 * the resident's letter.
 */
export const REASON_MAX = 2000;
/** The most characters a letter's reason has (returned, sent again): it is kept with the letter. */
export const LETTER_REASON_MAX = 500;

/** Whether a reason is long enough to keep: at least REASON_MIN characters once trimmed. */
export function reasonGiven(reason: string): boolean {
  return reason.trim().length >= REASON_MIN;
}
