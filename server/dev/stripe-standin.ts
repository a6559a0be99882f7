// Local stand-in for Stripe Checkout: the real SDK talks to it (STRIPE_API_URL) in Stripe's wire
// format, a test payment page replaces the hosted checkout, and webhooks are signed the way Stripe
// signs them. Development and tests only: nothing under app/ may import this file.
//
// Buttons on /checkout/:id (all plain forms, no JavaScript):
//   Pay          → session complete + paid, `checkout.session.completed`, 303 to success_url.
//   Decline card → session complete + unpaid, `checkout.session.async_payment_failed`, 303 to
//                  cancel_url (the shape Stripe uses when a payment fails after checkout).
//   Cancel       → session expired at once (Stripe would wait for expires_at),
//                  `checkout.session.expired`, 303 to cancel_url.
// The webhook is delivered before the redirect so tests are deterministic; if it fails the
// browser is still redirected, as with Stripe, where the two are independent.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import Stripe from "stripe";

export type StandinSession = {
  id: string;
  object: "checkout.session";
  url: string;
  amount_total: number;
  currency: string;
  payment_status: "unpaid" | "paid";
  status: "open" | "complete" | "expired";
  metadata: Record<string, string>;
  client_reference_id: string | null;
  payment_intent: string | null;
  allowed_payment_method_types: string[];
  success_url: string;
  cancel_url: string | null;
  expires_at: number;
};

export type StripeStandin = {
  url: string;
  close(): Promise<void>;
  sessions(): StandinSession[];
  sendEvent(type: string, object: unknown): Promise<Response>;
};

type Req = IncomingMessage;
type Res = ServerResponse;

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);
const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** `a[b][0][c]=1` → { a: { b: [{ c: "1" }] } }: how Stripe reads the SDK's form bodies. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    if (path.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let node = root;
    path.forEach((seg, i) => {
      if (i === path.length - 1) node[seg] = value;
      else node = (node[seg] ??= {}) as Record<string, unknown>;
    });
  }
  return toArrays(root) as Record<string, unknown>;
}

// Objects keyed 0..n become arrays, except metadata, whose keys are the caller's own.
function toArrays(value: unknown, key = ""): unknown {
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, toArrays(v, k)] as const);
  const indexed = key !== "metadata" && entries.length > 0;
  if (indexed && entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined),
    value,
  );
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const strings = (v: unknown) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;

async function readBody(req: Req): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 100_000) throw new Error("request body too large");
  }
  return body;
}

function sendJson(res: Res, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    "content-type": "application/json",
    "request-id": id("req_test"),
    ...headers,
  });
  res.end(JSON.stringify(body));
}

// Stripe's error envelope, so the SDK raises the same error classes it would in production.
const stripeError = (res: Res, status: number, type: string, message: string, param?: string) =>
  sendJson(res, status, { error: { type, message, ...(param ? { param } : {}) } });

