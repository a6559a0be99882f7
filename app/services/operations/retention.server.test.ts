// The retention job anonymises exactly the closed claims past their creditor's period (and the
// residents with nothing else left), and nothing else: amounts, stages, dates and every other
// row stay as they were. Every run is an event.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeSwedishPersonnummer } from "~/domain/national-id";
import { personalDataExpiresOn } from "~/domain/retention";
import { db } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { receiveClaim } from "../claims/intake.server";
import { runSweep } from "../escalation/sweep.server";
import { createTestCreditor } from "../../../server/test-support/fixtures";
import { loadLegalRates } from "../../../prisma/seed";
import { runRetention, setRetentionYears } from "./retention.server";

// In the future, so every claim here was issued in years the recorded interest rates cover.
const AS_OF = "2034-06-01";
const tag = `${process.pid.toString(36)}${Date.now().toString(36)}`;
type Case = { key: string; claimId: string; residentId: string; storageKey: string };
const cases: Record<string, Case> = {};
let serial = 0;

async function claimFor(
  creditor: { slug: string; caller: Parameters<typeof receiveClaim>[0] },
  key: string,
  nationalId: string,
  closedOn: string | null,
) {
  const year = Number((closedOn ?? "2025-01-01").slice(0, 4));
  const received = await receiveClaim(
    creditor.caller,
    {
      externalId: `RET-${tag}-${key}`,
      claimType: "water",
      resident: { nationalId, name: `Resident ${key}`, country: "SE" },
      description: "Water",
      currency: creditor.caller.currency,
      principal: 90_000,
      issuedOn: `${year}-01-10`,
      dueOn: `${year}-02-10`,
    },
    new Date(`${year}-01-10T12:00:00Z`),
  );
  if (received.kind !== "created") throw new Error(JSON.stringify(received));
  const claim = await db().claim.findUniqueOrThrow({ where: { id: received.claim.id } });
  await db().resident.update({
    where: { id: claim.residentId },
    data: { email: `${key.toLowerCase()}-${tag}@example.test`, phone: "+46700000000" },
  });
  // A reminder notice with the resident's name, and its mail.
  await runSweep({
    asOf: `${year}-03-10`,
    creditorSlug: creditor.slug,
    publicUrl: "http://x.test",
  });
  const storageKey = (Number(serial++) + tag).padEnd(64, "0").replace(/[^0-9a-f]/g, "a");
  const dispute = await db().dispute.create({
    data: {
      claimId: claim.id,
      residentId: claim.residentId,
      reason: "OTHER",
      text: `My own words about ${key}`,
      status: "REJECTED",
      holdId: claim.id,
      messages: {
        create: [
          { author: "resident", text: `More words ${key}` },
          { author: "staff:x", text: "Staff answer" },
        ],
      },
      attachments: {
        create: [
          {
            fileName: `letter-${key}.pdf`,
            contentType: "application/pdf",
            size: 4,
            sha256: "0",
            storageKey,
          },
        ],
      },
    },
  });
  void dispute;
  mkdirSync(path.resolve(env().ATTACHMENTS_DIR), { recursive: true });
  writeFileSync(path.join(path.resolve(env().ATTACHMENTS_DIR), storageKey), "%PDF");
  if (closedOn)
    await db().claim.update({
      where: { id: claim.id },
      data: { status: "PAID", closedOn: new Date(closedOn) },
    });
  cases[key] = { key, claimId: claim.id, residentId: claim.residentId, storageKey };
}

/** Everything stored about a claim and its resident. */
async function rowsOf(c: Case) {
  return {
    claim: await db().claim.findUniqueOrThrow({ where: { id: c.claimId } }),
    charges: await db().charge.findMany({ where: { claimId: c.claimId }, orderBy: { id: "asc" } }),
    payments: await db().payment.findMany({ where: { claimId: c.claimId } }),
    events: await db().event.findMany({ where: { claimId: c.claimId }, orderBy: { id: "asc" } }),
    notices: await db().notice.findMany({ where: { claimId: c.claimId }, orderBy: { id: "asc" } }),
    outbox: await db().outbox.findMany({
      where: { notice: { claimId: c.claimId } },
      orderBy: { id: "asc" },
    }),
    disputes: await db().dispute.findMany({
      where: { claimId: c.claimId },
      include: { messages: { orderBy: { id: "asc" } }, attachments: true },
    }),
    resident: await db().resident.findUniqueOrThrow({ where: { id: c.residentId } }),
  };
}
type Rows = Awaited<ReturnType<typeof rowsOf>>;

/** What the job must leave of a claim's rows past its period: everything but the personal data. */
function claimAnonymised(r: Rows): Rows {
  return {
    ...r,
    notices: r.notices.map((n) => ({
      ...n,
      content: { ...(n.content as object), residentName: "" },
    })),
    outbox: r.outbox.map((o) => ({ ...o, to: "" })),
    disputes: r.disputes.map((d) => ({
      ...d,
      text: "",
      messages: d.messages.map((m) => (m.author === "resident" ? { ...m, text: "" } : m)),
      attachments: [],
    })),
  };
}

