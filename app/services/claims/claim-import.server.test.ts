import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { norwegianIds } from "../../../server/test-support/claim-rows";
import { importClaimFile } from "./claim-import.server";
import { claimImportView, IMPORT_SILENT_MS } from "./claim-upload.server";

const NOW = new Date("2026-11-22T10:00:00Z");
const run = `${process.pid}-${Date.now().toString(36)}`;
const ids = norwegianIds(60, 40_000 + (process.pid % 1000) * 60);
const dir = mkdtempSync(path.join(tmpdir(), "claim-import-"));

let t: Awaited<ReturnType<typeof createTestCreditor>>;

beforeAll(async () => {
  await seedDemo();
  t = await createTestCreditor(`import-${run}`);
});
afterAll(() => disconnectDb());

const HEADER =
  "externalId,claimType,nationalId,name,description,currency,principal,issuedOn,dueOn,email";
const row = (n: number, nationalId = ids[n]!, extra: Partial<Record<string, string>> = {}) =>
  [
    extra.externalId ?? `F-${run}-${n}`,
    "water",
    nationalId,
    `"Olsen, Per ${n}"`,
    "Vann og avløp",
    "NOK",
    extra.principal ?? "125000",
    "2026-08-01",
    "2026-09-01",
    "",
  ].join(",");

function file(name: string, lines: string[]) {
  const p = path.join(dir, name);
  writeFileSync(p, `${lines.join("\n")}\n`);
  return p;
}

async function count(prefix: string) {
  return db().claim.count({
    where: { creditorId: t.creditor.id, externalId: { startsWith: prefix } },
  });
}

