import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import {
  camt054Pieces,
  insertOpenClaims,
  principalOf,
  referenceOf,
  type BigEntry,
} from "../../../server/test-support/bank-claims";
import { importBankFile } from "./bank-import.server";

// Big bank files (decision 0109): read as they arrive and booked a chunk at a time, set-based,
// in one transaction. Each test has its own creditor and claims; nothing is asserted over all rows.

const run = Date.now().toString().slice(-8);
const DAY = "2026-03-05";
const NEXT_DAY = "2026-03-06";

async function claimsOf(slug: string, n: number, prefix: string) {
  const { creditor } = await createTestCreditor(`${slug}-${run}`, "NO");
  // Due long after the payments: no interest, so paying the principal pays the claim in full.
  await db().$transaction(
    async (tx) =>
      insertOpenClaims((sql, params) => tx.$executeRawUnsafe(sql, ...params), {
        creditorId: creditor.id,
        n,
        prefix,
        issuedOn: "2026-01-01",
        dueOn: "2027-12-31",
        country: "NO",
      }),
    { timeout: 120_000 },
  );
  return creditor.id;
}

const pay = (prefix: string, i: number, amount: number, tag: string, bookedOn = DAY): BigEntry => ({
  reference: referenceOf(prefix, i),
  amount,
  bookedOn,
  ref: `${prefix}-${tag}`,
});

/** Payments, credit and claim states of one creditor, straight from SQL. */
async function ledgerOf(creditorId: string) {
  const [row] = await db().$queryRaw<
    { payments: bigint; paid: bigint; credit: bigint; misallocated: bigint; events: bigint }[]
  >`
    SELECT count(*) AS payments, coalesce(sum(p.amount), 0) AS paid,
           coalesce(sum(p."creditAmount"), 0) AS credit,
           count(*) FILTER (WHERE p.amount <> p."creditAmount" +
             (SELECT coalesce(sum(v::int), 0) FROM jsonb_each_text(p.allocations) AS a(k, v))) AS misallocated,
           (SELECT count(*) FROM "Event" e WHERE e."creditorId" = ${creditorId}::uuid
              AND e.type = 'payment.received') AS events
    FROM "Payment" p JOIN "Claim" c ON c.id = p."claimId" WHERE c."creditorId" = ${creditorId}::uuid`;
  const [claims] = await db().$queryRaw<{ paid: bigint; open: bigint; owed: bigint }[]>`
    SELECT count(*) FILTER (WHERE c.status = 'PAID') AS paid,
           count(*) FILTER (WHERE c.status = 'OPEN') AS open,
           coalesce(sum((SELECT sum(amount) FROM "Charge" h WHERE h."claimId" = c.id)
             - (SELECT coalesce(sum((p.allocations->>'principal')::int), 0)
                FROM "Payment" p WHERE p."claimId" = c.id)), 0) AS owed
    FROM "Claim" c WHERE c."creditorId" = ${creditorId}::uuid`;
  const refunds = await db().staffTask.count({ where: { kind: "REFUND_CREDIT", creditorId } });
  return {
    payments: Number(row!.payments),
    paid: Number(row!.paid),
    credit: Number(row!.credit),
    misallocated: Number(row!.misallocated),
    events: Number(row!.events),
    claimsPaid: Number(claims!.paid),
    claimsOpen: Number(claims!.open),
    owed: Number(claims!.owed),
    refunds,
  };
}

beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

