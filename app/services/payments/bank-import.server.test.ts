import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBankFile } from "~/integrations/bank-files/parse";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { kivraShapedCamt054 } from "../../../server/test-support/camt054";
import { importBankFile } from "./bank-import.server";
import { receiveClaim } from "../claims/intake.server";

const sample = (name: string) =>
  readFileSync(new URL(`../../integrations/bank-files/samples/${name}`, import.meta.url), "latin1");
const files = {
  camt: sample("camt054-v08.xml"),
  ocr: sample("ocr-giro.txt"),
  bgmax: sample("bgmax.txt"),
};
// References in the samples that belong to no claim: those must go to staff.
const UNMATCHED = new Set(["12345678", "12345678901", ""]);
const run = Date.now().toString(36);

/** A claim for every matchable reference in the sample files, owing exactly what the file pays. */
async function claimsFor(text: string, country: "NO" | "SE", slug: string) {
  const { caller } = await createTestCreditor(slug, country);
  const parsed = parseBankFile(text);
  for (const [i, p] of parsed.payments.entries()) {
    if (UNMATCHED.has(p.reference)) continue;
    if (await db().claim.findUnique({ where: { paymentReference: p.reference } })) continue;
    const result = await receiveClaim(
      caller,
      {
        externalId: `BANK-${run}-${slug}-${i}`,
        claimType: "water",
        resident:
          country === "NO"
            ? { nationalId: "14876810183", name: "Per Olsen" }
            : { nationalId: "197509099920", name: "Mikael Ek" },
        description: "Bank import test",
        currency: p.currency,
        principal: p.amount,
        issuedOn: "2024-01-01",
        dueOn: "2027-12-31", // not yet due on the payment date: no interest, so amounts match exactly
      },
      new Date("2024-01-02T12:00:00Z"),
    );
    if (result.kind !== "created") throw new Error(JSON.stringify(result));
    // The sample files carry fixed references; give the claim the one its payment names.
    await db().claim.update({
      where: { id: result.claim.id },
      data: { paymentReference: p.reference },
    });
  }
}

const ledger = async () => ({
  payments: await db().payment.count(),
  entries: await db().bankEntry.count(),
  tasks: await db().staffTask.count(),
});

beforeAll(async () => {
  await seedDemo();
  await claimsFor(files.camt, "NO", `camt-${run}`);
  await claimsFor(files.bgmax, "SE", `bgmax-${run}`);
});
afterAll(() => disconnectDb());

describe("bank file import", () => {
  it("imports a camt.054 file: matched payments close their claims; a second import adds nothing", async () => {
    const before = await ledger();
    const result = await importBankFile(files.camt, "test");
    expect(result).toMatchObject({ ok: true, duplicate: false, format: "camt054" });
    if (!result.ok) return;
    expect(result.matched).toBeGreaterThan(0);
    expect(result.unmatched).toBeGreaterThan(0); // the entry without a reference
    const after = await ledger();
    expect(after.payments - before.payments).toBe(result.matched + result.overpaid);
    const paid = await db().claim.findMany({
      where: { paymentReference: { in: ["20250000120", "20250000139"] } },
    });
    expect(paid.map((c) => c.status)).toEqual(["PAID", "PAID"]);

    const again = await importBankFile(files.camt, "test");
    expect(again).toMatchObject({ ok: true, duplicate: true });
    expect(await ledger()).toEqual(after);
  });

  it("imports a Nets OCR giro file: a second payment on a paid claim becomes credit for staff", async () => {
    const result = await importBankFile(files.ocr, "test");
    expect(result).toMatchObject({ ok: true, duplicate: false, format: "ocr-giro" });
    if (!result.ok) return;
    expect(result.overpaid).toBe(2); // both claims were already paid by the camt.054 file
    expect(result.unmatched).toBeGreaterThan(0);
    const credit = await db().staffTask.findMany({
      where: { kind: "REFUND_CREDIT", claim: { paymentReference: "20250000120" } },
    });
    expect(credit).toHaveLength(1);
    const unmatched = await db().staffTask.findMany({
      where: { kind: "UNMATCHED_BANK_PAYMENT", sourceKey: { startsWith: "bank:ocr-giro:" } },
    });
    expect(unmatched.map((t) => (t.data as { reference: string }).reference)).toContain(
      "12345678901",
    );
  });

  it("imports a BgMax file in SEK and sends the unknown reference to staff", async () => {
    const result = await importBankFile(files.bgmax, "test");
    expect(result).toMatchObject({ ok: true, duplicate: false, format: "bgmax" });
    if (!result.ok) return;
    expect(result.matched).toBe(3);
    expect(result.unmatched).toBe(2);
    const closed = await db().claim.count({
      where: {
        paymentReference: { in: ["1002003000", "1002003018", "1002003026"] },
        status: "PAID",
      },
    });
    expect(closed).toBe(3);
    expect(
      (await importBankFile(files.bgmax, "test")).ok && (await importBankFile(files.bgmax, "test")),
    ).toMatchObject({ duplicate: true });
  });

  it("refuses a damaged file, naming the line, and changes nothing", async () => {
    const before = await ledger();
    const lines = files.ocr.split("\n");
    lines[2] = lines[2]!.replace(/\d{17}/, "0000000000ABC1234");
    const result = await importBankFile(lines.join("\n"), "test");
    expect(result).toMatchObject({ ok: false, line: 3 });
    if (!result.ok) expect(result.error).toMatch(/line 3/);
    expect(await ledger()).toEqual(before);
  });
});

