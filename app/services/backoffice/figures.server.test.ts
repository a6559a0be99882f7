import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { recordEvent } from "../events/events.server";
import { figureCsvName, figureTableCsv } from "./figures-csv.server";
import { recountFigures } from "./figures-queries.server";
import { loadFigures, saveFigureAlerts } from "./figures.server";
import type { StaffContext } from "./queues.server";

/*
 * The figures of a creditor of this test's own: claims with known principals in every amount
 * band, moved to the enforcement queue and filed on known days. The page's band counts must be
 * what a direct count over the event log and the principal charges says (issue 16, item 2).
 */

const NOW = new Date("2026-11-22T10:00:00Z");
const run = Date.now().toString(36);
let creditorId: string;
let staff: StaffContext;
const claims: Record<number, string> = {};

// Principals in minor units, two in each band, each band's edges included.
const PRINCIPALS = [
  15_000, 19_999, 20_000, 49_999, 50_000, 99_999, 100_000, 499_999, 500_000, 1_200_000,
];
const BAND_OF_INDEX = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4];

async function claimWith(principal: number, i: number) {
  const c = await db().creditor.findUniqueOrThrow({ where: { id: creditorId } });
  let nationalId: string | null = null;
  for (let n = 230 + i * 7; !nationalId; n++)
    nationalId = makeNorwegianFodselsnummer("1971-03-04", n, { synthetic: true });
  const result = await receiveClaim(
    { creditorId: c.id, keyId: "test", country: "NO", currency: "NOK", timeZone: c.timeZone },
    {
      externalId: `FIG-${run}-${i}`,
      claimType: "water",
      resident: { nationalId, name: `Figur Testesen ${i}` },
      description: "Vann",
      currency: "NOK",
      principal,
      issuedOn: "2026-01-01",
      dueOn: "2026-02-01",
    },
    new Date("2026-02-02T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  return result.claim.id;
}

async function move(claimId: string, type: "enforcement.queued" | "enforcement.filed", on: string) {
  await recordEvent(undefined, {
    claimId,
    creditorId,
    type,
    actor: "system",
    on,
    data:
      type === "enforcement.queued"
        ? { step: "READY_FOR_ENFORCEMENT", deadline: null, fee: null }
        : { exportId: randomUUID() },
  });
}

beforeAll(async () => {
  await seedDemo();
  const { creditor } = await createTestCreditor(`fig-${run}`, "NO");
  creditorId = creditor.id;
  staff = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [creditorId] };
  for (const [i, p] of PRINCIPALS.entries()) claims[i] = await claimWith(p, i);
  // Every claim reaches the queue in October 2026; the first of each band is filed in November,
  // and the two smallest bands' claims were filed in October 2025 as well (a year to compare).
  for (const i of PRINCIPALS.keys()) await move(claims[i]!, "enforcement.queued", "2026-10-15");
  for (const i of [0, 2, 4, 6, 8]) await move(claims[i]!, "enforcement.filed", "2026-11-03");
  for (const i of [0, 1, 2, 3]) await move(claims[i]!, "enforcement.filed", "2026-10-20");
  await move(claims[0]!, "enforcement.filed", "2025-10-09");
  await recountFigures();
});

afterAll(async () => {
  await disconnectDb();
});

/** The independent count: events of the creditor joined to the claim's principal charge. */
async function directBandCounts(type: string, from: string, to: string) {
  const rows = await query<{ band: number; n: number }>(
    undefined,
    `SELECT CASE WHEN ch.amount < 20000 THEN 0 WHEN ch.amount < 50000 THEN 1
                 WHEN ch.amount < 100000 THEN 2 WHEN ch.amount < 500000 THEN 3 ELSE 4 END AS band,
            count(DISTINCT e."claimId")::int AS n
       FROM "Event" e JOIN "Charge" ch ON ch."claimId" = e."claimId" AND ch.kind = 'PRINCIPAL'
      WHERE e."creditorId" = $1::uuid AND e.type = $2 AND e."occurredOn" >= $3::date
        AND e."occurredOn" < $4::date
      GROUP BY 1`,
    [creditorId, type, from, to],
  );
  return [0, 1, 2, 3, 4].map((b) => rows.find((r) => r.band === b)?.n ?? 0);
}

describe("figures by amount band", () => {
  it("counts claims reaching the enforcement queue and filed per band, as a direct SQL count does", async () => {
    const figures = await loadFigures(staff, { creditorId, claimTypeId: null, months: 12 }, NOW);
    expect(figures).not.toBeNull();
    expect(figures!.countedAt).not.toBeNull();
    expect(figures!.months).toHaveLength(12);
    expect(figures!.months[11]).toBe("2026-11");
    const row = (table: string, month: string) =>
      figures!.tables.find((t) => t.id === table)!.rows.find((r) => r.month === month)!.values;

    const queued = await directBandCounts("enforcement.queued", "2026-10-01", "2026-11-01");
    expect(queued).toEqual([2, 2, 2, 2, 2]);
    expect(row("queued", "2026-10")).toEqual([...queued, 10]);

    const filedNov = await directBandCounts("enforcement.filed", "2026-11-01", "2026-12-01");
    expect(filedNov).toEqual([1, 1, 1, 1, 1]);
    expect(row("filed", "2026-11")).toEqual([...filedNov, 5]);
    const filedOct = await directBandCounts("enforcement.filed", "2026-10-01", "2026-11-01");
    expect(row("filed", "2026-10")).toEqual([...filedOct, 4]);
    expect(filedOct).toEqual([2, 2, 0, 0, 0]);
    // The one claim type alone counts the same (every claim is a water claim).
    const water = await db().claimType.findFirstOrThrow({ where: { creditorId, slug: "water" } });
    const byType = await loadFigures(staff, { creditorId, claimTypeId: water.id, months: 12 }, NOW);
    const typeRow = byType!.tables
      .find((t) => t.id === "queued")!
      .rows.find((r) => r.month === "2026-10")!;
    expect(typeRow.values).toEqual([...queued, 10]);

    // The claims were received in February, each in its band, with their principal summed.
    const received = row("received", "2026-02");
    expect(received[0]).toBe(PRINCIPALS.length);
    expect(received[1]).toBe(PRINCIPALS.reduce((a, b) => a + b, 0));
    expect(received.slice(2)).toEqual([2, 2, 2, 2, 2]);
    expect(BAND_OF_INDEX.filter((b) => b === 0)).toHaveLength(2);
  });

  it("counts a written-off claim from its event, or from its status where no event was written", async () => {
    await recordEvent(undefined, {
      claimId: claims[9]!,
      creditorId,
      type: "claim.written_off",
      actor: "system",
      on: "2026-09-10",
      data: { reason: "test", amount: 1_200_000 },
    });
    await db().claim.update({
      where: { id: claims[1]! },
      data: { status: "WRITTEN_OFF", closedOn: new Date("2026-09-12T00:00:00Z") },
    });
    await recountFigures();
    const figures = await loadFigures(staff, { creditorId, claimTypeId: null, months: 12 }, NOW);
    const sep = figures!.tables
      .find((t) => t.id === "writtenOff")!
      .rows.find((r) => r.month === "2026-09")!;
    expect(sep.values).toEqual([1, 0, 0, 0, 1, 2]);
  });

  it("shows nothing of another creditor's figures, nor of a claim type not the creditor's", async () => {
    const outsider: StaffContext = { staffId: randomUUID(), role: "ADMIN", creditorIds: [] };
    expect(
      await loadFigures(outsider, { creditorId, claimTypeId: null, months: 12 }, NOW),
    ).toBeNull();
    expect(
      await loadFigures(staff, { creditorId, claimTypeId: randomUUID(), months: 24 }, NOW),
    ).toBeNull();
    expect(await saveFigureAlerts(outsider, creditorId, [], NOW)).toBe(false);
  });

  it("writes a table as CSV with the staff member's headers, months and plain numbers", async () => {
    const figures = await loadFigures(staff, { creditorId, claimTypeId: null, months: 24 }, NOW);
    const received = figures!.tables.find((t) => t.id === "received")!;
    expect(received.rows).toHaveLength(24);
    const csv = figureTableCsv(received, {
      month: "Month",
      columns: received.columns.map((c) => `col ${c}`),
    });
    const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe("Month,col claims,col principal,col b0,col b1,col b2,col b3,col b4");
    expect(lines).toContain("2026-02,10,25549.96,2,2,2,2,2");
    expect(figureCsvName(`fig-${run}`, received)).toBe(
      `figures-fig-${run}-received-2024-12-2026-11.csv`,
    );
  });
});

describe("figure alerts", () => {
  it("raises an alert when filings under 500 rise beyond the creditor's threshold, and records the change", async () => {
    // October 2025: one filing under 500; October 2026: four. Up 300 %.
    expect(
      await saveFigureAlerts(
        staff,
        creditorId,
        [
          { figure: "filed", range: "upTo:b1", risePercent: 50 },
          { figure: "filed", range: "only:b4", risePercent: 10 },
          { figure: "queued", range: "upTo:b3", risePercent: 900 },
        ],
        NOW,
      ),
    ).toBe(true);
    const figures = await loadFigures(staff, { creditorId, claimTypeId: null, months: 12 }, NOW);
    expect(figures!.alertMonth).toBe("2026-10");
    // Filed under 500: 4 against 1 (up 300 %). Over 5,000: none either year. Queued up to 5,000:
    // 8 against none: beyond any threshold.
    expect(figures!.alerts).toEqual([
      {
        rule: { figure: "filed", range: "upTo:b1", risePercent: 50 },
        month: "2026-10",
        lastYearMonth: "2025-10",
        count: 4,
        lastYear: 1,
        risePercent: 300,
      },
      {
        rule: { figure: "queued", range: "upTo:b3", risePercent: 900 },
        month: "2026-10",
        lastYearMonth: "2025-10",
        count: 8,
        lastYear: 0,
        risePercent: null,
      },
    ]);
    const events = await db().event.findMany({
      where: { creditorId, type: "figures.alerts_set" },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe(`staff:${staff.staffId}`);
    expect((events[0]!.data as { rules: unknown[] }).rules).toHaveLength(3);

    // Raised to 400 %: the same month no longer alerts on filings.
    await saveFigureAlerts(
      staff,
      creditorId,
      [{ figure: "filed", range: "upTo:b1", risePercent: 400 }],
      NOW,
    );
    const after = await loadFigures(staff, { creditorId, claimTypeId: null, months: 12 }, NOW);
    expect(after!.alerts).toEqual([]);
  });
});
