import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBankFile } from "~/integrations/bank-files/parse";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
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
