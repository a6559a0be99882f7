import { describe, expect, it } from "vitest";
import { bandOf } from "./amount-bands";
import { alertsFor, bandsOf, FigureAlertRules, monthsBefore, storedRules } from "./figures";

describe("amount bands", () => {
  it("puts each principal in its band, the lower bound included", () => {
    expect(
      [0, 19_999, 20_000, 49_999, 50_000, 99_999, 100_000, 499_999, 500_000].map(bandOf),
    ).toEqual(["b0", "b0", "b1", "b1", "b2", "b2", "b3", "b3", "b4"]);
    expect(bandsOf("upTo:b1")).toEqual(["b0", "b1"]);
    expect(bandsOf("only:b4")).toEqual(["b4"]);
    expect(bandsOf("all")).toHaveLength(5);
  });

  it("counts months back across a year", () => {
    expect(monthsBefore("2026-01", 1)).toBe("2025-12");
    expect(monthsBefore("2026-11", 12)).toBe("2025-11");
    expect(monthsBefore("2026-12", -1)).toBe("2027-01");
  });
});

describe("alerts", () => {
  const counts = {
    received: {},
    queued: {},
    writtenOff: {},
    filed: { "2025-10": { b0: 10, b1: 10 }, "2026-10": { b0: 20, b1: 10, b4: 3 } },
  };

  it("alerts on a rise beyond the threshold, not on one at it", () => {
    const at = alertsFor(
      [{ figure: "filed", range: "upTo:b1", risePercent: 50 }],
      counts,
      "2026-10",
    );
    expect(at).toEqual([]);
    const beyond = alertsFor(
      [{ figure: "filed", range: "upTo:b1", risePercent: 49 }],
      counts,
      "2026-10",
    );
    expect(beyond).toMatchObject([{ count: 30, lastYear: 20, risePercent: 50 }]);
  });

  it("alerts on any count where last year had none, and never on nothing", () => {
    const rules = [
      { figure: "filed" as const, range: "only:b4" as const, risePercent: 1000 },
      { figure: "queued" as const, range: "all" as const, risePercent: 1 },
    ];
    expect(alertsFor(rules, counts, "2026-10")).toMatchObject([
      { count: 3, lastYear: 0, risePercent: null },
    ]);
  });

  it("refuses malformed thresholds and drops stored ones that no longer fit", () => {
    expect(
      FigureAlertRules.safeParse([{ figure: "filed", range: "all", risePercent: 0 }]).success,
    ).toBe(false);
    expect(
      FigureAlertRules.safeParse([{ figure: "fees", range: "all", risePercent: 5 }]).success,
    ).toBe(false);
    expect(
      FigureAlertRules.safeParse([{ figure: "filed", range: "b9", risePercent: 5 }]).success,
    ).toBe(false);
    expect(storedRules([{ figure: "filed", range: "all", risePercent: 5 }, { x: 1 }, "y"])).toEqual(
      [{ figure: "filed", range: "all", risePercent: 5 }],
    );
    expect(storedRules(null)).toEqual([]);
  });
});
