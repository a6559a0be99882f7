import { listResidentDisputes } from "./dispute-views.server";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { readAttachmentForCreditors, readAttachmentForResident } from "./attachments.server";
import { addDisputeInformation, fileDispute } from "./disputes.server";
import { askForHelp, isOwnOpenHelpRequest } from "./help.server";
import { getResidentClaimPage } from "../portal/claims.server";
import { runSweep } from "../escalation/sweep.server";
import { receiveClaim } from "../claims/intake.server";
import { noticesForLetters } from "../letters/letter-of.server";

const START = "2026-03-02";
const NOW = new Date(`${START}T10:00:00Z`);
const PUBLIC_URL = "http://localhost:3000";
const PER = { nationalId: "14876810183", name: "Per Olsen" };
const INGRID = { nationalId: "27829010068", name: "Ingrid Johansen" };
const run = Date.now().toString(36);

// Before the first env() call: this file's attachments go to a directory of its own.
const dir = mkdtempSync(path.join(tmpdir(), "kravportal-attachments-"));
process.env.ATTACHMENTS_DIR = dir;

// A real one-page PDF (attachments are opened and looked into), told apart by a comment.
const pdf = (extra = "") =>
  new TextEncoder().encode(
    `%PDF-1.4\n% test ${extra}\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n` +
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
      "trailer << /Root 1 0 R >>\n%%EOF\n",
  );
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

let slug = "";
let counter = 0;

