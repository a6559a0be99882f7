import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptStripeWebhook } from "~/services/webhooks.server";

export async function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  // The signature covers the exact bytes sent, so the body is read raw, never parsed first.
  const raw = await request.text();
  const { status } = await acceptStripeWebhook(raw, request.headers.get("Stripe-Signature"));
  return new Response(status === 200 ? "ok" : "invalid signature", {
    status,
    headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" },
  });
}
