import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { camt054 } from "../../../server/test-support/camt054";
import { STRIPE_TEST_SECRET } from "../../../server/test-support/setup-env";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import type { StripeStandin } from "../../../server/dev/stripe-standin";
import { startTestStripe } from "../../../server/test-support/payments";
import { importBankFile } from "./bank-import.server";
import { startCheckout } from "./checkout.server";
import { receiveClaim } from "../claims/intake.server";
import { acceptStripeWebhook, processPendingWebhooks } from "./webhooks.server";

const SECRET = STRIPE_TEST_SECRET;
let standin: StripeStandin;
let claimId: string;
let residentId: string;
let reference: string;
const run = Date.now().toString(36);

beforeAll(async () => {
  await seedDemo();

  // The suite's environment points the Stripe SDK at this port (server/test-support/setup-env.ts).
  standin = await startTestStripe();
  const { caller } = await createTestCreditor(`checkout-${run}`, "NO");
  const result = await receiveClaim(
    caller,
    {
      externalId: "CO-1",
      claimType: "water",
      resident: { nationalId: "21857810004", name: "Ahmed Ali" },
      description: "Vann",
      currency: "NOK",
      principal: 50_000,
      issuedOn: "2026-01-01",
      dueOn: "2027-12-31", // not due: no interest, the amount owed stays 500.00
    },
    new Date("2026-02-01T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  claimId = result.claim.id;
  reference = result.claim.paymentReference;
  residentId = (await db().claim.findUniqueOrThrow({ where: { id: claimId } })).residentId;
});
afterAll(async () => {
  await standin?.close();
  await disconnectDb();
});

describe("paying online", () => {
  it("makes one checkout and one provider session when the same form is sent twice at once", async () => {
    const requestId = randomUUID();
    const start = () =>
      startCheckout({
        residentId,
        claims: [{ claimId }],
        requestId,
        locale: "nb",
        publicUrl: "http://localhost:3000",
        now: new Date(),
      });
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.checkoutId).toBe(b.checkoutId);
    expect(a.url).toBe(b.url);
    expect(await db().checkout.count({ where: { items: { some: { claimId } } } })).toBe(1);
    expect(standin.sessions().filter((s) => s.metadata?.checkoutId === a.checkoutId)).toHaveLength(
      1,
    );
    // Escalation is paused while the payment is under way.
    expect(
      await db().hold.count({ where: { claimId, kind: "PAYMENT_PENDING", releasedOn: null } }),
    ).toBe(1);
  });

  it("never allocates the same krone twice when a card payment and a bank payment land at once", async () => {
    const checkout = await db().checkout.findFirstOrThrow({
      where: { items: { some: { claimId } } },
    });
    const event = {
      id: `evt_race_${run}`,
      object: "event",
      type: "checkout.session.completed",
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: checkout.providerSessionId,
          object: "checkout.session",
          payment_status: "paid",
          status: "complete",
          amount_total: 50_000,
          currency: "nok",
          metadata: { checkoutId: checkout.id },
          payment_intent: `pi_race_${run}`,
        },
      },
    };
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    expect((await acceptStripeWebhook(payload, header)).status).toBe(200);
    const file = camt054(`RACE-${run}`, [{ reference, amount: 50_000, bookedOn: "2026-03-05" }]);

    await Promise.all([processPendingWebhooks(), importBankFile(file, "test")]);

    const payments = await db().payment.findMany({ where: { claimId } });
    expect(payments).toHaveLength(2);
    const allocated = payments
      .flatMap((p) => Object.values(p.allocations as Record<string, number>))
      .reduce((s, v) => s + v, 0);
    expect(allocated).toBe(50_000); // what was owed, once
    expect(payments.reduce((s, p) => s + p.creditAmount, 0)).toBe(50_000); // the other payment is credit
    expect(await db().staffTask.count({ where: { kind: "REFUND_CREDIT", claimId } })).toBe(1);
    const claim = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
    expect(claim.status).toBe("PAID");
    expect(claim.nextActionOn).toBeNull();
  });
});