/** A fresh claim of Per's, due on START, at a creditor of this file's own. */
async function newClaim(resident = PER) {
  counter += 1;
  const { caller } = await createTestCreditor(`${slug}-${counter}`);
  const result = await receiveClaim(
    caller,
    {
      externalId: `D-${counter}`,
      claimType: "water",
      resident,
      description: "Vann og avløp",
      currency: "NOK",
      principal: 250_000,
      issuedOn: addDays(START, -30),
      dueOn: START,
    },
    new Date(`${addDays(START, -29)}T12:00:00Z`),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  const claim = await db().claim.findUniqueOrThrow({
    where: { id: result.claim.id },
    include: { charges: true },
  });
  return { claim, creditorSlug: `${slug}-${counter}` };
}

async function counts(claimId: string) {
  const [disputes, holds, attachments, notices] = await Promise.all([
    db().dispute.count({ where: { claimId } }),
    db().hold.count({ where: { claimId } }),
    db().attachment.count({ where: { dispute: { claimId } } }),
    db().notice.count({ where: { claimId } }),
  ]);
  return { disputes, holds, attachments, notices, files: readdirSync(dir).length };
}

beforeAll(async () => {
  await seedDemo();
  slug = `disp-${run}`;
});
afterAll(() => disconnectDb());

describe("filing a dispute", () => {
  it("places a dispute hold in the same transaction, so the sweep leaves the claim alone", async () => {
    const { claim, creditorSlug } = await newClaim();
    const fee = claim.charges[0]!;
    const result = await fileDispute({
      residentId: claim.residentId,
      claimId: claim.id,
      chargeId: fee.id,
      reason: "FEE_NOT_JUSTIFIED",
      text: "I never received the invoice.",
      files: [{ name: "receipt.pdf", bytes: pdf() }],
      now: NOW,
    });
    expect(result).toEqual({ ok: true, disputeId: expect.any(String) });
    if (!result.ok) return;

    const dispute = await db().dispute.findUniqueOrThrow({
      where: { id: result.disputeId },
      include: { attachments: true },
    });
    expect(dispute.status).toBe("OPEN");
    expect(dispute.chargeId).toBe(fee.id);
    const hold = await db().hold.findUniqueOrThrow({ where: { id: dispute.holdId } });
    expect(hold).toMatchObject({ kind: "DISPUTE", reason: `Dispute ${dispute.id}` });
    const events = await db().event.findMany({ where: { claimId: claim.id } });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["dispute.filed", "hold.placed"]),
    );
    expect(dispute.attachments).toHaveLength(1);
    expect(dispute.attachments[0]).toMatchObject({
      fileName: "receipt.pdf",
      contentType: "application/pdf",
    });
    expect(dispute.attachments[0]!.storageKey).toMatch(/^[0-9a-f]{64}$/);
    // The resident is told by letter that it arrived: one, waiting to leave, on this claim.
    const letters = await db().notice.findMany({ where: { claimId: claim.id } });
    expect(letters.map((n) => [n.kind, n.status, n.planId])).toEqual([
      ["DISPUTE_RECEIVED", "PENDING", null],
    ]);
    expect(isoOf(letters[0]!.sentOn)).toBe(START);

    for (let d = 0; d < 60; d++) {
      await runSweep({ asOf: addDays(START, d), creditorSlug, publicUrl: PUBLIC_URL });
    }
    const after = await db().claim.findUniqueOrThrow({
      where: { id: claim.id },
      include: { steps: true, charges: true },
    });
    expect(after.stage).toBe("INVOICED");
    expect(after.steps).toEqual([]);
    expect(after.charges).toHaveLength(1);
    expect(await db().notice.count({ where: { claimId: claim.id } })).toBe(1);

    const listed = await listResidentDisputes(claim.residentId, claim.id);
    expect(listed[0]).toMatchObject({ status: "OPEN", charge: { kind: "PRINCIPAL" } });
  });

  it("refuses a file that is too large, disguised by its name, or named with markup; stores nothing", async () => {
    const { claim } = await newClaim();
    const before = await counts(claim.id);
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(pdf());
    const cases = [
      { files: [{ name: "big.pdf", bytes: big }], message: "dispute.error.tooLarge" },
      {
        files: [{ name: "invoice.pdf", bytes: new TextEncoder().encode("MZ\x90\x00 not a pdf") }],
        message: "dispute.error.badType",
      },
      // A real PNG called .pdf is refused too: the name promises something else.
      { files: [{ name: "scan.pdf", bytes: png }], message: "dispute.error.badType" },
      {
        files: [{ name: "<script>alert(1)</script>.pdf", bytes: pdf() }],
        message: "dispute.error.badName",
      },
      // One bad file among good ones: nothing at all is kept.
      {
        files: [
          { name: "ok.pdf", bytes: pdf() },
          { name: "photo.png", bytes: new TextEncoder().encode("<svg onload=alert(1)>") },
        ],
        message: "dispute.error.badType",
      },
    ];
    for (const c of cases) {
      const result = await fileDispute({
        residentId: claim.residentId,
        claimId: claim.id,
        reason: "WRONG_AMOUNT",
        text: "Too much",
        files: c.files,
        now: NOW,
      });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.map((e) => e.message)).toContain(c.message);
    }
    expect(await counts(claim.id)).toEqual(before);
  });

  it("keeps a safe display name and never uses it as a path", async () => {
    const { claim } = await newClaim();
    const result = await fileDispute({
      residentId: claim.residentId,
      claimId: claim.id,
      reason: "OTHER",
      text: "See attached",
      files: [{ name: `../../etc/pass\u0007wd|?${"x".repeat(150)}.png`, bytes: png }],
      now: NOW,
    });
    expect(result.ok).toBe(true);
    const [a] = await db().attachment.findMany({ where: { dispute: { claimId: claim.id } } });
    expect(a!.fileName).not.toMatch(/[/\\|?]/);
    expect(a!.fileName.includes(String.fromCharCode(7))).toBe(false);
    expect(a!.fileName.length).toBeLessThanOrEqual(100);
    expect(a!.fileName.endsWith(".png")).toBe(true);
  });

  it("lets no one else file on, list or read another resident's dispute", async () => {
    const { claim } = await newClaim();
    const ingrid = await newClaim(INGRID);
    const filed = await fileDispute({
      residentId: claim.residentId,
      claimId: claim.id,
      reason: "ALREADY_PAID",
      text: "Paid in cash",
      files: [{ name: "receipt.pdf", bytes: pdf("secret") }],
      now: NOW,
    });
    if (!filed.ok) throw new Error(JSON.stringify(filed));
    const other = ingrid.claim.residentId;
    const before = await counts(claim.id);
    const onTheirs = await fileDispute({
      residentId: other,
      claimId: claim.id,
      reason: "WRONG_PERSON",
      text: "Not mine",
      files: [],
      now: NOW,
    });
    expect(onTheirs).toEqual({
      ok: false,
      errors: [{ field: "claimId", message: "dispute.error.notFound" }],
    });
    // A charge of another claim is refused too.
    const foreignCharge = await fileDispute({
      residentId: claim.residentId,
      claimId: claim.id,
      chargeId: ingrid.claim.charges[0]!.id,
      reason: "WRONG_AMOUNT",
      text: "x",
      files: [],
      now: NOW,
    });
    expect(foreignCharge.ok).toBe(false);
    expect(await counts(claim.id)).toEqual(before);

    expect(await listResidentDisputes(other, claim.id)).toEqual([]);
    const att = await db().attachment.findFirstOrThrow({ where: { disputeId: filed.disputeId } });
    expect(await readAttachmentForResident(other, att.id)).toBeNull();
    const own = await readAttachmentForResident(claim.residentId, att.id);
    expect(Buffer.from(own!.bytes).toString()).toContain("secret");
    expect(own!.contentType).toBe("application/pdf");
    expect(await readAttachmentForCreditors([ingrid.claim.creditorId], att.id)).toBeNull();
    expect(await readAttachmentForCreditors([claim.creditorId], att.id)).not.toBeNull();

    const answer = await addDisputeInformation({
      residentId: other,
      disputeId: filed.disputeId,
      text: "x",
      files: [],
      now: NOW,
    });
    expect(answer.ok).toBe(false);
  });

  it("takes more information only when staff asked for it", async () => {
    const { claim } = await newClaim();
    const filed = await fileDispute({
      residentId: claim.residentId,
      claimId: claim.id,
      reason: "SERVICE_NOT_RECEIVED",
      text: "No water that month",
      files: [],
      now: NOW,
    });
    if (!filed.ok) throw new Error(JSON.stringify(filed));
    const early = await addDisputeInformation({
      residentId: claim.residentId,
      disputeId: filed.disputeId,
      text: "More",
      files: [],
      now: NOW,
    });
    expect(early).toEqual({
      ok: false,
      errors: [{ field: "disputeId", message: "dispute.error.notAsked" }],
    });
    await db().dispute.update({
      where: { id: filed.disputeId },
      data: { status: "INFO_REQUESTED" },
    });
    const answered = await addDisputeInformation({
      residentId: claim.residentId,
      disputeId: filed.disputeId,
      text: "Here is the letter from the plumber",
      files: [{ name: "letter.png", bytes: png }],
      now: NOW,
    });
    expect(answered.ok).toBe(true);
    const [listed] = await listResidentDisputes(claim.residentId, claim.id);
    expect(listed!.status).toBe("INFO_PROVIDED");
    expect(listed!.messages.map((m) => m.text)).toEqual(["Here is the letter from the plumber"]);
    expect(listed!.attachments).toHaveLength(1);
  });
});

