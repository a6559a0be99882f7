import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

    // Other test files create creditors meanwhile: those that existed before must all be swept,
    // and none of the swept ones twice.
    const before = (await db().creditor.findMany({ select: { slug: true } })).map((c) => c.slug);
    const now = new Date("2020-01-15T05:30:00Z");
    const first = await runDueDailySweeps({ now, sweepHour: 6, publicUrl: "http://x" });
    const swept = first.map((s) => s.creditor).filter((c): c is string => c !== null);
    expect(swept).toEqual(expect.arrayContaining(before));
    expect(new Set(swept).size).toBe(swept.length);
    expect(first.every((s) => s.asOf === "2020-01-15")).toBe(true);

    // The cron fires again within the day, or a second worker does: nothing runs twice.
    const again = await runDueDailySweeps({
      now: new Date("2020-01-15T09:00:00Z"),
      sweepHour: 6,
      publicUrl: "http://x",
    });
    expect(again.filter((s) => s.creditor !== null && swept.includes(s.creditor))).toEqual([]);
    const sweptIds = (
      await db().creditor.findMany({ where: { slug: { in: swept } }, select: { id: true } })
    ).map((c) => c.id);
    const runs = await db().sweepRun.findMany({
      where: { asOf: new Date("2020-01-15T00:00:00Z"), creditorId: { in: sweptIds } },
    });
    expect(runs).toHaveLength(swept.length);
  });
});