describe("a big camt.054 file", () => {
  it("imports 20,000 entries with the right totals, checked against SQL", async () => {
    const n = 20_000;
    const prefix = `81${run}`;
    const creditorId = await claimsOf("bigbank", n, prefix);
    const entries: BigEntry[] = [];
    let expectedPaid = 0;
    let expectedCredit = 0;
    let expectedOwed = 0;
    for (let i = 0; i < n; i++) {
      const principal = principalOf(i);
      // Every 50th claim is paid too much, the one after it half; the rest exactly.
      const amount =
        i % 50 === 1 ? principal + 500 : i % 50 === 2 ? Math.floor(principal / 2) : principal;
      if (i === 5) {
        // Paid in two halves next to each other: the second sees what the first left.
        entries.push(pay(prefix, i, principal - 1000, `${i}a`), pay(prefix, i, 1000, `${i}b`));
      } else entries.push(pay(prefix, i, amount, String(i)));
      expectedPaid += amount;
      expectedCredit += Math.max(0, amount - principal);
      expectedOwed += Math.max(0, principal - amount);
    }
    // Claim 3, paid exactly above, is paid again in a later chunk: that is all credit.
    entries.push(pay(prefix, 3, 700, "3-again"));
    expectedPaid += 700;
    expectedCredit += 700;
    // Twenty payments nobody can place.
    for (let k = 0; k < 20; k++)
      entries.push({
        reference: `77${run}${k}`,
        amount: 4200,
        bookedOn: DAY,
        ref: `${prefix}-u${k}`,
      });

    const started = Date.now();
    const result = await importBankFile(camt054Pieces(`BIG-${run}`, entries), "test");
    const seconds = (Date.now() - started) / 1000;
    console.warn(`20,000-entry camt.054 imported in ${seconds.toFixed(1)} s`);
    const overpaid = n / 50 + 1;
    expect(result).toEqual({
      ok: true,
      duplicate: false,
      format: "camt054",
      fileId: `BIG-${run}`,
      entries: n + 2 + 20,
      total: entries.reduce((s, e) => s + e.amount, 0),
      matched: n + 1 - overpaid + 1,
      overpaid,
      unmatched: 20,
      mismatched: 0,
      alreadyImported: 0,
    });

    expect(await ledgerOf(creditorId)).toEqual({
      payments: n + 2,
      paid: expectedPaid,
      credit: expectedCredit,
      misallocated: 0,
      events: n + 2,
      claimsPaid: n - n / 50,
      claimsOpen: n / 50,
      owed: expectedOwed,
      refunds: overpaid,
    });
    const entryRows = await db().bankEntry.groupBy({
      by: ["status"],
      where: { import: { fileId: `BIG-${run}` } },
      _count: { _all: true },
      _sum: { amount: true },
    });
    expect(Object.fromEntries(entryRows.map((r) => [r.status, r._count._all]))).toEqual({
      MATCHED: n + 2 - overpaid,
      OVERPAID: overpaid,
      UNMATCHED: 20,
    });
    expect(entryRows.reduce((s, r) => s + (r._sum.amount ?? 0), 0)).toBe(result.ok && result.total);
    expect(
      await db().staffTask.count({
        where: {
          kind: "UNMATCHED_BANK_PAYMENT",
          sourceKey: { startsWith: `bank:camt054:ref:` },
          data: { path: ["entryKey"], string_contains: `${prefix}-u` },
        },
      }),
    ).toBe(20);
    // Done with: they would sit at the head of every office's unmatched queue in other tests.
    await db().staffTask.updateMany({
      where: {
        kind: "UNMATCHED_BANK_PAYMENT",
        data: { path: ["entryKey"], string_contains: `${prefix}-u` },
      },
      data: { status: "DONE", doneAt: new Date() },
    });
  }, 600_000);

  it("with a bad line in the middle stores nothing and names the line", async () => {
    const n = 3000;
    const prefix = `82${run}`;
    const creditorId = await claimsOf("badbank", n, prefix);
    const entries = Array.from({ length: n }, (_, i) => pay(prefix, i, principalOf(i), String(i)));
    // Entry 2,500 (in the third chunk, after two were booked) has an amount with a comma.
    const bad = 2500;
    const line = 6 + 4 * bad;
    const pieces = [...camt054Pieces(`BAD-${run}`, entries)].join("").split("\n");
    pieces[line - 1] = pieces[line - 1]!.replace(
      /<Amt Ccy="NOK">(\d+)\.(\d\d)</,
      '<Amt Ccy="NOK">$1,$2<',
    );
    const before = await ledgerOf(creditorId);
    const result = await importBankFile(pieces.join("\n"), "test");
    expect(result).toEqual({
      ok: false,
      line,
      error: expect.stringMatching(
        new RegExp(`^line ${line}: amount ".*,.*" is not a decimal amount`),
      ),
    });
    expect(await ledgerOf(creditorId)).toEqual(before);
    expect(before.payments).toBe(0);
    expect(await db().bankFileImport.count({ where: { fileId: `BAD-${run}` } })).toBe(0);
    expect(await db().bankEntry.count({ where: { entryKey: { contains: `${prefix}-` } } })).toBe(0);

    // The file put right imports whole.
    const fixed = await importBankFile(camt054Pieces(`BAD-${run}`, entries), "test");
    expect(fixed).toMatchObject({ ok: true, duplicate: false, matched: n });
  }, 300_000);

  it("counts entries delivered before in another file as already imported, across chunks", async () => {
    const prefix = `83${run}`;
    const creditorId = await claimsOf("againbank", 2000, prefix);
    const entries = Array.from({ length: 2000 }, (_, i) =>
      pay(prefix, i, principalOf(i), String(i)),
    );
    const first = await importBankFile(
      camt054Pieces(`A-${run}`, entries.slice(0, 1500)),
      "test",
      {},
      { chunkSize: 400 },
    );
    expect(first).toMatchObject({ ok: true, matched: 1500, alreadyImported: 0 });
    const afterFirst = await ledgerOf(creditorId);
    // The end-of-day file again carries the 1,500, and 500 new ones, under another message id.
    const second = await importBankFile(
      camt054Pieces(`B-${run}`, entries),
      "test",
      {},
      { chunkSize: 400 },
    );
    expect(second).toMatchObject({
      ok: true,
      duplicate: false,
      matched: 500,
      alreadyImported: 1500,
    });
    const afterSecond = await ledgerOf(creditorId);
    expect(afterSecond.payments - afterFirst.payments).toBe(500);
    expect(afterSecond.claimsPaid).toBe(2000);
    // The same file twice adds nothing.
    expect(await importBankFile(camt054Pieces(`B-${run}`, entries), "test")).toMatchObject({
      ok: true,
      duplicate: true,
      entries: 2000,
    });
    expect(await ledgerOf(creditorId)).toEqual(afterSecond);
  }, 300_000);
});

