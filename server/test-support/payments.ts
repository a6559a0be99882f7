// Paying as a resident does, in tests: a claim of one's own, the pay page's preview, the checkout,
// and the provider's signed callback (created at a chosen moment), booked by the worker's code.
import { randomInt, randomUUID } from "node:crypto";
import Stripe from "stripe";
import { addDays } from "../../app/domain/calendar-date.ts";
import { makeNorwegianFodselsnummer } from "../../app/domain/national-id.ts";
import { db } from "../../app/infra/db.server.ts";
import type { ApiCaller } from "../../app/services/identity/api-keys.server.ts";
import { receiveClaim } from "../../app/services/claims/intake.server.ts";
import { previewPayment, startCheckout } from "../../app/services/payments/checkout.server.ts";
import {
  acceptStripeWebhook,
  processPendingWebhooks,
} from "../../app/services/payments/webhooks.server.ts";
import { startStripeStandin, type StripeStandin } from "../dev/stripe-standin.ts";
import { STRIPE_TEST_PORT, STRIPE_TEST_SECRET } from "./setup-env.ts";

export type Payer = { claimId: string; residentId: string };

/**
 * The Stripe stand-in on the tests' port, as the app's Stripe client is configured in tests
 * (setup-env.ts). Its own webhooks go nowhere: a test delivers the events it wants, signed, with
 * deliverStripeEvent. Close it in afterAll.
 */
export function startTestStripe(): Promise<StripeStandin> {
  return startStripeStandin({
    port: STRIPE_TEST_PORT,
    webhookUrl: "http://127.0.0.1:9/unused",
    webhookSecret: STRIPE_TEST_SECRET,
  });
}

let made = 0;
// Each test file's process its own day of birth in the 1900s, drawn at random: the test files
// share one database, and residents are one per identity number. Numbers derived from the
// process id (one day for all, 500 individual numbers) made two files' "own" residents the same
// person now and then, and one file then saw the other's claims.
const BIRTH = addDays("1900-01-01", randomInt(36_000));

/** A Norwegian claim of a resident of its own (synthetic identity numbers). */
export async function claimOfOwn(
  caller: ApiCaller,
  input: { principal: number; dueOn: string; receivedAt?: Date; tag: string },
): Promise<Payer & { reference: string; nationalId: string }> {
  made += 1;
  // Individual numbers 000–499 are those of births in the 1900s; not every one has a valid check.
  let nationalId: string | null = null;
  for (let k = made * 7; !nationalId; k++)
    nationalId = makeNorwegianFodselsnummer(BIRTH, k % 500, { synthetic: true });
  const result = await receiveClaim(
    caller,
    {
      externalId: `${input.tag}-${made}`,
      claimType: "water",
      resident: { nationalId, name: "Eli Eksakt" },
      description: "Vann og avløp",
      currency: "NOK",
      principal: input.principal,
      issuedOn: addDays(input.dueOn, -30),
      dueOn: input.dueOn,
    },
    input.receivedAt ?? new Date("2026-01-02T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  const claim = await db().claim.findUniqueOrThrow({ where: { id: result.claim.id } });
  return {
    claimId: claim.id,
    residentId: claim.residentId,
    reference: claim.paymentReference,
    nationalId,
  };
}

/** Delivers a signed Stripe event, as Stripe would, and lets the worker's code process it. */
export async function deliverStripeEvent(type: string, object: object, createdAt: Date) {
  const event = {
    id: `evt_t_${randomUUID()}`,
    object: "event",
    type,
    created: Math.floor(createdAt.getTime() / 1000),
    data: { object },
  };
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_TEST_SECRET });
  const accepted = await acceptStripeWebhook(payload, header);
  if (accepted.status !== 200) throw new Error(`webhook refused: ${accepted.status}`);
  await processPendingWebhooks();
}

/** The provider's callback for a paid checkout, created at `at`; returns the payment intent. */
export async function providerConfirms(checkoutId: string, at: Date): Promise<string> {
  const checkout = await db().checkout.findUniqueOrThrow({ where: { id: checkoutId } });
  const intent = `pi_t_${randomUUID().replaceAll("-", "")}`;
  await deliverStripeEvent(
    "checkout.session.completed",
    {
      id: checkout.providerSessionId,
      object: "checkout.session",
      payment_status: "paid",
      status: "complete",
      amount_total: checkout.amount,
      currency: checkout.currency.toLowerCase(),
      metadata: { checkoutId },
      payment_intent: intent,
    },
    at,
  );
  return intent;
}

/**
 * The resident pays what the pay page shows at `at` (or `amount`, a part), through the checkout;
 * the provider confirms at `confirmedAt`. Needs the Stripe stand-in running.
 */
export async function payAsShown(
  who: Payer,
  at: Date,
  confirmedAt: Date,
  amount?: number,
): Promise<{ owed: number; amount: number; intent: string }> {
  const preview = await previewPayment({
    residentId: who.residentId,
    claims: [{ claimId: who.claimId, ...(amount ? { amount } : {}) }],
    now: at,
  });
  if (!preview.ok) throw new Error(JSON.stringify(preview));
  const shown = preview.items[0]!;
  const checkout = await startCheckout({
    residentId: who.residentId,
    claims: [{ claimId: who.claimId, amount: shown.amount }],
    requestId: randomUUID(),
    locale: "nb",
    publicUrl: "http://localhost:3000",
    now: at,
  });
  if (!checkout.ok) throw new Error(JSON.stringify(checkout));
  const intent = await providerConfirms(checkout.checkoutId, confirmedAt);
  return { owed: shown.owed, amount: shown.amount, intent };
}

/**
 * Every payment whose booked credit is not covered by REFUND_CREDIT tasks naming it (each task
 * carries the credit it was raised for): must be none.
 */
export async function creditWithoutTask() {
  return db().$queryRaw<{ id: string; credit: number; tasked: number }[]>`
    SELECT p.id::text, p."creditAmount" AS credit,
           COALESCE(SUM((t.data->>'credit')::int), 0)::int AS tasked
    FROM "Payment" p
    LEFT JOIN "StaffTask" t ON t.kind = 'REFUND_CREDIT' AND t.data->>'paymentId' = p.id::text
    WHERE p."creditAmount" > 0
    GROUP BY p.id
    HAVING COALESCE(SUM((t.data->>'credit')::int), 0) < p."creditAmount"`;
}
