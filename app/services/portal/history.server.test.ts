import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { camt054 } from "../../../server/test-support/camt054";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import {
  claimOfOwn,
  payAsShown,
  providerConfirms,
  startTestStripe,
} from "../../../server/test-support/payments";
import type { StripeStandin } from "../../../server/dev/stripe-standin";
import { receiveClaim } from "../claims/intake.server";
import { importBankFile } from "../payments/bank-import.server";
import { startCheckout } from "../payments/checkout.server";
import {
  getResidentReceipt,
  listPaidAndClosed,
  paymentHistoryOf,
  receiptOfCheckout,
} from "./history.server";
import { loadClaim } from "../claims/load-claims.server";
import { residentClaimsPage } from "./claims.server";

/*
 * Issue 15, "the resident's own history": *Paid and closed* lists the resident's claims closed in
 * the last two years, and every payment has a receipt only its resident can read.
 */

let standin: StripeStandin;
const run = Date.now().toString(36);
let creditor: Awaited<ReturnType<typeof createTestCreditor>>;

beforeAll(async () => {
  await seedDemo();
  standin = await startTestStripe();
  creditor = await createTestCreditor(`hist-${run}`, "NO");
});
afterAll(async () => {
  await standin?.close();
  await disconnectDb();
});

const newClaim = (principal: number) =>
  claimOfOwn(creditor.caller, { principal, dueOn: "2026-01-20", tag: `HIST-${run}` });

let extra = 0;
/** Another claim of the same resident (the one `claimOfOwn` made for `nationalId`). */
async function anotherClaimOf(nationalId: string, principal: number) {
  extra += 1;
  const made = await receiveClaim(
    creditor.caller,
    {
      externalId: `HIST-${run}-x${extra}`,
      claimType: "water",
      resident: { nationalId, name: "Eli Eksakt" },
      description: `Renovasjon ${extra}`,
      currency: "NOK",
      principal,
      issuedOn: "2025-12-21",
      dueOn: "2026-01-20",
    },
    new Date("2026-01-02T12:00:00Z"),
  );
  if (made.kind !== "created") throw new Error(JSON.stringify(made));
  return made.claim.id;
}

describe("Paid and closed", () => {
  it("lists the resident's claims closed in the last two years, most recent first, no one else's", async () => {
    const first = await newClaim(100_000);
    await payAsShown(first, new Date("2026-03-02T10:00:00Z"), new Date("2026-03-02T10:05:00Z"));
    const other = await newClaim(50_000);
    await payAsShown(other, new Date("2026-03-03T10:00:00Z"), new Date("2026-03-03T10:05:00Z"));
    const row = await db().claim.findUniqueOrThrow({ where: { id: first.claimId } });
    const resident = await db().resident.findUniqueOrThrow({ where: { id: first.residentId } });
    expect(resident.id).not.toBe(other.residentId);
    // A later bill of the same resident, paid a week after the first; and one still open.
    const nationalId = first.nationalId;
    const later = await anotherClaimOf(nationalId, 20_000);
    await payAsShown(
      { claimId: later, residentId: first.residentId },
      new Date("2026-03-09T10:00:00Z"),
      new Date("2026-03-09T10:05:00Z"),
    );
    const open = await anotherClaimOf(nationalId, 30_000);

    const list = await listPaidAndClosed(first.residentId, new Date("2026-04-01T10:00:00Z"));
    expect(list.map((c) => c.id)).toEqual([later, first.claimId]);
    expect(list.map((c) => c.closedOn)).toEqual(["2026-03-09", "2026-03-02"]);
    expect(list[1]).toMatchObject({
      status: "PAID",
      currency: "NOK",
      creditorName: `Test hist-${run}`,
      typeName: "Vann",
      description: row.description,
    });
    // What was paid: the whole bill with its interest, in øre.
    const paid = await db().payment.aggregate({
      where: { claimId: first.claimId },
      _sum: { amount: true },
    });
    expect(list[1]!.paid).toBe(paid._sum.amount);
    expect(list[1]!.paid).toBeGreaterThan(100_000);
    expect(list.map((c) => c.id)).not.toContain(open);
    expect(list.map((c) => c.id)).not.toContain(other.claimId);

    // Two years on the creditor's calendar: the first bill is there on the last day, not after.
    const atTheEdge = await listPaidAndClosed(first.residentId, new Date("2028-03-02T12:00:00Z"));
    expect(atTheEdge.map((c) => c.id)).toEqual([later, first.claimId]);
    const after = await listPaidAndClosed(first.residentId, new Date("2028-03-03T12:00:00Z"));
    expect(after.map((c) => c.id)).toEqual([later]);
    expect(await listPaidAndClosed(first.residentId, new Date("2028-03-10T12:00:00Z"))).toEqual([]);

    // My claims reads the same list in its open claims' statement (decision 0116), and in a
    // statement of its own for a resident with nothing open.
    const page = await residentClaimsPage(first.residentId, new Date());
    expect(page.groups.flatMap((g) => g.items.map((c) => c.id))).toEqual([open]);
    expect(page.paidAndClosed.map((c) => c.id)).toEqual([later, first.claimId]);
    expect(page.paidAndClosed).toEqual(await listPaidAndClosed(first.residentId, new Date()));
    const nothingOpen = await residentClaimsPage(other.residentId, new Date());
    expect(nothingOpen.groups).toEqual([]);
    expect(nothingOpen.paidAndClosed.map((c) => c.id)).toEqual([other.claimId]);
    expect(nothingOpen.paidAndClosed).toEqual(
      await listPaidAndClosed(other.residentId, new Date()),
    );
  });
});

