// The portal's only door to Stripe. Everything else talks to this module, never to the SDK, so
// the secret key, the API endpoint and the webhook secrets are read in exactly one place.
// In development and tests STRIPE_API_URL points the real SDK at server/dev/stripe-standin.ts,
// which speaks Stripe's wire protocol: the code path here is the one production runs.
import Stripe from "stripe";
import type { Lang } from "~/i18n/config";
import { env } from "~/infra/env.server";

export type VerifiedEvent = Stripe.Event;

export class WebhookSignatureError extends Error {
  override readonly name = "WebhookSignatureError";
}

let cached: { key: string; client: Stripe } | undefined;

/** The SDK client; rebuilt only when the key or endpoint it was made from changes. */
export function stripeClient(): Stripe {
  const { STRIPE_SECRET_KEY: secretKey, STRIPE_API_URL: apiUrl } = env();
  if (!secretKey) throw new Error("STRIPE_SECRET_KEY is not set: card payment is unavailable");
  const cacheKey = `${secretKey}\n${apiUrl ?? ""}`;
  if (cached?.key === cacheKey) return cached.client;
  const config: Stripe.StripeConfig = {
    // apiVersion is left to the SDK: its types describe exactly the version it pins.
    maxNetworkRetries: 2,
    // A resident is waiting on the other side of this call; fail rather than hang for 80 s.
    timeout: 20_000,
    appInfo: { name: "Kravportal" },
  };
  if (apiUrl) {
    const url = new URL(apiUrl);
    const https = url.protocol === "https:";
    config.host = url.hostname;
    config.port = url.port ? Number(url.port) : https ? 443 : 80;
    config.protocol = https ? "https" : "http";
  }
  cached = { key: cacheKey, client: new Stripe(secretKey, config) };
  return cached.client;
}

/** Tests start a stand-in on a new port per run; this drops the client built for the last one. */
export function resetStripeClientForTests(): void {
  cached = undefined;
}

export type CheckoutInput = {
  /** Same key, same session: a double click or a retried request cannot open two payments. */
  idempotencyKey: string;
  /** Minor units (öre/øre). */
  amount: number;
  currency: "SEK" | "NOK";
  description: string;
  successUrl: string;
  cancelUrl: string;
  locale: Lang;
  metadata: Record<string, string>;
  customerEmail?: string;
};

export async function createCheckoutSession(
  input: CheckoutInput,
): Promise<{ id: string; url: string; expiresAt: number }> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
    throw new Error(`amount must be a positive whole number of minor units, got ${input.amount}`);
  }
  const paymentMethods = env()
    .STRIPE_PAYMENT_METHODS as Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[];
  const session = await stripeClient().checkout.sessions.create(
    {
      mode: "payment",
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: input.currency.toLowerCase(),
            unit_amount: input.amount,
            product_data: { name: input.description },
          },
        },
      ],
      // The SDK's pinned API version replaced `payment_method_types` with this filter.
      allowed_payment_method_types: paymentMethods,
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      // Stripe's checkout page has bokmål but no nynorsk: a nynorsk reader gets bokmål there.
      locale: input.locale === "nn" ? "nb" : input.locale,
      metadata: input.metadata,
      // Copied onto the payment intent too, so refund and dispute events (which carry the
      // charge, not the session) can still be traced back to our checkout.
      payment_intent_data: { metadata: input.metadata },
      ...(input.metadata.checkoutId ? { client_reference_id: input.metadata.checkoutId } : {}),
      ...(input.customerEmail ? { customer_email: input.customerEmail } : {}),
    },
    { idempotencyKey: input.idempotencyKey },
  );
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
  return { id: session.id, url: session.url, expiresAt: session.expires_at };
}

/** For reconciliation: what Stripe says now, whatever webhooks did or did not arrive. */
export async function retrieveCheckoutSession(id: string): Promise<Stripe.Checkout.Session> {
  return stripeClient().checkout.sessions.retrieve(id);
}

/**
 * Verifies a webhook against the raw request body (not a re-serialised object) with every
 * configured secret, so an endpoint secret can be rotated without refusing events meanwhile.
 * The tolerance refuses a replay of an old, validly signed delivery, and, as Stripe's own
 * libraries do, a delivery dated further in the future than that: the SDK's check only looks
 * back, so a signature made with a clock (or a leaked secret) an hour ahead would stay valid for
 * an hour and five minutes.
 */
export function verifyWebhook(
  rawBody: string,
  signatureHeader: string | null,
  opts: { toleranceSeconds?: number; now?: Date } = {},
): VerifiedEvent {
  if (!signatureHeader) throw new WebhookSignatureError("missing Stripe-Signature header");
  const secrets = env().STRIPE_WEBHOOK_SECRETS;
  if (secrets.length === 0) throw new WebhookSignatureError("STRIPE_WEBHOOK_SECRETS is not set");
  const tolerance = opts.toleranceSeconds ?? 300;
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  // Every `t=` element: the SDK reads the last one, so a header with two must not pass on the first.
  const signedAt = signatureHeader
    .split(",")
    .map((part) => part.trim().split("="))
    .filter(([key]) => key === "t")
    .map(([, value]) => Number(value));
  if (signedAt.some((t) => !Number.isFinite(t) || Math.abs(now - t) > tolerance)) {
    throw new WebhookSignatureError(
      "Stripe webhook not verified: timestamp outside the tolerance zone",
    );
  }
  let lastError: unknown;
  for (const secret of secrets) {
    try {
      // Static webhooks: verifying needs no API key and makes no network call.
      return Stripe.webhooks.constructEvent(
        rawBody,
        signatureHeader,
        secret,
        tolerance,
        undefined,
        now,
      );
    } catch (error) {
      lastError = error;
    }
  }
  const reason = lastError instanceof Error ? lastError.message : "no secret matched";
  throw new WebhookSignatureError(`Stripe webhook not verified: ${reason}`, { cause: lastError });
}
