import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FAILURES_PER_LOCK, lockMinutesAfter, LONGEST_LOCK_MINUTES } from "./login-lockout";

describe("lockMinutesAfter", () => {
  it("locks at every fifth consecutive failure, doubling from 15 minutes up to a day", () => {
    expect([1, 2, 3, 4].map(lockMinutesAfter)).toEqual([null, null, null, null]);
    expect(lockMinutesAfter(5)).toBe(15);
    expect(lockMinutesAfter(6)).toBeNull();
    expect(lockMinutesAfter(10)).toBe(30);
    expect(lockMinutesAfter(15)).toBe(60);
    expect(lockMinutesAfter(40)).toBe(LONGEST_LOCK_MINUTES);
    expect(lockMinutesAfter(5_000)).toBe(LONGEST_LOCK_MINUTES);
  });

  it("never lets more than five guesses through between locks, and never locks for ever", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (failures) => {
        const window = Array.from({ length: FAILURES_PER_LOCK }, (_, i) => failures + i);
        expect(window.some((f) => lockMinutesAfter(f) !== null)).toBe(true);
        const lock = lockMinutesAfter(failures);
        if (lock !== null) expect(lock).toBeLessThanOrEqual(LONGEST_LOCK_MINUTES);
      }),
    );
  });
});