const before: Record<string, Rows> = {};

beforeAll(async () => {
  await loadLegalRates();
  const se = await createTestCreditor(`ret-se-${tag}`, "SE");
  const no = await createTestCreditor(`ret-no-${tag}`, "NO");
  const no10 = await createTestCreditor(`ret-no10-${tag}`, "NO");
  const SE = { slug: se.creditor.slug, caller: se.caller };
  const NO = { slug: no.creditor.slug, caller: no.caller };
  const NO10 = { slug: no10.creditor.slug, caller: no10.caller };
  const id = (n: number) =>
    makeSwedishPersonnummer(`1961-0${n}-1${n}`, (process.pid + n * 37) % 1000);
  expect((await setRetentionYears({ creditorSlug: NO10.slug, years: 10, asOf: AS_OF })).ok).toBe(
    true,
  );
  await claimFor(SE, "A", id(1), "2025-05-01"); // SE 7 years: 2033-01-01, past
  await claimFor(SE, "B", id(2), "2027-03-01"); // SE: 2035-01-01, not yet
  await claimFor(SE, "C1", id(3), "2024-04-01"); // past, but its resident has an open claim
  await claimFor(SE, "C2", id(3), null); // open
  await claimFor(NO, "D", id(4), "2028-02-01"); // NO 5 years: 2034-01-01, past
  await claimFor(NO10, "E", id(5), "2026-08-01"); // the creditor keeps 10 years: 2037, not yet
  for (const c of Object.values(cases)) before[c.key] = await rowsOf(c);
}, 120_000);

describe("the retention job", () => {
  it("refuses a period below the country's accounting-law minimum", async () => {
    const refused = await setRetentionYears({
      creditorSlug: `ret-se-${tag}`,
      years: 6,
      asOf: AS_OF,
    });
    expect(refused).toEqual({ ok: false, error: expect.stringContaining("minimum of 7 years") });
    expect(
      (await db().creditor.findUniqueOrThrow({ where: { slug: `ret-se-${tag}` } })).retentionYears,
    ).toBeNull();
  });

  it("anonymises exactly what is past its date, and nothing else", async () => {
    expect(personalDataExpiresOn("2025-05-01", 7) <= AS_OF).toBe(true);
    const run = await runRetention({ asOf: AS_OF, actor: "test" });
    expect(run.claims).toBeGreaterThanOrEqual(3);
    const after: Record<string, Rows> = {};
    for (const c of Object.values(cases)) after[c.key] = await rowsOf(c);

    for (const key of ["B", "C2", "E"]) expect(after[key], key).toEqual(before[key]);
    for (const key of ["A", "D"]) {
      const { resident, ...rest } = after[key]!;
      const { resident: was, ...expected } = claimAnonymised(before[key]!);
      expect(rest, key).toEqual(expected);
      expect(resident).toEqual({
        ...was,
        name: "",
        nationalIdCipher: "",
        nationalIdHash: expect.stringMatching(/^anonymised:[0-9a-f]{32}$/),
        email: null,
        phone: null,
        updatedAt: expect.any(Date),
      });
      expect(
        existsSync(path.join(path.resolve(env().ATTACHMENTS_DIR), cases[key]!.storageKey)),
      ).toBe(false);
    }
    // C1's own texts go; its resident, who still owes C2, keeps name and contact details.
    const { resident: c1Resident, ...c1 } = after.C1!;
    const { resident: c1Was, ...c1Expected } = claimAnonymised(before.C1!);
    expect(c1).toEqual(c1Expected);
    expect(c1Resident).toEqual(c1Was);
    for (const key of ["B", "E"])
      expect(
        existsSync(path.join(path.resolve(env().ATTACHMENTS_DIR), cases[key]!.storageKey)),
      ).toBe(true);

    const events = await db().event.findMany({ where: { id: { in: run.eventIds } } });
    expect(events.map((e) => e.type)).toEqual(run.eventIds.map(() => "retention.anonymised"));
  });

  it("is an event even when nothing is due, and changes nothing the second time", async () => {
    const snapshot = await Promise.all(Object.values(cases).map(rowsOf));
    const again = await runRetention({ asOf: AS_OF, actor: "test" });
    expect(again.claims).toBe(0);
    expect(again.eventIds).toHaveLength(1);
    const event = await db().event.findUniqueOrThrow({ where: { id: again.eventIds[0]! } });
    expect(event.data).toEqual({ asOf: AS_OF, claims: 0, residents: 0, attachments: 0 });
    expect(await Promise.all(Object.values(cases).map(rowsOf))).toEqual(snapshot);
  });
});
