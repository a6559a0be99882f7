import { describe, expect, it } from "vitest";
import { REASON_MIN, reasonGiven } from "./reason-limits";

describe("reasonGiven", () => {
  it("counts a reason's characters without the spaces around it", () => {
    expect(REASON_MIN).toBe(5);
    expect(reasonGiven("Papers")).toBe(true);
    expect(reasonGiven("  Late  ")).toBe(false); // eight characters, four of them a reason
    expect(reasonGiven("     ")).toBe(false);
    expect(reasonGiven("\n Paper \t")).toBe(true);
    expect(reasonGiven("")).toBe(false);
  });
});