describe("the claim page's dispute list", () => {
  it("is what the former Prisma query gave, for every claim with disputes, and only the resident's", async () => {
    const claims = await db().claim.findMany({
      where: { disputes: { some: {} } },
      select: { id: true, residentId: true },
    });
    expect(claims.length).toBeGreaterThan(0);
    for (const { id: claimId, residentId } of claims) {
      const rows = await db().dispute.findMany({
        where: { claimId, residentId },
        orderBy: { createdAt: "desc" },
        include: {
          messages: { orderBy: { createdAt: "asc" } },
          attachments: {
            orderBy: { createdAt: "asc" },
            select: { id: true, fileName: true, size: true, contentType: true },
          },
          claim: { select: { charges: { select: { id: true, kind: true, chargedOn: true } } } },
        },
      });
      const expected = rows.map((d) => {
        const charge = d.chargeId ? d.claim.charges.find((c) => c.id === d.chargeId) : undefined;
        return {
          id: d.id,
          reason: d.reason,
          text: d.text,
          status: d.status,
          createdAt: d.createdAt.toISOString(),
          charge: charge
            ? { kind: charge.kind, chargedOn: charge.chargedOn.toISOString().slice(0, 10) }
            : null,
          decisionReason: d.decisionReason,
          freshDeadline: d.freshDeadline ? d.freshDeadline.toISOString().slice(0, 10) : null,
          messages: d.messages.map((m) => ({
            fromResident: m.author === "resident",
            text: m.text,
            at: m.createdAt.toISOString(),
          })),
          attachments: d.attachments,
        };
      });
      // Equal timestamps (messages written in one transaction) have no order of their own.
      const norm = (list: typeof expected) =>
        list
          .map((d) => ({
            ...d,
            messages: [...d.messages].sort((a, b) =>
              `${a.at}${a.text}`.localeCompare(`${b.at}${b.text}`),
            ),
          }))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
      expect(norm(await listResidentDisputes(residentId, claimId))).toEqual(norm(expected));
    }
  });
});