describe("the same bank entries delivered again under another message id", () => {
  // Ten entries as Kivra's public samples carry them: a Bankgiro account without IBAN, amounts
  // only on the entry, the bank's AcctSvcrRef on each. Seven pay claims, three match nothing.
  const entries = Array.from({ length: 10 }, (_, i) => ({
    acctSvcrRef: `${run.toUpperCase()}${String(i).padStart(4, "0")}D2EDC8CDAF0A469AB8`,
    reference: `77${run.replace(/\D/g, "").slice(-6).padStart(6, "0")}${String(i).padStart(2, "0")}`,
    amount: 12_345 + i * 101,
    bookedOn: "2026-03-10",
  }));

  beforeAll(async () => {
    const { caller } = await createTestCreditor(`kivra-${run}`, "SE");
    for (const [i, e] of entries.slice(0, 7).entries()) {
      const result = await receiveClaim(
        caller,
        {
          externalId: `KIVRA-${run}-${i}`,
          claimType: "water",
          resident: { nationalId: "197509099920", name: "Mikael Ek" },
          description: "Bank import test",
          currency: "SEK",
          principal: e.amount,
          issuedOn: "2024-01-01",
          dueOn: "2027-12-31",
        },
        new Date("2024-01-02T12:00:00Z"),
      );
      if (result.kind !== "created") throw new Error(JSON.stringify(result));
      await db().claim.update({
        where: { id: result.claim.id },
        data: { paymentReference: e.reference },
      });
    }
  });

  it("parses both sample shapes: ten payments and the right total", () => {
    for (const version of ["02", "13"] as const) {
      const parsed = parseBankFile(kivraShapedCamt054(`MSG-${version}`, version, entries));
      expect(parsed.payments).toHaveLength(10);
      expect(parsed.control.total).toBe(entries.reduce((s, e) => s + e.amount, 0));
      expect(parsed.payments.map((p) => p.reference)).toEqual(entries.map((e) => e.reference));
    }
  });

  it("books each payment once and raises each task once, whatever the message id", async () => {
    const before = await ledger();
    const first = await importBankFile(kivraShapedCamt054(`A-${run}`, "02", entries), "test");
    expect(first).toMatchObject({ ok: true, duplicate: false, matched: 7, unmatched: 3 });
    const afterFirst = await ledger();
    expect(afterFirst.payments - before.payments).toBe(7);
    expect(afterFirst.tasks - before.tasks).toBe(3);

    // The end-of-day report after the intraday one, and a re-send in the newer version.
    for (const [msgId, version] of [
      [`B-${run}`, "02"],
      [`C-${run}`, "13"],
    ] as const) {
      const again = await importBankFile(kivraShapedCamt054(msgId, version, entries), "test");
      expect(again).toMatchObject({
        ok: true,
        duplicate: false,
        matched: 0,
        unmatched: 0,
        alreadyImported: 10,
      });
      expect(await ledger()).toEqual(afterFirst);
    }

    // Each claim was paid exactly what it owed, once: paid in full, no credit, no refund task.
    const claims = await db().claim.findMany({
      where: { paymentReference: { in: entries.slice(0, 7).map((e) => e.reference) } },
      include: { payments: true },
    });
    expect(claims.map((c) => [c.status, c.payments.length])).toEqual(
      Array.from({ length: 7 }, () => ["PAID", 1]),
    );

    // A later file with the ten again and one new entry books only the new one.
    const eleventh = { ...entries[0]!, acctSvcrRef: `${run.toUpperCase()}NEW`, reference: "" };
    const mixed = await importBankFile(
      kivraShapedCamt054(`D-${run}`, "02", [...entries, eleventh]),
      "test",
    );
    expect(mixed).toMatchObject({ ok: true, alreadyImported: 10, unmatched: 1 });
    expect((await ledger()).tasks - afterFirst.tasks).toBe(1);
  });
});