describe("receipts", () => {
  it("gives a card checkout over two claims one receipt, line by line, only to its resident", async () => {
    const first = await newClaim(100_000);
    const nationalId = first.nationalId;
    const second = await anotherClaimOf(nationalId, 40_000);
    const at = new Date("2026-03-02T10:00:00Z");
    const checkout = await startCheckout({
      residentId: first.residentId,
      claims: [{ claimId: first.claimId }, { claimId: second }],
      requestId: randomUUID(),
      locale: "nb",
      publicUrl: "http://localhost:3000",
      now: at,
    });
    if (!checkout.ok) throw new Error(JSON.stringify(checkout));
    const intent = await providerConfirms(checkout.checkoutId, new Date("2026-03-02T10:05:00Z"));
    const payments = await db().payment.findMany({
      where: { checkoutId: checkout.checkoutId },
      orderBy: { createdAt: "asc" },
    });
    expect(payments).toHaveLength(2);
    const onFirst = payments.find((p) => p.claimId === first.claimId)!;

    const receiptId = await receiptOfCheckout(first.residentId, checkout.checkoutId);
    expect(payments.map((p) => p.id)).toContain(receiptId);
    // Each payment of the checkout opens the same receipt.
    const receipt = (await getResidentReceipt(first.residentId, receiptId!))!;
    const again = (await getResidentReceipt(first.residentId, onFirst.id))!;
    expect(again.claims).toEqual(receipt.claims);

    expect(receipt).toMatchObject({
      paidOn: "2026-03-02",
      currency: "NOK",
      method: "card",
      reference: { kind: "card", value: intent },
      total: payments.reduce((s, p) => s + p.amount, 0),
    });
    const paidFirst = receipt.claims.find((c) => c.claimId === first.claimId)!;
    // Interest first, then the original amount (the policy's order; no fees yet).
    const alloc = onFirst.allocations as Record<string, number>;
    expect(paidFirst.lines).toEqual([
      { category: "interest", amount: alloc.interest },
      { category: "principal", amount: 100_000 },
    ]);
    expect(alloc.interest).toBeGreaterThan(0);
    expect(paidFirst).toMatchObject({ amount: onFirst.amount, left: 0, credit: 0 });
    const paidSecond = receipt.claims.find((c) => c.claimId === second)!;
    expect(paidSecond.amount).toBeGreaterThan(40_000);
    expect(paidSecond.left).toBe(0);
    expect(receipt.claims.map((c) => c.claimId).sort()).toEqual([first.claimId, second].sort());
    const secondClaim = (await loadClaim(undefined, { ids: [second] }))!;
    expect(paidHistory(secondClaim)).toEqual([
      { id: paidSecond.paymentId, amount: paidSecond.amount },
    ]);

    // Another resident, a made-up id, garbage: nothing, all alike.
    const stranger = await newClaim(10_000);
    expect(await getResidentReceipt(stranger.residentId, receiptId!)).toBeNull();
    expect(await receiptOfCheckout(stranger.residentId, checkout.checkoutId)).toBeNull();
    expect(await getResidentReceipt(first.residentId, randomUUID())).toBeNull();
    expect(await getResidentReceipt(first.residentId, "not-a-uuid")).toBeNull();
    expect(await receiptOfCheckout(first.residentId, "x")).toBeNull();
  });

  it("names a bank transfer's KID and what is left after it", async () => {
    const who = await newClaim(80_000);
    const file = camt054(`HIST-${run}-camt`, [
      { reference: who.reference, amount: 30_000, bookedOn: "2026-03-04" },
    ]);
    const imported = await importBankFile(file, "test");
    expect(imported).toMatchObject({ ok: true, matched: 1 });
    const [payment] = await db().payment.findMany({ where: { claimId: who.claimId } });
    const receipt = (await getResidentReceipt(who.residentId, payment!.id))!;
    expect(receipt).toMatchObject({
      paidOn: "2026-03-04",
      method: "bank_transfer",
      reference: { kind: "KID", value: who.reference },
      total: 30_000,
    });
    const [line] = receipt.claims;
    const alloc = payment!.allocations as Record<string, number>;
    expect(line!.lines.reduce((s, l) => s + l.amount, 0)).toBe(30_000);
    expect(line!.lines.at(-1)).toEqual({ category: "principal", amount: alloc.principal });
    // 800.00 with its interest to 4 March, less the 300.00.
    expect(line!.left).toBe(80_000 + alloc.interest! - 30_000);

    // Paying the rest later does not change what this receipt says was left that day.
    await payAsShown(who, new Date("2026-03-09T10:00:00Z"), new Date("2026-03-09T10:05:00Z"));
    const later = (await getResidentReceipt(who.residentId, payment!.id))!;
    expect(later.claims[0]!.left).toBe(line!.left);
    expect(later.total).toBe(30_000);
  });
});

const paidHistory = (claim: Parameters<typeof paymentHistoryOf>[0]) =>
  paymentHistoryOf(claim).map((p) => ({ id: p.id, amount: p.amount }));
