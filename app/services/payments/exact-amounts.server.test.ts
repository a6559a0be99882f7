import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayIn } from "~/domain/calendar-date";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import {
  claimOfOwn,
  creditWithoutTask,
  payAsShown,
  startTestStripe,
} from "../../../server/test-support/payments";
import type { StripeStandin } from "../../../server/dev/stripe-standin";
import { getResidentClaimPage } from "../portal/claims.server";
import { previewPayment } from "./checkout.server";

/*
 * Issue 15, "Exact amounts": paying exactly the amount the claim page shows must settle the
 * claim, through what a resident touches: the preview, the checkout, the provider's callback
 * and its booking, on PostgreSQL with the Stripe stand-in. 2,670.00 at 12 % (the NOK rate of
 * 2026) is 0.88 a day, the 0.88 of the issue.
 */

let standin: StripeStandin;
const run = Date.now().toString(36);
let oslo: Awaited<ReturnType<typeof createTestCreditor>>;
let london: Awaited<ReturnType<typeof createTestCreditor>>;

beforeAll(async () => {
  await seedDemo();
  standin = await startTestStripe();
  oslo = await createTestCreditor(`exact-${run}`, "NO");
  // A creditor whose day is not Stockholm's: the booking day must be the creditor's own.
  london = await createTestCreditor(`exact-tz-${run}`, "NO");
  await db().creditor.update({
    where: { id: london.creditor.id },
    data: { timeZone: "Europe/London" },
  });
  london.caller.timeZone = "Europe/London";
});
afterAll(async () => {
  await standin?.close();
  await disconnectDb();
});

const newClaim = (creditor: typeof oslo, principal: number, dueOn: string, receivedAt?: Date) =>
  claimOfOwn(creditor.caller, {
    principal,
    dueOn,
    tag: `EX-${run}`,
    ...(receivedAt ? { receivedAt } : {}),
  });
const pay = payAsShown;

/** What the resident's claim page shows at `at`. */
async function page(who: { claimId: string; residentId: string }, at: Date) {
  const found = await getResidentClaimPage(who.residentId, who.claimId, at);
  return found!.claim;
}

describe("paying exactly the amount shown", () => {
  it("settles the claim when the checkout is confirmed after midnight (the 0.88 of the issue)", async () => {
    const who = await newClaim(oslo, 267_000, "2026-01-15");
    // 23:58 in Oslo: the page and the checkout ask for the balance of 10 March.
    const shown = await pay(
      who,
      new Date("2026-03-10T22:58:00Z"),
      new Date("2026-03-10T23:03:00Z"), // 00:03 on 11 March in Oslo
    );
    expect(shown.owed).toBe(shown.amount);

    const claim = await page(who, new Date("2026-03-11T08:00:00Z"));
    expect(claim.statement.balance).toMatchObject({ total: 0, credit: 0, refundDue: 0 });
    expect(claim.status).toBe("PAID");
    const row = await db().claim.findUniqueOrThrow({ where: { id: who.claimId } });
    expect(row.nextActionOn).toBeNull(); // nothing left for the engine to chase
    // The waived interest is on the record, as an event, and on the payment.
    const waived = await db().event.findMany({
      where: { claimId: who.claimId, type: "interest.waived" },
    });
    expect(waived.map((e) => (e.data as { amount: number }).amount)).toEqual([88]);
    const [payment] = await db().payment.findMany({ where: { claimId: who.claimId } });
    expect(payment).toMatchObject({ amount: shown.amount, creditAmount: 0, interestWaived: 88 });
    expect(payment!.receivedOn.toISOString().slice(0, 10)).toBe("2026-03-11");
  });

  it("books on the claim's creditor's day, the clock its checkout priced it by", async () => {
    const who = await newClaim(london, 267_000, "2026-01-15");
    // 23:20 in London (00:20 in Stockholm): the creditor's day is still 10 March.
    await pay(who, new Date("2026-03-10T23:20:00Z"), new Date("2026-03-10T23:25:00Z"));
    for (const at of ["2026-03-10T23:40:00Z", "2026-03-11T09:00:00Z"]) {
      const claim = await page(who, new Date(at));
      expect(claim.statement.balance, at).toMatchObject({ total: 0, credit: 0, refundDue: 0 });
      expect(claim.status).toBe("PAID");
    }
    const [payment] = await db().payment.findMany({ where: { claimId: who.claimId } });
    expect(payment!.receivedOn.toISOString().slice(0, 10)).toBe("2026-03-10");
    expect(await db().staffTask.count({ where: { claimId: who.claimId } })).toBe(0);
  });

  it("leaves a difference above the tolerance owing, shown, and the claim open", async () => {
    // 150,000.00 at 12 % runs on by 49.32 a day: more than the 10.00 the rule waives.
    const who = await newClaim(oslo, 15_000_000, "2026-01-15");
    const shown = await pay(
      who,
      new Date("2026-03-10T22:58:00Z"),
      new Date("2026-03-10T23:03:00Z"),
    );
    const claim = await page(who, new Date("2026-03-11T08:00:00Z"));
    expect(claim.status).toBe("OPEN");
    expect(claim.statement.balance).toMatchObject({ total: 4_932, credit: 0, refundDue: 0 });
    expect(shown.amount).toBeGreaterThan(0);
    expect(
      await db().event.count({ where: { claimId: who.claimId, type: "interest.waived" } }),
    ).toBe(0);
    // The payment's pause is over: the resident is asked for the rest like any amount owed.
    expect(
      await db().hold.count({
        where: { claimId: who.claimId, kind: "PAYMENT_PENDING", releasedOn: null },
      }),
    ).toBe(0);
  });

  it("property: the amount the page shows on a day, paid that day or confirmed within the night, leaves exactly zero", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          principal: fc.integer({ min: 10_000, max: 2_900_000 }),
          dueDaysBefore: fc.integer({ min: -10, max: 500 }),
          // Minutes after 06:00 UTC that the resident pays; the provider confirms 0–180 minutes later.
          minute: fc.integer({ min: 0, max: 17 * 60 + 59 }),
          delay: fc.integer({ min: 0, max: 180 }),
          part: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
        }),
        async ({ principal, dueDaysBefore, minute, delay, part }) => {
          const payDay = "2026-05-20";
          const who = await newClaim(
            oslo,
            principal,
            addDays(payDay, -dueDaysBefore),
            new Date(`${addDays(payDay, -dueDaysBefore - 29)}T12:00:00Z`),
          );
          const at = new Date(Date.parse(`${payDay}T06:00:00Z`) + minute * 60_000);
          if (part) {
            // A part payment some days before, booked the same day.
            const earlier = new Date(at.getTime() - part * 86_400_000);
            const owed = (await previewPayment({ ...who, claims: [who], now: earlier })) as {
              ok: true;
              items: { owed: number }[];
            };
            const some = Math.max(10_000, Math.floor(owed.items[0]!.owed / 3));
            if (some < owed.items[0]!.owed) await pay(who, earlier, earlier, some);
          }
          await pay(who, at, new Date(at.getTime() + delay * 60_000));
          const later = new Date(at.getTime() + (delay + 30) * 60_000);
          const claim = await page(who, later);
          expect(claim.statement.balance).toMatchObject({ total: 0, credit: 0, refundDue: 0 });
          expect(claim.status).toBe("PAID");
          expect(todayIn("Europe/Oslo", later) >= payDay).toBe(true);
        },
      ),
      { numRuns: 8 },
    );
    expect(await creditWithoutTask()).toEqual([]);
  }, 240_000);
});