describe("claims paid more than once in one file", () => {
  /** The same payments for claims 0..9 under `prefix`: twice a day, over two days, back-dated. */
  const scenario = (prefix: string): BigEntry[] => {
    const p = (i: number) => principalOf(i);
    return [
      pay(prefix, 0, 4000, "0a"),
      pay(prefix, 1, p(1), "1"),
      pay(prefix, 0, 5000, "0b"), // the same claim again that day
      pay(prefix, 0, p(0), "0c"), // and once more: pays it off, the rest is credit
      pay(prefix, 2, 3000, "2a", DAY),
      pay(prefix, 2, 3000, "2b", NEXT_DAY), // the next day
      pay(prefix, 2, p(2), "2c", DAY), // back to the first day: back-dated, frees credit
      pay(prefix, 3, p(3) + 100, "3"),
      pay(prefix, 4, 1, "4a", NEXT_DAY),
      pay(prefix, 4, p(4) - 1, "4b", NEXT_DAY),
      pay(prefix, 5, p(5) * 2, "5"),
      pay(prefix, 1, 50, "1-again"),
    ];
  };

  /** What became of claims 0..9: status, and each payment's day, amount, allocation and credit. */
  async function outcome(creditorId: string) {
    const claims = await db().claim.findMany({
      where: { creditorId },
      orderBy: { paymentReference: "asc" },
      take: 10,
      include: { payments: { orderBy: [{ receivedOn: "asc" }, { amount: "asc" }] } },
    });
    const tasks = await db().staffTask.groupBy({
      by: ["kind"],
      where: { creditorId },
      _count: { _all: true },
    });
    return {
      claims: claims.map((c) => ({
        status: c.status,
        payments: c.payments.map((p) => [
          p.receivedOn.toISOString().slice(0, 10),
          p.amount,
          p.allocations,
          p.creditAmount,
        ]),
      })),
      tasks: Object.fromEntries(tasks.map((t) => [t.kind, t._count._all])),
    };
  }

  it("allocates as booking them one by one would", async () => {
    const one = `84${run}`;
    const set = `85${run}`;
    const oneByOne = await claimsOf("onebyone", 10, one);
    const setBased = await claimsOf("setbased", 10, set);
    const a = await importBankFile(
      camt054Pieces(`ONE-${run}`, scenario(one)),
      "test",
      {},
      { chunkSize: 1 },
    );
    const b = await importBankFile(camt054Pieces(`SET-${run}`, scenario(set)), "test");
    expect(a).toMatchObject({ ok: true, matched: expect.any(Number) });
    expect({ ...b, fileId: "" }).toEqual({ ...a, fileId: "" });
    const expected = await outcome(oneByOne);
    expect(await outcome(setBased)).toEqual(expected);
    // Claim 0: 4,000 and 5,000 then the principal: paid, with 9,000 as credit and its refund task.
    expect(expected.claims[0]!.status).toBe("PAID");
    expect(expected.claims[0]!.payments.reduce((s, p) => s + (p[3] as number), 0)).toBe(9000);
    // Claim 1: paid in full, then 50 more (ordered by amount: the 50 first), all of it credit.
    expect(expected.claims[1]!.payments.map((p) => p[3])).toEqual([50, 0]);
    expect(expected.tasks.REFUND_CREDIT).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
