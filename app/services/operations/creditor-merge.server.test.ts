import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { camt054 } from "../../../server/test-support/camt054";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { authenticateApiKey, createApiKey } from "../identity/api-keys.server";
import { noticesForLetters } from "../letters/letter-of.server";
import { importBankFile } from "../payments/bank-import.server";
import { CREDITOR_TABLES, creditorTables, mergeCreditors } from "./creditor-merge.server";

/*
 * Issue 16, must-show 4: after a merge, a bank file paying one of the old creditor's references
 * lands on the right claim, and nothing is left on the old creditor (read from
 * information_schema, so a table added later with a creditorId column is checked too).
 */

const tag = `${process.pid}${Date.now().toString(36)}`.slice(-10);
const fromSlug = `mfrom-${tag}`;
const intoSlug = `minto-${tag}`;
let serial = 0;

function nationalId(): string {
  for (;;) {
    serial += 1;
    const id = makeNorwegianFodselsnummer("1958-11-02", (serial * 13) % 500, { synthetic: true });
    if (id) return id;
  }
}

type Made = Awaited<ReturnType<typeof createTestCreditor>>;
let from: Made;
let into: Made;

async function claim(c: Made, externalId: string, principal = 120_000) {
  const r = await receiveClaim(
    c.caller,
    {
      externalId,
      claimType: "water",
      resident: { nationalId: nationalId(), name: "Marit Sammenslått" },
      description: "Vann og avløp",
      currency: "NOK",
      principal,
      issuedOn: "2026-09-01",
      dueOn: "2027-12-31",
    },
    new Date("2026-09-02T10:00:00Z"),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  return db().claim.findUniqueOrThrow({ where: { id: r.claim.id } });
}

/** Rows naming the creditor, per table with a creditorId column. */
async function rowsOf(creditorId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await creditorTables()) {
    const [{ n }] = await db().$queryRawUnsafe<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM "${table}" WHERE "creditorId" = $1::uuid`,
      creditorId,
    );
    out[table] = n;
  }
  return out;
}

let oldClaim: Awaited<ReturnType<typeof claim>>;
let clashing: Awaited<ReturnType<typeof claim>>;
let sentNoticeId: string;
let pendingNoticeId: string;
let oldKey: string;
let staffId: string;

beforeAll(async () => {
  await seedDemo();
  from = await createTestCreditor(fromSlug);
  into = await createTestCreditor(intoSlug);
  await db().creditor.update({
    where: { id: from.creditor.id },
    data: { name: "Gamle Sørvik kommune", phone: "+47 11 11 11 11" },
  });
  await db().creditor.update({
    where: { id: into.creditor.id },
    data: { name: "Nye Fjordvik kommune", phone: "+47 22 22 22 22" },
  });
  oldClaim = await claim(from, `M-${tag}-1`);
  // The same invoice number at both creditors.
  clashing = await claim(from, `M-${tag}-SAME`);
  await claim(into, `M-${tag}-SAME`);
  const letter = (status: "DISPATCHED" | "PENDING") =>
    db().notice.create({
      data: {
        claimId: oldClaim.id,
        kind: "REMINDER",
        sentOn: new Date("2026-10-01"),
        language: "nb",
        status,
        dispatchedOn: status === "DISPATCHED" ? new Date("2026-10-01") : null,
        content: {},
      },
    });
  sentNoticeId = (await letter("DISPATCHED")).id;
  pendingNoticeId = (await letter("PENDING")).id;
  const staff = await db().staff.create({
    data: {
      email: `merge-${tag}@example.test`,
      name: "Both offices",
      role: "ADMIN",
      passwordHash: "x",
      totpSecretCipher: "x",
      creditors: { create: [{ creditorId: from.creditor.id }, { creditorId: into.creditor.id }] },
    },
  });
  staffId = staff.id;
  const only = await db().staff.create({
    data: {
      email: `merge-only-${tag}@example.test`,
      name: "Old office only",
      role: "AGENT",
      passwordHash: "x",
      totpSecretCipher: "x",
      creditors: { create: [{ creditorId: from.creditor.id }] },
    },
  });
  await db().caseNote.create({
    data: {
      creditorId: from.creditor.id,
      residentId: oldClaim.residentId,
      claimId: oldClaim.id,
      staffId: only.id,
      text: "Called; will pay after the merger.",
    },
  });
  await db().staffTask.create({
    data: {
      kind: "UNMATCHED_BANK_PAYMENT",
      creditorId: from.creditor.id,
      sourceKey: `merge-${tag}`,
    },
  });
  await db().sweepRun.create({
    data: { creditorId: from.creditor.id, asOf: new Date("2026-10-01") },
  });
  oldKey = (await createApiKey(fromSlug)).key;
});
afterAll(() => disconnectDb());

describe("creditor merge", () => {
  it("names a rule for every table with a creditorId column", async () => {
    // A table added later with a creditorId column fails here until someone decides what a merge
    // does with it (CREDITOR_TABLES in creditor-merge.server.ts).
    const unruled = (await creditorTables()).filter((t) => !Object.hasOwn(CREDITOR_TABLES, t));
    expect(unruled).toEqual([]);
  });

  it("refuses clear cases and changes nothing", async () => {
    const before = await rowsOf(from.creditor.id);
    const base = { actor: "test", now: new Date(), dryRun: false };
    expect(await mergeCreditors({ ...base, fromSlug, intoSlug: fromSlug })).toMatchObject({
      ok: false,
      error: "same_creditor",
    });
    expect(await mergeCreditors({ ...base, fromSlug, intoSlug: `nowhere-${tag}` })).toEqual({
      ok: false,
      error: "unknown_creditor",
      detail: `nowhere-${tag}`,
    });
    const swedish = await createTestCreditor(`mse-${tag}`, "SE");
    expect(
      await mergeCreditors({ ...base, fromSlug, intoSlug: swedish.creditor.slug }),
    ).toMatchObject({ ok: false, error: "different_country" });
    const other = await createTestCreditor(`mcur-${tag}`);
    await db().creditor.update({ where: { id: other.creditor.id }, data: { currency: "EUR" } });
    expect(
      await mergeCreditors({ ...base, fromSlug, intoSlug: other.creditor.slug }),
    ).toMatchObject({ ok: false, error: "different_currency" });
    expect(await rowsOf(from.creditor.id)).toEqual(before);
  });

  it("dry run shows exactly what would move and changes nothing", async () => {
    const before = { from: await rowsOf(from.creditor.id), into: await rowsOf(into.creditor.id) };
    const events = await db().event.count({ where: { type: "creditor.merged" } });
    const r = await mergeCreditors({
      fromSlug,
      intoSlug,
      actor: "test",
      now: new Date(),
      dryRun: true,
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const moved = Object.fromEntries(r.report.moved.map((m) => [m.table, m.rows]));
    expect(r.report.dryRun).toBe(true);
    expect(moved.Claim).toBe(2);
    expect(moved.ClaimType).toBe(1);
    expect(moved.Policy).toBe(before.from.Policy);
    expect(moved.CaseNote).toBe(1);
    expect(moved.StaffTask).toBe(1);
    expect(moved.Event).toBe(before.from.Event);
    expect(r.report.renamedClaimTypes).toEqual([{ from: "water", to: `water-${fromSlug}` }]);
    expect(r.report.renamedInvoiceNumbers).toBe(1);
    expect(r.report.lettersKeepingOldName).toBe(1);
    expect(r.report.revokedApiKeys).toBe(1);
    expect(r.report.staffInBoth).toBe(1);
    expect(moved.StaffCreditor).toBe(2);
    expect(r.report.kept).toEqual([
      { table: "ApiKey", rows: 1 },
      { table: "SweepRun", rows: 1 },
    ]);
    expect(await rowsOf(from.creditor.id)).toEqual(before.from);
    expect(await rowsOf(into.creditor.id)).toEqual(before.into);
    expect(await db().event.count({ where: { type: "creditor.merged" } })).toBe(events);
    const creditor = await db().creditor.findUniqueOrThrow({ where: { id: from.creditor.id } });
    expect(creditor.mergedAt).toBeNull();
    expect(await authenticateApiKey(`Bearer ${oldKey}`)).not.toBeNull();
  });

  it("moves everything in one go; the old references still match bank payments", async () => {
    const policyBefore = oldClaim.policyId;
    const r = await mergeCreditors({
      fromSlug,
      intoSlug,
      actor: `staff:${staffId}`,
      now: new Date(),
      dryRun: false,
    });
    if (!r.ok) throw new Error(JSON.stringify(r));

    // Nothing names the old creditor but what is kept on purpose: its daily runs and its keys,
    // all revoked. Every table with a creditorId column is read, not a list of known ones.
    const left = Object.entries(await rowsOf(from.creditor.id)).filter(([, n]) => n > 0);
    expect(left).toEqual([
      ["ApiKey", 1],
      ["SweepRun", 1],
    ]);
    expect(
      await db().apiKey.count({ where: { creditorId: from.creditor.id, revokedAt: null } }),
    ).toBe(0);
    expect(await authenticateApiKey(`Bearer ${oldKey}`)).toBeNull();
    const tomb = await db().creditor.findUniqueOrThrow({ where: { id: from.creditor.id } });
    expect(tomb.mergedIntoId).toBe(into.creditor.id);
    expect(tomb.mergedAt).not.toBeNull();

    // The claim keeps its policy version, its reference, and its claim type (renamed).
    const moved = await db().claim.findUniqueOrThrow({
      where: { id: oldClaim.id },
      include: { claimType: true },
    });
    expect(moved.creditorId).toBe(into.creditor.id);
    expect(moved.policyId).toBe(policyBefore);
    expect(moved.paymentReference).toBe(oldClaim.paymentReference);
    expect(moved.claimType.slug).toBe(`water-${fromSlug}`);
    expect(moved.claimType.name).toBe("Vann (Gamle Sørvik kommune)");
    const renamed = await db().claim.findUniqueOrThrow({ where: { id: clashing.id } });
    expect(renamed.externalId).toBe(`${fromSlug}/M-${tag}-SAME`);

    // Staff of the old creditor work for the new one; the one in both has one row.
    expect(
      await db().staffCreditor.count({ where: { staffId, creditorId: into.creditor.id } }),
    ).toBe(1);
    expect(
      await db().staffCreditor.count({
        where: { creditorId: into.creditor.id, staff: { email: { startsWith: `merge-` } } },
      }),
    ).toBe(2);

    // A bank file paying the old creditor's reference lands on that claim.
    const msgId = `MERGE-${tag}`;
    const imported = await importBankFile(
      camt054(msgId, [
        { reference: oldClaim.paymentReference, amount: 50_000, bookedOn: "2026-11-02" },
      ]),
      "test",
    );
    expect(imported).toMatchObject({ ok: true, matched: 1, unmatched: 0 });
    const payments = await db().payment.findMany({ where: { claimId: oldClaim.id } });
    expect(payments.map((p) => p.amount)).toEqual([50_000]);
    const entry = await db().bankEntry.findFirstOrThrow({
      where: { reference: oldClaim.paymentReference },
    });
    expect(entry).toMatchObject({ status: "MATCHED", claimId: oldClaim.id });

    // The letter that left keeps the old name and phone; the one still waiting goes out in the
    // new creditor's name.
    const [sent] = await noticesForLetters(undefined, [sentNoticeId]);
    expect(sent!.creditor).toMatchObject({
      name: "Gamle Sørvik kommune",
      phone: "+47 11 11 11 11",
    });
    const [pending] = await noticesForLetters(undefined, [pendingNoticeId]);
    expect(pending!.creditor).toMatchObject({
      name: "Nye Fjordvik kommune",
      phone: "+47 22 22 22 22",
    });

    // One event, on the new creditor, saying who and how much.
    const event = await db().event.findFirstOrThrow({
      where: { type: "creditor.merged", creditorId: into.creditor.id },
    });
    expect(event.actor).toBe(`staff:${staffId}`);
    expect(event.data).toMatchObject({ from: fromSlug, into: intoSlug, moved: { Claim: 2 } });

    // The Figures page's counts moved with the claims at once (the view was counted again).
    const figures = await db().$queryRaw<{ creditorId: string; n: bigint }[]>`
      SELECT "creditorId"::text, count(*) AS n FROM "FigureMonth"
       WHERE "creditorId" IN (${from.creditor.id}::uuid, ${into.creditor.id}::uuid)
       GROUP BY 1`;
    expect(figures.map((f) => f.creditorId)).toEqual([into.creditor.id]);

    // A new invoice for "water" goes to the new creditor's own water type.
    const fresh = await claim(into, `M-${tag}-NEW`);
    const type = await db().claimType.findUniqueOrThrow({ where: { id: fresh.claimTypeId } });
    expect(type.slug).toBe("water");
    expect(type.creditorId).toBe(into.creditor.id);
  });

  it("refuses a second merge of the same creditor", async () => {
    const r = await mergeCreditors({
      fromSlug,
      intoSlug,
      actor: "test",
      now: new Date(),
      dryRun: true,
    });
    expect(r).toEqual({ ok: false, error: "already_merged", detail: fromSlug });
  });

  it("keeps the event log and case notes closed to anything else", async () => {
    const event = await db().event.findFirstOrThrow({ where: { creditorId: into.creditor.id } });
    // Moving to a creditor that is not the merge target is refused, as is any other change.
    await expect(
      db().event.update({ where: { id: event.id }, data: { creditorId: from.creditor.id } }),
    ).rejects.toThrow(/append-only/);
    await expect(
      db().event.update({ where: { id: event.id }, data: { actor: "someone" } }),
    ).rejects.toThrow(/append-only/);
    const note = await db().caseNote.findFirstOrThrow({ where: { creditorId: into.creditor.id } });
    await expect(
      db().caseNote.update({ where: { id: note.id }, data: { text: "edited" } }),
    ).rejects.toThrow(/never edited/);
  });
});
