import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor } from "../../../server/test-support/fixtures";
import { runDueDailySweeps } from "./scheduled-sweeps.server";

// This file's own creditors: one in Oslo, one in Reykjavik (UTC all year). Other files' creditors
// are swept too (the function sweeps every creditor), but only these are asserted on.
let oslo: { id: string; slug: string };
let reykjavik: { id: string; slug: string };

beforeAll(async () => {
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  oslo = (await createTestCreditor(`sweeps-oslo-${tag}`)).creditor;
  reykjavik = (await createTestCreditor(`sweeps-reykjavik-${tag}`)).creditor;
  await db().creditor.update({
    where: { id: reykjavik.id },
    data: { timeZone: "Atlantic/Reykjavik" },
  });
});
afterAll(() => disconnectDb());

const day = new Date("2020-01-15T00:00:00Z");
const runsOf = async (creditorId: string) =>
  db().sweepRun.count({ where: { asOf: day, creditorId } });

describe("daily sweeps per creditor", () => {
  it("sweeps each creditor once per day in its own time zone, from the configured hour", async () => {
    // 2020-01-15, a day before every claim in the test database, so the sweeps find nothing to
    // do and disturb no other test. 04:30 UTC is 05:30 in Oslo and 04:30 in Reykjavik: too early
    // for both.
    const sweep = (iso: string) =>
      runDueDailySweeps({ now: new Date(iso), sweepHour: 6, publicUrl: "http://x" });
    const ours = (done: { creditor: string | null }[]) =>
      done.map((s) => s.creditor).filter((c) => c === oslo.slug || c === reykjavik.slug);

    expect(ours(await sweep("2020-01-15T04:30:00Z"))).toEqual([]);

    // 05:30 UTC: 06:30 in Oslo, its hour has come; 05:30 in Reykjavik, not yet.
    const first = await sweep("2020-01-15T05:30:00Z");
    expect(ours(first)).toEqual([oslo.slug]);
    expect(first.find((s) => s.creditor === oslo.slug)?.asOf).toBe("2020-01-15");
    expect(await runsOf(oslo.id)).toBe(1);
    expect(await runsOf(reykjavik.id)).toBe(0);

    // The cron fires again within the day, or a second worker does: Oslo is not swept twice,
    // and Reykjavik's hour has come.
    expect(ours(await sweep("2020-01-15T09:00:00Z"))).toEqual([reykjavik.slug]);
    expect(ours(await sweep("2020-01-15T10:00:00Z"))).toEqual([]);
    expect(await runsOf(oslo.id)).toBe(1);
    expect(await runsOf(reykjavik.id)).toBe(1);
  });
});
