import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import type { ApiCaller } from "../identity/api-keys.server";
import { addCaseNote, caseNotes } from "./notes.server";
import type { StaffContext } from "./queues.server";
import { residentView } from "./resident-view.server";
import { staffSearch } from "./search.server";

/*
 * The back office's search, resident view and case notes on PostgreSQL: a resident is found by
 * name (any word's prefix, case and accents ignored), by full identity number (its keyed hash),
 * by payment reference and by invoice number, only among the staff member's creditors; each
 * search is an audit event without the term; notes are never edited and seen by their creditor's
 * staff only.
 */

const NOW = new Date("2026-11-22T10:00:00Z");
// Letters only: names are searched by word prefixes.
const tag = Array.from(Date.now().toString(36) + process.pid.toString(36), (c) =>
  String.fromCharCode(97 + (c.charCodeAt(0) % 26)),
).join("");

let no: { id: string; caller: ApiCaller };
let se: { id: string; caller: ApiCaller };
let noStaff: StaffContext;
let seStaff: StaffContext;
let serial = 300 + (process.pid % 150);

async function claimFor(
  creditor: { caller: ApiCaller },
  resident: { nationalId: string; name: string },
  externalId: string,
) {
  const r = await receiveClaim(
    creditor.caller,
    {
      externalId,
      claimType: "water",
      resident,
      description: "Water and sewage",
      currency: creditor.caller.currency,
      principal: 120_000,
      issuedOn: "2026-10-01",
      dueOn: "2026-10-31",
    },
    new Date("2026-10-01T12:00:00Z"),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  return db().claim.findUniqueOrThrow({ where: { id: r.claim.id } });
}

function norwegianId(): string {
  for (;;) {
    serial += 1;
    const id = makeNorwegianFodselsnummer("1961-03-14", serial % 500, { synthetic: true });
    if (id) return id;
  }
}

async function staffOf(slug: string, creditorId: string): Promise<StaffContext> {
  const s = await db().staff.create({
    data: {
      email: `search-${tag}-${slug}@example.test`,
      name: `Case worker ${slug}`,
      role: "AGENT",
      passwordHash: "x",
      totpSecretCipher: "x",
      creditors: { create: [{ creditorId }] },
    },
  });
  return { staffId: s.id, role: "AGENT", creditorIds: [creditorId] };
}

let ingrid: Awaited<ReturnType<typeof claimFor>>;
let ingridId: string;
let sven: Awaited<ReturnType<typeof claimFor>>;

beforeAll(async () => {
  await seedDemo();
  const n = await createTestCreditor(`search-no-${tag}`, "NO");
  const s = await createTestCreditor(`search-se-${tag}`, "SE");
  no = { id: n.creditor.id, caller: n.caller };
  se = { id: s.creditor.id, caller: s.caller };
  noStaff = await staffOf("no", no.id);
  seStaff = await staffOf("se", se.id);
  ingridId = norwegianId();
  ingrid = await claimFor(
    no,
    { nationalId: ingridId, name: `Ingrid Ødegård-${tag}` },
    `INV-${tag}-1`,
  );
  const personnummer = makeSwedishPersonnummer("1958-07-02", 300 + (process.pid % 600));
  sven = await claimFor(se, { nationalId: personnummer, name: `Sven Åström ${tag}` }, `F-${tag}-9`);
});
afterAll(() => disconnectDb());

describe("staff search", () => {
  it("finds a resident by any word's prefix, case and accents ignored", async () => {
    for (const term of [
      `odegard-${tag}`,
      `ØDEGÅRD-${tag.slice(0, 3)}`,
      `ingrid ${tag}`,
      `Ingr Ødeg`,
    ]) {
      const found = await staffSearch(noStaff, term, NOW);
      expect(found.kind, term).toBe("name");
      expect(
        found.residents.map((r) => r.id),
        term,
      ).toContain(ingrid.residentId);
    }
    // A word must start a word of the name: the middle of one is not a match.
    const middle = await staffSearch(noStaff, `degard-${tag}`, NOW);
    expect(middle.residents.map((r) => r.id)).not.toContain(ingrid.residentId);
  });

  it("finds by full identity number, payment reference and invoice number", async () => {
    const byId = await staffSearch(noStaff, ingridId, NOW);
    expect(byId).toMatchObject({ kind: "nationalId", claims: [] });
    expect(byId.residents.map((r) => r.id)).toEqual([ingrid.residentId]);
    expect(byId.residents[0]).toMatchObject({ openClaims: 1, claims: 1 });

    const byRef = await staffSearch(noStaff, ingrid.paymentReference, NOW);
    expect(byRef.kind).toBe("reference");
    expect(byRef.claims.map((c) => c.id)).toEqual([ingrid.id]);

    const byInvoice = await staffSearch(seStaff, `F-${tag}-9`, NOW);
    expect(byInvoice.kind).toBe("invoice");
    expect(byInvoice.claims.map((c) => c.id)).toEqual([sven.id]);
  });

  it("shows another creditor's staff nothing of them", async () => {
    for (const term of [ingridId, ingrid.paymentReference, `INV-${tag}-1`, `odegard-${tag}`]) {
      const found = await staffSearch(seStaff, term, NOW);
      expect(
        found.residents.map((r) => r.id),
        term,
      ).not.toContain(ingrid.residentId);
      expect(
        found.claims.map((c) => c.id),
        term,
      ).not.toContain(ingrid.id);
    }
    expect(await residentView(seStaff, ingrid.residentId, NOW)).toBeNull();
  });

  it("records each search as an audit event with the kind of term, never the term", async () => {
    const before = await db().event.count({
      where: { type: "staff.searched", actor: `staff:${noStaff.staffId}` },
    });
    await staffSearch(noStaff, ingridId, NOW);
    const events = await db().event.findMany({
      where: { type: "staff.searched", actor: `staff:${noStaff.staffId}` },
      orderBy: { id: "desc" },
    });
    expect(events.length).toBe(before + 1);
    expect(events[0]!.data).toEqual({ kind: "nationalId", residents: 1, claims: 0 });
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(ingridId);
  });
});

describe("case notes", () => {
  it("are added, listed newest first, corrected by a new note, and never edited", async () => {
    const first = await addCaseNote(
      noStaff,
      { residentId: ingrid.residentId, creditorId: no.id, text: "Called: will pay on Friday." },
      NOW,
    );
    if (!first.ok) throw new Error(first.error);
    const later = new Date(NOW.getTime() + 60_000);
    const correction = await addCaseNote(
      noStaff,
      {
        residentId: ingrid.residentId,
        creditorId: no.id,
        claimId: ingrid.id,
        correctsId: first.noteId,
        text: "Correction: she said Monday, not Friday.",
      },
      later,
    );
    if (!correction.ok) throw new Error(correction.error);
    const notes = await caseNotes(noStaff, { residentId: ingrid.residentId });
    expect(notes.map((n) => n.text)).toEqual([
      "Correction: she said Monday, not Friday.",
      "Called: will pay on Friday.",
    ]);
    expect(notes[0]).toMatchObject({ correctsId: first.noteId, claimExternalId: `INV-${tag}-1` });
    expect(notes[1]).toMatchObject({ correctedBy: correction.noteId, staffName: "Case worker no" });
    // The database refuses an edit and a deletion, whoever asks.
    await expect(
      db().caseNote.update({ where: { id: first.noteId }, data: { text: "Rewritten" } }),
    ).rejects.toThrow();
    await expect(db().caseNote.delete({ where: { id: first.noteId } })).rejects.toThrow();
    const view = await residentView(noStaff, ingrid.residentId, NOW);
    expect(view?.notes.map((n) => n.id)).toEqual([correction.noteId, first.noteId]);
  });

  it("are refused, writing nothing, when empty, too long or not the creditor's", async () => {
    const count = () => db().caseNote.count({ where: { residentId: ingrid.residentId } });
    const before = await count();
    const base = { residentId: ingrid.residentId, creditorId: no.id };
    expect(await addCaseNote(noStaff, { ...base, text: "   " }, NOW)).toEqual({
      ok: false,
      error: "empty",
    });
    expect(await addCaseNote(noStaff, { ...base, text: "x".repeat(2001) }, NOW)).toEqual({
      ok: false,
      error: "too_long",
    });
    // Another creditor's staff cannot write on this resident, nor name a claim of another's.
    expect(await addCaseNote(seStaff, { ...base, text: "Mine?" }, NOW)).toEqual({
      ok: false,
      error: "not_found",
    });
    expect(
      await addCaseNote(noStaff, { ...base, claimId: sven.id, text: "Wrong claim" }, NOW),
    ).toEqual({ ok: false, error: "not_found" });
    expect(await addCaseNote(noStaff, { ...base, claimId: "nope", text: "x" }, NOW)).toEqual({
      ok: false,
      error: "not_found",
    });
    expect(await count()).toBe(before);
    expect(await caseNotes(seStaff, { residentId: ingrid.residentId })).toEqual([]);
  });
});