describe("a claims file", () => {
  it("stores the good lines and names each bad line with its number and reason", async () => {
    const p = file("bad-lines.csv", [
      HEADER,
      row(0), // line 2
      row(1, "14876810184"), // line 3: bad identity number
      row(2), // line 4
      `F-${run}-3,water,${ids[3]},Short`, // line 5: too few fields
      row(4, ids[4], { principal: "12,50" }), // line 6: a comma in an unquoted cell: too many fields
      row(5, ids[5], { principal: "-3" }), // line 7: negative
      row(6), // line 8
    ]);
    const summary = await importClaimFile({
      creditorId: t.creditor.id,
      actor: "cli",
      role: "operator",
      path: p,
      fileName: "bad-lines.csv",
      now: NOW,
    });
    expect(summary.status).toBe("DONE");
    expect(summary.progress).toMatchObject({
      lines: 7,
      created: 3,
      unchanged: 0,
      invalid: 4,
      conflicts: 0,
    });
    expect(summary.problems.map((x) => [x.line, x.result])).toEqual([
      [3, "invalid"],
      [5, "invalid"],
      [6, "invalid"],
      [7, "invalid"],
    ]);
    expect(summary.problems[0]!.reason).toMatch(
      /^nationalId is not a valid Norwegian fødselsnummer/,
    );
    expect(summary.problems[1]!.reason).toBe("has 4 fields; the header has 10");
    expect(summary.problems[3]!.reason).toMatch(/^principal /);
    // The same reasons by code, for the back office to translate (decision 0110).
    expect(summary.problems.map((p) => p.reasons[0])).toEqual([
      { field: "nationalId", code: "invalid_national_id", params: { country: "NO" } },
      { field: "", code: "wrong_field_count", params: { fields: 4, expected: 10 } },
      { field: "", code: "wrong_field_count", params: { fields: 11, expected: 10 } },
      { field: "principal", code: "not_whole_minor_units" },
    ]);
    expect(await count(`F-${run}-`)).toBe(3);
    const row0 = await db().claim.findFirstOrThrow({
      where: { creditorId: t.creditor.id, externalId: `F-${run}-0` },
      include: { resident: true, events: true },
    });
    expect(row0.resident.name).toBe(`Olsen, Per 0`);
    expect(row0.events.map((e) => [e.type, e.actor])).toEqual([["claim.received", "cli"]]);
    const stored = await db().claimImport.findUniqueOrThrow({ where: { id: summary.importId } });
    expect(stored).toMatchObject({ status: "DONE", created: 3, invalid: 4, lines: 7 });
    expect((stored.problems as { line: number }[]).map((x) => x.line)).toEqual([3, 5, 6, 7]);
  });

  it("interrupted after its first chunk and run again, stores each claim once", async () => {
    const lines = [
      HEADER,
      ...Array.from({ length: 25 }, (_, i) =>
        row(30 + i, ids[30 + i], { externalId: `I-${run}-${i}` }),
      ),
    ];
    const p = file("interrupted.csv", lines);
    let chunks = 0;
    await expect(
      importClaimFile({
        creditorId: t.creditor.id,
        actor: "cli",
        role: "operator",
        path: p,
        fileName: "interrupted.csv",
        now: NOW,
        chunkSize: 10,
        onProgress: () => {
          chunks += 1;
          if (chunks === 1) throw new Error("the connection was lost");
        },
      }),
    ).rejects.toThrow("the connection was lost");
    expect(await count(`I-${run}-`)).toBe(10);
    const failed = await db().claimImport.findFirstOrThrow({
      where: { creditorId: t.creditor.id, fileName: "interrupted.csv" },
    });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/Stopped by an error after 10 lines/);
    expect(failed).toMatchObject({ errorCode: "stopped", errorParams: { lines: 10 } });

    const again = await importClaimFile({
      creditorId: t.creditor.id,
      actor: "cli",
      role: "operator",
      path: p,
      fileName: "interrupted.csv",
      now: NOW,
      chunkSize: 10,
    });
    expect(again.progress).toMatchObject({ lines: 25, created: 15, unchanged: 10, invalid: 0 });
    expect(await count(`I-${run}-`)).toBe(25);
    const events = await db().event.count({
      where: {
        type: "claim.received",
        claim: { creditorId: t.creditor.id, externalId: { startsWith: `I-${run}-` } },
      },
    });
    expect(events).toBe(25);
    const charges = await db().charge.count({
      where: { claim: { creditorId: t.creditor.id, externalId: { startsWith: `I-${run}-` } } },
    });
    expect(charges).toBe(25);
  });

  it("reads JSON lines too, and refuses a CSV header it does not know before storing anything", async () => {
    const claim = (n: number) =>
      JSON.stringify({
        externalId: `J-${run}-${n}`,
        claimType: "water",
        resident: { nationalId: ids[20 + n], name: "Jon Berg" },
        description: "Renovasjon",
        currency: "NOK",
        principal: 50_000,
        issuedOn: "2026-08-01",
        dueOn: "2026-09-01",
      });
    const jsonl = file("claims.jsonl", [claim(0), "{not json", "", claim(1)]);
    const s = await importClaimFile({
      creditorId: t.creditor.id,
      actor: "cli",
      role: "operator",
      path: jsonl,
      fileName: "claims.jsonl",
      now: NOW,
    });
    expect(s.progress).toMatchObject({ created: 2, invalid: 1 });
    expect(s.problems).toEqual([
      {
        line: 2,
        externalId: null,
        result: "invalid",
        reason: "is not valid JSON",
        reasons: [{ field: "", code: "not_json" }],
      },
    ]);

    const wrong = file("wrong.csv", [`${HEADER},colour`, row(40)]);
    const w = await importClaimFile({
      creditorId: t.creditor.id,
      actor: "cli",
      role: "operator",
      path: wrong,
      fileName: "wrong.csv",
      now: NOW,
    });
    expect(w.status).toBe("FAILED");
    expect(w.error).toBe("Line 1: the header has unknown columns colour. Nothing was imported.");
    expect(await count(`F-${run}-40`)).toBe(0);
    const view = await claimImportView(w.importId, [t.creditor.id]);
    expect(view).toMatchObject({
      status: "FAILED",
      errorCode: "header",
      errorParams: { missing: [], unknown: ["colour"] },
    });
  });

  it("shows an import its process stopped mid-file (not heard of for minutes) as interrupted", async () => {
    const p = file("stalled.csv", [HEADER, row(41)]);
    const stalled = await db().claimImport.create({
      data: {
        creditorId: t.creditor.id,
        actor: "cli",
        fileName: "stalled.csv",
        format: "CSV",
        bytesTotal: 1000,
        bytesRead: 400,
        lines: 1000,
        heartbeatAt: new Date(Date.now() - IMPORT_SILENT_MS - 60_000),
      },
    });
    const running = await db().claimImport.create({
      data: {
        creditorId: t.creditor.id,
        actor: "cli",
        fileName: "running.csv",
        format: "CSV",
        bytesTotal: 1000,
        heartbeatAt: new Date(Date.now() - 60_000),
      },
    });
    expect(await claimImportView(stalled.id, [t.creditor.id])).toMatchObject({
      status: "INTERRUPTED",
      errorCode: "interrupted",
      errorParams: { lines: 1000 },
    });
    expect(await claimImportView(running.id, [t.creditor.id])).toMatchObject({
      status: "RUNNING",
      errorCode: null,
    });
    // Imported again, the file is read whole, as any re-run is.
    const again = await importClaimFile({
      creditorId: t.creditor.id,
      actor: "cli",
      role: "operator",
      path: p,
      fileName: "stalled.csv",
      now: NOW,
    });
    expect(again).toMatchObject({ status: "DONE", progress: { created: 1 } });
  });
});
