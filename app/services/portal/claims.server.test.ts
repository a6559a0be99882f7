import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { seedDemo } from "../../../server/test-support/fixtures";
import { DEMO_CREDITORS } from "../../../prisma/demo-data";
import { hashNationalId } from "../identity/residents.server";
import {
  getCreditorClaim,
  getResidentClaim,
  getResidentClaimPage,
  listResidentClaims,
} from "./claims.server";

const NOW = new Date("2026-11-22T10:00:00Z");

async function residentId(country: "SE" | "NO", nationalId: string) {
  const r = await db().resident.findUniqueOrThrow({
    where: { nationalIdHash: hashNationalId(country, nationalId) },
  });
  return r.id;
}

beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

describe("resident claims", () => {
  it("lists every open claim of the resident across creditors, and no one else's", async () => {
    const astrid = await residentId("SE", "195403129827");
    const claims = await listResidentClaims(astrid, NOW);
    // Other test files may add claims for Astrid; the demo ones must all be there.
    expect(claims.map((c) => c.externalId)).toEqual(
      expect.arrayContaining(["VK-2026-1001", "VK-2026-1002", "EK-2026-5001"]),
    );
    expect(new Set(claims.map((c) => c.creditor.slug))).toEqual(new Set(["elvdal", "vastkust"]));
    const ids = new Set(claims.map((c) => c.id));
    const own = await db().claim.count({ where: { residentId: astrid, status: "OPEN" } });
    expect(ids.size).toBe(own);
  });

  it("returns null for another resident's claim, as for a missing one", async () => {
    const astrid = await residentId("SE", "195403129827");
    const lars = await residentId("SE", "198711029846");
    const [astridClaim] = await listResidentClaims(astrid, NOW);
    expect(await getResidentClaim(astrid, astridClaim!.id, NOW)).not.toBeNull();
    expect(await getResidentClaim(lars, astridClaim!.id, NOW)).toBeNull();
    expect(await getResidentClaim(lars, "not-a-uuid", NOW)).toBeNull();
    expect(await getResidentClaim(lars, "00000000-0000-4000-8000-000000000000", NOW)).toBeNull();
  });

  it("explains every line and agrees with the creditor's view of the same claim", async () => {
    const kari = await residentId("NO", "18845610009");
    const claims = await listResidentClaims(kari, NOW);
    const water = claims.find((c) => c.externalId === "EK-2026-5002")!;
    const detail = (await getResidentClaim(kari, water.id, NOW))!;
    const creditorId = (await db().creditor.findUniqueOrThrow({ where: { slug: "elvdal" } })).id;
    const api = (await getCreditorClaim(creditorId, "EK-2026-5002", NOW))!;
    expect(api.statement).toEqual(detail.statement);
    expect(detail.statement.lines.map((l) => l.kind)).toEqual([
      "PRINCIPAL",
      "REMINDER_FEE",
      "COLLECTION_FEE",
      "PAYMENT_DEMAND_FEE",
      "INTEREST",
    ]);
    for (const line of detail.statement.lines) expect(line.legalBasis).toMatch(/^(principal|no)\./);
    const lines = detail.statement.lines.reduce((s, l) => s + l.amount, 0);
    const paid = detail.statement.payments.reduce((s, p) => s + p.amount, 0);
    expect(lines - paid).toBe(detail.statement.balance.total);
    // Each step's letter left the day it was written (on paper: Kari has no digital mailbox
    // here and did not ask for email), and the timeline says so.
    expect(detail.events.map((e) => e.type)).toEqual([
      "claim.received",
      "reminder.sent",
      "notice.dispatched",
      "collection_notice.sent",
      "notice.dispatched",
      "payment.received",
      "payment_demand.sent",
      "notice.dispatched",
    ]);
    expect(detail.notices.map((n) => n.channel)).toEqual(["PRINT", "PRINT", "PRINT"]);
  });

  it("shows the resident the same claim, timeline and notices as the creditor's view, for every claim", async () => {
    // Every claim of the demo data (other files' claims share the database: a bank-file test
    // alone adds 20,000).
    const claims = await db().claim.findMany({
      where: { creditor: { slug: { in: DEMO_CREDITORS.map((c) => c.slug) } } },
      select: { id: true, residentId: true, creditorId: true, externalId: true },
    });
    expect(claims.length).toBeGreaterThan(10);
    let withNotices = 0;
    for (const c of claims) {
      const resident = (await getResidentClaim(c.residentId, c.id, NOW))!;
      const api = (await getCreditorClaim(c.creditorId, c.externalId, NOW))!;
      expect(resident).toEqual(api);
      if (resident.notices.length > 0) withNotices++;
    }
    expect(withNotices).toBeGreaterThan(0);
  });

  it("lists a claim's letters newest first, those that left to download", async () => {
    const astrid = await residentId("SE", "195403129827");
    const claim = await db().claim.findFirstOrThrow({
      where: { residentId: astrid, notices: { some: { status: "DISPATCHED" } } },
      include: { notices: { orderBy: [{ sentOn: "desc" }, { createdAt: "desc" }] } },
    });
    const page = (await getResidentClaimPage(astrid, claim.id, NOW))!;
    expect(page.letters.map((l) => l.id)).toEqual(claim.notices.map((n) => n.id));
    for (const [i, l] of page.letters.entries()) {
      const n = claim.notices[i]!;
      expect(l.downloadable).toBe(n.dispatchedOn !== null && n.status !== "PENDING");
      expect(l.dispatchedOn).toBe(n.dispatchedOn?.toISOString().slice(0, 10) ?? null);
    }
    expect(page.letters.some((l) => l.state === "sent" && l.downloadable)).toBe(true);
  });

  it("tells a resident under the floor that nothing more happens automatically", async () => {
    const sofie = await residentId("NO", "01909910028");
    const [claim] = (await listResidentClaims(sofie, NOW)).filter(
      (c) => c.externalId === "EK-2026-5007",
    );
    expect(claim!.stage).toBe("PAYMENT_DEMAND");
    expect(claim!.next).toEqual({ kind: "stop", reason: "below_minimum" });
  });

  it("shows a held claim as paused", async () => {
    const gunnar = await residentId("SE", "194908309885");
    // The demo data is dated from the run's start (seedDemo), so the hold may begin after NOW:
    // ask on a day it is in force.
    const hold = await db().hold.findFirstOrThrow({
      where: { claim: { residentId: gunnar }, kind: "DISPUTE", releasedOn: null },
    });
    const startsAt = new Date(`${hold.startsOn.toISOString().slice(0, 10)}T10:00:00Z`);
    const asOf = startsAt > NOW ? startsAt : NOW;
    const [claim] = await listResidentClaims(gunnar, asOf);
    expect(claim!.next).toMatchObject({ kind: "stop", reason: "held", holds: ["DISPUTE"] });
    expect(claim!.holds).toHaveLength(1);
  });
});
