import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkRetentionYears, personalDataExpiresOn, retentionYears } from "./retention";

describe("retention of personal data", () => {
  it("counts the years from the end of the year the claim closed", () => {
    expect(personalDataExpiresOn("2018-01-01", 7)).toBe("2026-01-01");
    expect(personalDataExpiresOn("2018-12-31", 7)).toBe("2026-01-01");
    expect(personalDataExpiresOn("2020-06-15", 5)).toBe("2026-01-01");
  });

  it("never expires before the full period has passed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2090 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 5, max: 30 }),
        (y, m, d, years) => {
          const closed = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const expires = personalDataExpiresOn(closed, years);
          const anniversary = `${y + years}-${closed.slice(5)}`;
          return expires > anniversary;
        },
      ),
    );
  });

  it("uses the creditor's period, else the legal minimum, and refuses one below it", () => {
    expect(retentionYears(null, 7)).toBe(7);
    expect(retentionYears(10, 7)).toBe(10);
    expect(checkRetentionYears(6, 7)).toEqual({ reason: "belowLegalMinimum", minimum: 7 });
    expect(checkRetentionYears(7, 7)).toBeNull();
    expect(checkRetentionYears(5.5, 5)).toEqual({ reason: "notWhole" });
  });
});