/** A synthetic fødselsnummer of this file's own (never a real person, never a demo resident). */
function synthetic(n: number) {
  for (let i = n; ; i += 10) {
    const found = makeNorwegianFodselsnummer("1968-04-11", 400 + (i % 100), { synthetic: true });
    if (found) return found;
  }
}

/** A claim of `resident` at `caller`'s creditor, due on `dueOn`. */
async function claimAt(
  caller: Awaited<ReturnType<typeof createTestCreditor>>["caller"],
  resident: { nationalId: string; name: string },
  externalId: string,
  dueOn: string,
) {
  const result = await receiveClaim(
    caller,
    {
      externalId,
      claimType: "water",
      resident,
      description: "Vann og avløp",
      currency: "NOK",
      principal: 250_000,
      issuedOn: addDays(dueOn, -30),
      dueOn,
    },
    new Date(`${addDays(dueOn, -29)}T12:00:00Z`),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  return result.claim.id;
}

describe("asking for help", () => {
  it("raises one open hardship flag with the resident's words and consent; each creditor writes one letter, on its oldest open claim", async () => {
    // A resident of this test's own: the letters would otherwise land on shared demo claims.
    const resident = { nationalId: synthetic(1), name: "Hanne Hjelp" };
    const a = await createTestCreditor(`${slug}-help-a`);
    const b = await createTestCreditor(`${slug}-help-b`);
    const newerAtA = await claimAt(a.caller, resident, "H-A2", addDays(START, -5));
    const oldestAtA = await claimAt(a.caller, resident, "H-A1", addDays(START, -20));
    const onlyAtB = await claimAt(b.caller, resident, "H-B1", START);
    const paidAtB = await claimAt(b.caller, resident, "H-B0", addDays(START, -40));
    await db().claim.update({ where: { id: paidAtB }, data: { status: "PAID" } });
    const all = [newerAtA, oldestAtA, onlyAtB, paidAtB];
    const { residentId } = await db().claim.findUniqueOrThrow({ where: { id: oldestAtA } });
    const letters = () =>
      db().notice.findMany({ where: { claimId: { in: all } }, orderBy: { claimId: "asc" } });

    const first = await askForHelp({
      residentId,
      text: "I lost my job and cannot pay",
      consentToSocialServices: true,
      now: NOW,
    });
    expect(first).toMatchObject({ ok: true, alreadyOpen: false });
    const written = await letters();
    expect(
      written.map((n) => [n.claimId, n.kind, n.status]).sort((x, y) => x[0]!.localeCompare(y[0]!)),
    ).toEqual(
      [
        [oldestAtA, "HELP_RECEIVED", "PENDING"],
        [onlyAtB, "HELP_RECEIVED", "PENDING"],
      ].sort((x, y) => x[0]!.localeCompare(y[0]!)),
    );
    // Each from its own creditor: the letter names that creditor as its sender.
    const [fromA] = await noticesForLetters(
      undefined,
      written.filter((n) => n.claimId === oldestAtA).map((n) => n.id),
    );
    expect(fromA!.creditorId).toBe(a.creditor.id);

    // Asking again while the flag is open raises nothing and writes no letter.
    const again = await askForHelp({
      residentId,
      text: "Still cannot pay",
      consentToSocialServices: false,
      now: NOW,
    });
    expect(again).toMatchObject({ ok: true, alreadyOpen: true });
    const flags = await db().vulnerabilityFlag.findMany({
      where: { residentId, resolvedAt: null },
    });
    expect(flags).toHaveLength(1);
    expect(flags[0]!.kind).toBe("HARDSHIP");
    expect(flags[0]!.note).toContain("I lost my job and cannot pay");
    expect(flags[0]!.note).toContain("social services: yes");
    // A form that does not parse changes nothing either.
    await db().vulnerabilityFlag.updateMany({
      where: { residentId, resolvedAt: null },
      data: { resolvedAt: NOW, resolution: "test reset" },
    });
    expect(
      await askForHelp({ residentId, text: "  ", consentToSocialServices: false, now: NOW }),
    ).toMatchObject({ ok: false });
    expect(await letters()).toHaveLength(2);
  });

  it("shows an open request on each of the resident's bills, dated the creditor's day, and thanks only its sender", async () => {
    const resident = { nationalId: synthetic(3), name: "Siri Spør" };
    const c = await createTestCreditor(`${slug}-help-d`);
    const first = await claimAt(c.caller, resident, "H-D1", START);
    const second = await claimAt(c.caller, resident, "H-D2", addDays(START, 10));
    const { residentId } = await db().claim.findUniqueOrThrow({ where: { id: first } });
    const per = await db().resident.findFirstOrThrow({ where: { id: { not: residentId } } });
    // A run before this one may have left her a request open.
    await db().vulnerabilityFlag.updateMany({
      where: { residentId, resolvedAt: null },
      data: { resolvedAt: NOW, resolution: "test reset" },
    });
    const helpOn = async (claimId: string) =>
      (await getResidentClaimPage(residentId, claimId, NOW))!.helpRequest;
    expect(await helpOn(first)).toBeNull();

    // Sent at 23:30 UTC on 1 March: already 2 March in Oslo, the creditor's day.
    const sent = await askForHelp({
      residentId,
      text: "I cannot pay this month",
      consentToSocialServices: false,
      now: new Date("2026-03-01T23:30:00Z"),
    });
    if (!sent.ok) throw new Error("not sent");
    for (const claimId of [first, second])
      expect(await helpOn(claimId)).toEqual({ id: sent.flagId, receivedOn: "2026-03-02" });
    // Someone else sees nothing of it: not her bill, not her request.
    expect(await getResidentClaimPage(per.id, first, NOW)).toBeNull();

    expect(await isOwnOpenHelpRequest(residentId, sent.flagId)).toBe(true);
    expect(await isOwnOpenHelpRequest(per.id, sent.flagId)).toBe(false);
    expect(await isOwnOpenHelpRequest(residentId, "1")).toBe(false);
    expect(await isOwnOpenHelpRequest(residentId, "00000000-0000-4000-8000-000000000000")).toBe(
      false,
    );

    // Dealt with by staff: no longer shown, and no longer thanked for.
    await db().vulnerabilityFlag.update({
      where: { id: sent.flagId },
      data: { resolvedAt: NOW, resolution: "plan agreed" },
    });
    expect(await helpOn(first)).toBeNull();
    expect(await isOwnOpenHelpRequest(residentId, sent.flagId)).toBe(false);
  });

  it("writes no letter for a resident with no open claims: there is no claim to put it on", async () => {
    const resident = { nationalId: synthetic(2), name: "Ola Ingenting" };
    const c = await createTestCreditor(`${slug}-help-c`);
    const paid = await claimAt(c.caller, resident, "H-C1", START);
    await db().claim.update({ where: { id: paid }, data: { status: "PAID" } });
    const { residentId } = await db().claim.findUniqueOrThrow({ where: { id: paid } });
    expect(
      await askForHelp({ residentId, text: "Help", consentToSocialServices: false, now: NOW }),
    ).toMatchObject({ ok: true, alreadyOpen: false });
    expect(await db().notice.count({ where: { claimId: paid } })).toBe(0);
  });
});
