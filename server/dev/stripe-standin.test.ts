import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  WebhookSignatureError,
  createCheckoutSession,
  resetStripeClientForTests,
  retrieveCheckoutSession,
  verifyWebhook,
  type CheckoutInput,
} from "../../app/integrations/stripe/stripe.server.js";
import { startStripeStandin, type StripeStandin } from "./stripe-standin.js";

const OLD_SECRET = "whsec_test_old";
const NEW_SECRET = "whsec_test_new";

type Delivery = { body: string; signature: string | null };

const input = (over: Partial<CheckoutInput> = {}): CheckoutInput => ({
  idempotencyKey: `checkout-${Math.random()}`,
  amount: 123_450,
  currency: "SEK",
  description: "Parkeringsavgift 2025-0042",
  successUrl: "http://127.0.0.1:3999/pay/done?session={CHECKOUT_SESSION_ID}",
  cancelUrl: "http://127.0.0.1:3999/pay/cancelled",
  locale: "sv",
  metadata: { checkoutId: "chk_1", claimId: "claim_9" },
  ...over,
});

const sign = (payload: string, secret: string, timestamp?: number) =>
  Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp ? { timestamp } : {}),
  });

describe("Stripe stand-in with the app's Stripe module", () => {
  let standin: StripeStandin;
  let receiver: Server;
  const deliveries: Delivery[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += String(c)));
      req.on("end", () => {
        const sig = req.headers["stripe-signature"];
        deliveries.push({ body, signature: typeof sig === "string" ? sig : null });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const hookPort = (receiver.address() as AddressInfo).port;
    standin = await startStripeStandin({
      port: 0,
      webhookUrl: `http://127.0.0.1:${hookPort}/webhooks/stripe`,
      webhookSecret: NEW_SECRET,
    });
    // Read by env() on first use, which happens after this point in this file's fresh module graph.
    process.env.STRIPE_SECRET_KEY = "sk_test_standin";
    process.env.STRIPE_API_URL = standin.url;
    process.env.STRIPE_WEBHOOK_SECRETS = `${OLD_SECRET}, ${NEW_SECRET}`;
    resetStripeClientForTests();
  });

  afterAll(async () => {
    await standin.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const lastEvent = () => {
    const d = deliveries.at(-1);
    if (!d) throw new Error("no webhook delivered");
    return verifyWebhook(d.body, d.signature);
  };

  it("refuses API calls without a test secret key, in Stripe's error shape", async () => {
    const res = await fetch(`${standin.url}/v1/checkout/sessions`, { method: "POST" });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { type: string } };
    expect(body.error.type).toBe("invalid_request_error");
  });

  it("makes one session per idempotency key", async () => {
    const first = await createCheckoutSession(input({ idempotencyKey: "same-key" }));
    const again = await createCheckoutSession(input({ idempotencyKey: "same-key" }));
    const other = await createCheckoutSession(input({ idempotencyKey: "other-key" }));
    expect(first.id).toMatch(/^cs_test_/);
    expect(again).toEqual(first);
    expect(other.id).not.toBe(first.id);
    expect(standin.sessions().map((s) => s.id)).toEqual([first.id, other.id]);
    // Reusing a key for a different payment is a bug upstream: Stripe refuses it, so does the stand-in.
    await expect(
      createCheckoutSession(input({ idempotencyKey: "same-key", amount: 1 })),
    ).rejects.toThrow(/idempotent requests/);
    expect(first.url).toMatch(/\/checkout\/cs_test_\w+$/);
    expect(first.expiresAt).toBeGreaterThan(Date.now() / 1000);

    const session = await retrieveCheckoutSession(first.id);
    expect(session).toMatchObject({
      object: "checkout.session",
      status: "open",
      payment_status: "unpaid",
      amount_total: 123_450,
      currency: "sek",
      client_reference_id: "chk_1",
      metadata: { checkoutId: "chk_1", claimId: "claim_9" },
    });
  });

  it("pays through the hosted page and delivers a verifiable checkout.session.completed", async () => {
    const { id, url } = await createCheckoutSession(input());
    const page = await fetch(url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("no money moves");
    expect(html).toContain(">Pay</button>");
    expect(html).toContain("Parkeringsavgift 2025-0042");
    expect(html).toContain("1,234.50");

    const res = await fetch(`${standin.url}/checkout/${id}/pay`, {
      method: "POST",
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`http://127.0.0.1:3999/pay/done?session=${id}`);

    const event = lastEvent();
    expect(event.id).toMatch(/^evt_test_/);
    expect(event.type).toBe("checkout.session.completed");
    expect(event.data.object).toMatchObject({
      id,
      amount_total: 123_450,
      currency: "sek",
      payment_status: "paid",
      metadata: { checkoutId: "chk_1" },
    });
    const now = await retrieveCheckoutSession(id);
    expect(now.status).toBe("complete");
    expect(now.payment_intent).toMatch(/^pi_test_/);

    // A second click on Pay sends the browser back without a second event.
    const count = deliveries.length;
    const twice = await fetch(`${standin.url}/checkout/${id}/pay`, {
      method: "POST",
      redirect: "manual",
    });
    expect(twice.status).toBe(303);
    expect(deliveries.length).toBe(count);
  });

  it("declines and cancels with their events, sending the browser to cancel_url", async () => {
    const declined = await createCheckoutSession(input());
    const res = await fetch(`${standin.url}/checkout/${declined.id}/decline`, {
      method: "POST",
      redirect: "manual",
    });
    expect(res.headers.get("location")).toBe("http://127.0.0.1:3999/pay/cancelled");
    const failed = lastEvent();
    expect(failed.type).toBe("checkout.session.async_payment_failed");
    expect(failed.data.object).toMatchObject({ id: declined.id, payment_status: "unpaid" });

    const cancelled = await createCheckoutSession(input());
    await fetch(`${standin.url}/checkout/${cancelled.id}/cancel`, {
      method: "POST",
      redirect: "manual",
    });
    expect(lastEvent().type).toBe("checkout.session.expired");
    expect((await retrieveCheckoutSession(cancelled.id)).status).toBe("expired");
    const page = await (await fetch(cancelled.url)).text();
    expect(page).not.toContain(">Pay</button>");
    const late = await fetch(`${standin.url}/checkout/${cancelled.id}/pay`, { method: "POST" });
    expect(late.status).toBe(409);
  });

  it("refuses a missing header, a tampered body, a wrong secret and a stale timestamp", async () => {
    await standin.sendEvent("charge.refunded", {
      object: "charge",
      payment_intent: "pi_test_1",
      amount_refunded: 5000,
    });
    const delivery = deliveries.at(-1)!;
    expect(verifyWebhook(delivery.body, delivery.signature).type).toBe("charge.refunded");

    const tampered = delivery.body.replace('"amount_refunded":5000', '"amount_refunded":9000');
    expect(() => verifyWebhook(tampered, delivery.signature)).toThrow(WebhookSignatureError);
    expect(() => verifyWebhook(delivery.body, null)).toThrow(WebhookSignatureError);
    const wrong = sign(delivery.body, "whsec_someone_else");
    expect(() => verifyWebhook(delivery.body, wrong)).toThrow(WebhookSignatureError);

    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const stale = sign(delivery.body, NEW_SECRET, tenMinutesAgo);
    expect(() => verifyWebhook(delivery.body, stale)).toThrow(WebhookSignatureError);
    expect(verifyWebhook(delivery.body, stale, { toleranceSeconds: 900 }).type).toBe(
      "charge.refunded",
    );

    // Stripe's tolerance is symmetric: a delivery signed an hour ahead is no more valid than one
    // signed an hour ago (the SDK alone accepted it), nor is a header carrying a second, future `t`.
    const anHourAhead = Math.floor(Date.now() / 1000) + 3600;
    const future = sign(delivery.body, NEW_SECRET, anHourAhead);
    expect(() => verifyWebhook(delivery.body, future)).toThrow(/tolerance/);
    const doubled = `t=${Math.floor(Date.now() / 1000)},${future}`;
    expect(() => verifyWebhook(delivery.body, doubled)).toThrow(WebhookSignatureError);
    const aMinuteAhead = sign(delivery.body, NEW_SECRET, Math.floor(Date.now() / 1000) + 60);
    expect(verifyWebhook(delivery.body, aMinuteAhead).type).toBe("charge.refunded");
  });

  it("accepts events signed with either secret during a rotation", async () => {
    const res = await standin.sendEvent("charge.dispute.created", {
      object: "dispute",
      payment_intent: "pi_test_2",
    });
    expect(res.status).toBe(200);
    const { body } = deliveries.at(-1)!;
    expect(verifyWebhook(body, sign(body, OLD_SECRET)).type).toBe("charge.dispute.created");
    expect(verifyWebhook(body, sign(body, NEW_SECRET)).type).toBe("charge.dispute.created");
  });
});
