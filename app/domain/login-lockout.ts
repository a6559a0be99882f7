/**
 * How a staff account answers guessing: every FAILURES_PER_LOCK consecutive failed sign-ins lock
 * it, first for FIRST_LOCK_MINUTES, each further lock twice as long as the one before, never
 * more than a day. Six digits of TOTP are a million codes; five guesses per quarter of an hour,
 * and fewer as the locks grow, make guessing one hopeless, while the account holder who mistyped
 * waits minutes, not days. A success starts the count again.
 */
export const FAILURES_PER_LOCK = 5;
export const FIRST_LOCK_MINUTES = 15;
export const LONGEST_LOCK_MINUTES = 24 * 60;

/** The lock earned by the `failures`-th consecutive failure, in minutes; null if none. */
export function lockMinutesAfter(failures: number): number | null {
  if (!Number.isInteger(failures) || failures < FAILURES_PER_LOCK) return null;
  if (failures % FAILURES_PER_LOCK !== 0) return null;
  const lockNumber = failures / FAILURES_PER_LOCK;
  return Math.min(FIRST_LOCK_MINUTES * 2 ** Math.min(lockNumber - 1, 20), LONGEST_LOCK_MINUTES);
}
