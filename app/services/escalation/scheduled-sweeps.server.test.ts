import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hourIn } from "~/domain/calendar-date";
import { db, disconnectDb } from "~/infra/db.server";
import { seedDemo } from "../../../server/test-support/fixtures";
import { runDueDailySweeps } from "./scheduled-sweeps.server";

beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

describe("daily sweeps per creditor", () => {
  it("sweeps each creditor once per day in its own time zone, from the configured hour", async () => {
    // 05:30 UTC on 2020-01-15: 06:30 in Oslo and Stockholm (winter time). A day before every
    // claim in the test database, so the sweeps find nothing to do and disturb no other test.
    const early = new Date("2020-01-15T04:30:00Z"); // 05:30 local: too early
    expect(await runDueDailySweeps({ now: early, sweepHour: 6, publicUrl: "http://x" })).toEqual(
      [],
    );

    // Other test files create creditors meanwhile, one moves its creditor to London (05:30
    // there: too early), and one merges its creditor into another. Every creditor that existed before and whose local hour has come has its
    // day's run afterwards (the unique run per creditor and day is what keeps it to once).
    const before = (await db().creditor.findMany({ select: { id: true } })).map((c) => c.id);
    const now = new Date("2020-01-15T05:30:00Z");
    const first = await runDueDailySweeps({ now, sweepHour: 6, publicUrl: "http://x" });
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((s) => s.asOf === "2020-01-15")).toBe(true);
    const day = new Date("2020-01-15T00:00:00Z");
    const runsPerCreditor = async () => {
      const runs = await db().sweepRun.groupBy({
        by: ["creditorId"],
        where: { asOf: day, creditorId: { in: before } },
        _count: true,
      });
      return new Map(runs.map((r) => [r.creditorId, r._count]));
    };
    // A creditor merged into another meanwhile (the merge tests) is swept no more.
    const due = (
      await db().creditor.findMany({ where: { id: { in: before }, mergedIntoId: null } })
    ).filter((c) => hourIn(c.timeZone, now) >= 6);
    expect(due.length).toBeGreaterThan(0);
    const runs = await runsPerCreditor();
    expect(due.filter((c) => runs.get(c.id) !== 1).map((c) => c.slug)).toEqual([]);

    // The cron fires again within the day, or a second worker does: nothing runs twice.
    const swept = new Set(first.map((s) => s.creditor));
    const again = await runDueDailySweeps({
      now: new Date("2020-01-15T09:00:00Z"),
      sweepHour: 6,
      publicUrl: "http://x",
    });
    expect(again.filter((s) => swept.has(s.creditor))).toEqual([]);
    const afterwards = await runsPerCreditor();
    expect([...afterwards.values()].every((n) => n === 1)).toBe(true);
  });
});
