import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { camt054 } from "../../../server/test-support/camt054";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { claimOfOwn, creditWithoutTask, type Payer } from "../../../server/test-support/payments";
import { getResidentClaimPage } from "../portal/claims.server";
import { importBankFile } from "./bank-import.server";
import { bookCreditOfCancelledClaims, CANCELLED_CREDIT_ACTOR } from "./cancelled-credit.server";

// Claims cancelled by an upheld objection before 7 December 2026 kept what was paid on them
// allocated to charges no one owes: no credit and no refund task, so the resident was never paid
// back. The worker books that credit at start.

const run = Date.now().toString(36);
const NOW = new Date("2026-03-10T10:00:00Z");
let paid: Payer;
let unpaid: Payer;
let creditorId: string;

beforeAll(async () => {
  await seedDemo();
  const { caller, creditor } = await createTestCreditor(`cancelled-credit-${run}`, "NO");
  creditorId = creditor.id;
  const one = await claimOfOwn(caller, { principal: 45_000, dueOn: "2026-04-30", tag: `cc1-${run}` }); // prettier-ignore
  unpaid = await claimOfOwn(caller, { principal: 30_000, dueOn: "2026-04-30", tag: `cc2-${run}` });
  paid = one;
  // Part of it paid by bank transfer, then the claim cancelled as the old code did: the status
  // only, the payment left as it was allocated.
  const file = camt054(`CC-${run}`, [{ reference: one.reference, amount: 20_000, bookedOn: "2026-03-05" }]); // prettier-ignore
  expect(await importBankFile(file, "test")).toMatchObject({ ok: true, matched: 1 });
  for (const c of [paid, unpaid])
    await db().claim.update({ where: { id: c.claimId }, data: { status: "CANCELLED", closedOn: new Date("2026-03-06") } }); // prettier-ignore
});
afterAll(() => disconnectDb());

describe("credit of claims cancelled before it was booked", () => {
  it("is booked once, with the refund task staff work from, and shown to the resident", async () => {
    const payment = () => db().payment.findFirstOrThrow({ where: { claimId: paid.claimId } });
    expect((await payment()).creditAmount).toBe(0);

    // This creditor's only: the test files share one database, and others cancel claims too.
    expect(await bookCreditOfCancelledClaims(NOW, { creditorId })).toEqual({
      claims: 1,
      credit: 20_000,
    });

    expect((await payment()).creditAmount).toBe(20_000);
    const tasks = await db().staffTask.findMany({
      where: { kind: "REFUND_CREDIT", claimId: paid.claimId },
    });
    expect(tasks.map((t) => t.data)).toEqual([
      expect.objectContaining({ credit: 20_000, currency: "NOK" }),
    ]);
    const event = await db().event.findFirstOrThrow({
      where: { claimId: paid.claimId, type: "payment.credit_freed" },
    });
    expect(event.actor).toBe(CANCELLED_CREDIT_ACTOR);
    expect(await creditWithoutTask()).toEqual([]);

    // The resident's page: nothing owed, the 200 kr paid to be paid back.
    const page = await getResidentClaimPage(paid.residentId, paid.claimId, NOW);
    expect(page!.claim.statement.balance).toMatchObject({ total: 0, refundDue: 20_000 });
    expect(page!.claim.statement.unabsorbed).toEqual([]);

    // Nothing is booked twice, and a cancelled claim with no payment gets nothing.
    expect(await bookCreditOfCancelledClaims(NOW, { creditorId })).toEqual({
      claims: 0,
      credit: 0,
    });
    expect((await payment()).creditAmount).toBe(20_000);
    expect(await db().staffTask.count({ where: { kind: "REFUND_CREDIT", claimId: paid.claimId } })).toBe(1); // prettier-ignore
    expect(await db().staffTask.count({ where: { claimId: unpaid.claimId } })).toBe(0);
  });
});