const CSS = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
.banner{background:#fff3cd;border:1px solid #8a6d00;padding:.5rem .75rem}form{display:inline-block;margin:.5rem 1rem 0 0}
button{font-size:1rem;padding:.5rem 1.25rem;cursor:pointer}dt{font-weight:600}dd{margin:0 0 .5rem}
:focus-visible{outline:3px solid #1a56db;outline-offset:2px}`;

function sendHtml(res: Res, status: number, title: string, body: string) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy":
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} – Test payment</title><style>${CSS}</style></head><body><main>
<p class="banner"><strong>Test payment page — no money moves.</strong> A local stand-in for Stripe Checkout.</p>
<h1>${esc(title)}</h1>${body}</main></body></html>`);
}

const money = (s: StandinSession) =>
  new Intl.NumberFormat("en-GB", { style: "currency", currency: s.currency.toUpperCase() }).format(
    s.amount_total / 100,
  );

export async function startStripeStandin(opts: {
  port: number;
  host?: string;
  webhookUrl: string;
  webhookSecret: string;
  publicUrl?: string;
}): Promise<StripeStandin> {
  const host = opts.host ?? "127.0.0.1";
  const store = new Map<string, { session: StandinSession; name: string }>();
  // Stripe replays the saved response for a repeated Idempotency-Key (only successes are saved).
  const replies = new Map<string, { body: string; json: StandinSession }>();
  let publicUrl = opts.publicUrl ?? "";

  async function sendEvent(type: string, object: unknown): Promise<Response> {
    const [created, api_version] = [now(), Stripe.API_VERSION];
    const event = { id: id("evt_test"), object: "event", api_version, created, type };
    const payload = JSON.stringify({ ...event, data: { object }, livemode: false });
    const secret = opts.webhookSecret;
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
    return fetch(opts.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    });
  }

  function createSession(p: Record<string, unknown>): StandinSession | string {
    const item = at(p, "line_items", 0);
    const unitAmount = Number(at(item, "price_data", "unit_amount"));
    const quantity = Number(at(item, "quantity") ?? 1);
    const currency = str(at(item, "price_data", "currency"));
    const name = str(at(item, "price_data", "product_data", "name"));
    const successUrl = str(p.success_url);
    if (p.mode !== "payment") return "mode";
    if (!Number.isSafeInteger(unitAmount) || unitAmount <= 0)
      return "line_items[0][price_data][unit_amount]";
    if (!currency || !/^[a-z]{3}$/.test(currency)) return "line_items[0][price_data][currency]";
    if (!name) return "line_items[0][price_data][product_data][name]";
    if (!successUrl) return "success_url";
    const sessionId = id("cs_test");
    // Older API versions sent `payment_method_types`; the SDK's pinned one sends the filter.
    const methods = strings(p.allowed_payment_method_types) ?? strings(p.payment_method_types);
    const session: StandinSession = {
      id: sessionId,
      object: "checkout.session",
      url: `${publicUrl}/checkout/${sessionId}`,
      amount_total: unitAmount * quantity,
      currency,
      payment_status: "unpaid",
      status: "open",
      metadata: (at(p, "metadata") ?? {}) as Record<string, string>,
      client_reference_id: str(p.client_reference_id) ?? null,
      payment_intent: null,
      allowed_payment_method_types: methods ?? ["card"],
      success_url: successUrl,
      cancel_url: str(p.cancel_url) ?? null,
      expires_at: now() + 24 * 3600,
    };
    store.set(sessionId, { session, name });
    return session;
  }

  async function api(req: Req, res: Res, path: string): Promise<void> {
    // Bearer as the SDK sends it, Basic as in Stripe's curl examples (`-u sk_test_…:`).
    const [scheme, value = ""] = (req.headers.authorization ?? "").split(" ");
    const key = scheme === "Basic" ? Buffer.from(value, "base64").toString().split(":")[0] : value;
    if (!/^(Bearer|Basic)$/.test(scheme ?? "") || !/^sk_test_\w+$/.test(key ?? "")) {
      const message = "Invalid API Key provided. The stand-in accepts any sk_test_… key.";
      return stripeError(res, 401, "invalid_request_error", message);
    }
    const sessionMatch = /^\/v1\/checkout\/sessions\/(\w+)$/.exec(path);
    if (req.method === "POST" && path === "/v1/checkout/sessions") {
      const body = await readBody(req);
      const idem = req.headers["idempotency-key"];
      const prior = typeof idem === "string" ? replies.get(idem) : undefined;
      if (prior && prior.body !== body) {
        const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idem}'.`;
        return stripeError(res, 400, "idempotency_error", message);
      }
      if (prior) return sendJson(res, 200, prior.json, { "idempotent-replayed": "true" });
      const created = createSession(parseStripeForm(body));
      if (typeof created === "string") {
        const message = `Missing or invalid required param: ${created}.`;
        return stripeError(res, 400, "invalid_request_error", message, created);
      }
      if (typeof idem === "string") replies.set(idem, { body, json: created });
      return sendJson(res, 200, created);
    }
    if (req.method === "GET" && sessionMatch?.[1]) {
      const entry = store.get(sessionMatch[1]);
      if (entry) return sendJson(res, 200, entry.session);
      const message = `No such checkout.session: '${sessionMatch[1]}'`;
      return stripeError(res, 404, "invalid_request_error", message, "session");
    }
    const message = `Unrecognized request URL (${req.method}: ${path}). The stand-in only serves Checkout Sessions.`;
    return stripeError(res, 404, "invalid_request_error", message);
  }

  async function checkout(req: Req, res: Res, sessionId: string, action?: string) {
    const entry = store.get(sessionId);
    if (!entry) return sendHtml(res, 404, "Payment not found", "<p>No such checkout session.</p>");
    const { session, name } = entry;
    const facts = `<dl><dt>For</dt><dd>${esc(name)}</dd><dt>Amount</dt><dd>${esc(money(session))}</dd></dl>`;
    const closed = (status: number) =>
      sendHtml(res, status, "This payment is closed", `${facts}<p>Status: ${session.status}.</p>`);
    if (!action) {
      if (session.status !== "open") return closed(200);
      const button = (a: string, label: string) =>
        `<form method="post" action="/checkout/${esc(session.id)}/${a}"><button type="submit">${label}</button></form>`;
      const forms =
        button("pay", "Pay") + button("decline", "Decline card") + button("cancel", "Cancel");
      return sendHtml(res, 200, `Pay ${money(session)}`, facts + forms);
    }
    if (req.method !== "POST")
      return sendHtml(res, 405, "Use the buttons", "<p>Use the buttons on the payment page.</p>");
    const backTo = (url: string | null) => {
      res.writeHead(303, {
        location: (url ?? publicUrl).replaceAll("{CHECKOUT_SESSION_ID}", session.id),
      });
      res.end();
    };
    // A second click on Pay after success just returns the browser; no second event.
    if (action === "pay" && session.payment_status === "paid") return backTo(session.success_url);
    if (session.status !== "open") return closed(409);
    let type = "checkout.session.expired";
    if (action === "pay" || action === "decline") {
      session.status = "complete";
      session.payment_intent = id("pi_test");
      if (action === "pay") session.payment_status = "paid";
      type =
        action === "pay" ? "checkout.session.completed" : "checkout.session.async_payment_failed";
    } else session.status = "expired";
    await sendEvent(type, { ...session }).catch((error: unknown) => {
      console.warn(`Stripe stand-in: webhook ${type} to ${opts.webhookUrl} failed`, error);
    });
    return backTo(action === "pay" ? session.success_url : session.cancel_url);
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://standin").pathname;
    const hosted = /^\/checkout\/(cs_test_\w+)(?:\/(pay|decline|cancel))?$/.exec(path);
    const work = path.startsWith("/v1/")
      ? api(req, res, path)
      : hosted?.[1]
        ? checkout(req, res, hosted[1], hosted[2])
        : Promise.resolve(sendHtml(res, 404, "Not found", "<p>Nothing here.</p>"));
    work.catch((error: unknown) => {
      console.error("Stripe stand-in failed", error);
      if (res.headersSent) res.end();
      else stripeError(res, 500, "api_error", "The Stripe stand-in failed.");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  publicUrl ||= `http://localhost:${port}`;
  return {
    url: `http://${host}:${port}`,
    sessions: () => [...store.values()].map((e) => ({ ...e.session })),
    sendEvent,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const env = process.env;
  const secret = env.STRIPE_STANDIN_WEBHOOK_SECRET ?? "whsec_kravportal_dev_standin";
  const standin = await startStripeStandin({
    port: Number(env.STRIPE_STANDIN_PORT ?? 4242),
    host: env.STRIPE_STANDIN_HOST ?? "127.0.0.1",
    webhookUrl: env.STRIPE_STANDIN_WEBHOOK_URL ?? "http://localhost:3000/webhooks/stripe",
    webhookSecret: secret,
    ...(env.STRIPE_STANDIN_PUBLIC_URL ? { publicUrl: env.STRIPE_STANDIN_PUBLIC_URL } : {}),
  });
  process.stdout.write(
    `Stripe stand-in: STRIPE_API_URL=${standin.url} STRIPE_SECRET_KEY=sk_test_<anything> STRIPE_WEBHOOK_SECRETS=${secret}\n`,
  );
  const stop = () => void standin.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
