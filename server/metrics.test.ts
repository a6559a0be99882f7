// /metrics scraped after a page, a provider callback and a daily sweep: the figures move. The
// real web server (production build) and the worker's sweep task run in this process, on a
// database of their own. Needs the production build (`npm test` builds first).
import { existsSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../app/infra/db.server.ts";
import { receiveClaim } from "../app/services/claims/intake.server.ts";
import { runDueDailySweeps } from "../app/services/escalation/scheduled-sweeps.server.ts";
import { checkReadiness, shippedMigrations } from "../app/services/operations/health.server.ts";
import { processPendingWebhooks } from "../app/services/payments/webhooks.server.ts";
import { loadLegalRates } from "../prisma/seed.ts";
import { giveEmailConsent } from "../app/services/identity/contact-preferences.server.ts";
import { dispatchLetters } from "../app/services/letters/dispatch.server.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import { createTestCreditor } from "./test-support/fixtures.ts";
import { freePort } from "./test-support/http-browser.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./throwaway-database.ts";

const BUILD = path.resolve("build/server/index.js");
const hasBuild = existsSync(BUILD);
if (!hasBuild) {
  console.warn(
    `metrics.test.ts skipped: no production build at ${BUILD}. Run \`npm run build\` first (npm test does).`,
  );
}

const SECRET = "whsec_metrics";
let database: ThrowawayDatabase;
let server: Server | undefined;
let web = "";
let metricsUrl = "";
let day: (n: number) => string = () => "";

/** One sample's value from Prometheus's text format, or 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

const scrape = async () => {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return res.text();
};

beforeAll(async () => {
  if (!hasBuild) return;
  const suiteUrl = new URL(process.env.DATABASE_URL!);
  suiteUrl.pathname = "/postgres";
  database = await createThrowawayDatabase({
    serverUrl: suiteUrl.toString(),
    name: "metrics",
    port: 0,
  });
  await migrateDeploy({ databaseUrl: database.url, cwd: process.cwd() });
  process.env.DATABASE_URL = database.url;
  process.env.STRIPE_WEBHOOK_SECRETS = SECRET;
  const [port, metricsPort] = [await freePort(), await freePort()];
  process.env.PORT = String(port);
  process.env.METRICS_PORT = String(metricsPort);
  process.env.NODE_ENV = "production";
  web = `http://127.0.0.1:${port}`;
  process.env.PUBLIC_URL = web;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;

  await loadLegalRates();
  const { caller } = await createTestCreditor(`metrics-${Date.now().toString(36)}`, "NO");
  day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  // Long past due: today's sweep sends its reminder, with a fee, into the outbox.
  const received = await receiveClaim(
    caller,
    {
      externalId: "DUE-1",
      claimType: "water",
      resident: { nationalId: "05928310010", name: "Ola Hansen", email: "ola@example.test" },
      description: "Vann",
      currency: "NOK",
      principal: 50_000,
      issuedOn: day(-60),
      dueOn: day(-30),
    },
    new Date(),
  );
  if (received.kind !== "created") throw new Error(JSON.stringify(received));
  await db().resident.updateMany({ data: { email: "ola@example.test" } });
  const { startWeb } = await import("./web.ts");
  server = await startWeb();
}, 60_000);

afterAll(async () => {
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server?.closeAllConnections();
  await disconnectDb();
  await database?.drop();
});

describe.skipIf(!hasBuild)("metrics", () => {
  it("are not on the public port", async () => {
    expect((await fetch(`${web}/metrics`)).status).toBe(404);
  });

  it("move after a page, a provider callback and a sweep", async () => {
    const before = await scrape();
    const route = { method: "GET", route: "/healthz", status: "2xx" };
    expect(sample(before, "kravportal_webhook_events", { status: "PENDING" })).toBe(0);
    expect(sample(before, "kravportal_outbox_messages", { status: "PENDING" })).toBe(0);

    // A page.
    expect((await fetch(`${web}/healthz`)).status).toBe(200);
    expect((await fetch(`${web}/`)).status).toBe(200);

    // A provider callback, stored and not yet processed.
    const body = JSON.stringify({
      id: "evt_metrics_1",
      object: "event",
      type: "charge.dispute.created",
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "dp_metrics", object: "dispute", payment_intent: "pi_none" } },
    });
    const callback = await fetch(`${web}/webhooks/stripe`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": Stripe.webhooks.generateTestHeaderString({
          payload: body,
          secret: SECRET,
        }),
      },
      body,
    });
    expect(callback.status).toBe(200);
    const afterCallback = await scrape();
    expect(sample(afterCallback, "kravportal_webhook_events", { status: "PENDING" })).toBe(1);
    expect(
      sample(afterCallback, "kravportal_http_request_duration_seconds_count", {
        route: "/webhooks/stripe",
        status: "2xx",
      }),
    ).toBe(1);

    // The worker's daily sweep task.
    const sweeps = await runDueDailySweeps({ now: new Date(), sweepHour: 0, publicUrl: web });
    expect(sweeps.reduce((n, s) => n + s.notices, 0)).toBe(1);
    await processPendingWebhooks();

    const after = await scrape();
    expect(sample(after, "kravportal_http_request_duration_seconds_count", route)).toBe(
      sample(before, "kravportal_http_request_duration_seconds_count", route) + 1,
    );
    expect(
      sample(after, "kravportal_http_request_duration_seconds_count", {
        method: "GET",
        route: "/",
        status: "2xx",
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(after, "kravportal_sweep_runs")).toBe(1);
    expect(sample(after, "kravportal_sweep_last_steps")).toBe(1);
    expect(sample(after, "kravportal_sweep_last_fees")).toBe(1);
    expect(sample(after, "kravportal_sweep_last_duration_seconds")).toBeGreaterThan(0);
    // The reminder waits to leave; nothing counts from it yet.
    expect(sample(after, "kravportal_letters", { status: "PENDING" })).toBe(1);
    expect(sample(after, "kravportal_letters_oldest_pending_age_seconds")).toBeGreaterThan(0);
    expect(sample(after, "kravportal_outbox_messages", { status: "PENDING" })).toBe(0);
    expect(sample(after, "kravportal_webhook_events", { status: "PENDING" })).toBe(0);
    // Ola agreed to email: the worker's dispatch puts it into the outbox.
    const ola = await db().resident.findFirstOrThrow({ where: { email: "ola@example.test" } });
    await giveEmailConsent(ola.id, { email: "ola@example.test", on: day(0), actor: "test" });
    expect(await dispatchLetters()).toMatchObject({ email: 1 });
    const dispatched = await scrape();
    expect(sample(dispatched, "kravportal_letters", { status: "PENDING" })).toBe(1);
    expect(sample(dispatched, "kravportal_outbox_messages", { status: "PENDING" })).toBe(1);
    expect(after).toMatch(/kravportal_db_pool_connections\{pool="web",state="idle"\} \d+/);
    expect(after).toContain("kravportal_process_cpu_seconds_total");
  });
});

describe.skipIf(!hasBuild)("the sample Grafana dashboard", () => {
  it("asks only for metrics the portal serves", async () => {
    const dashboard = readFileSync("docs/grafana/kravportal-dashboard.json", "utf8");
    const asked = new Set([...dashboard.matchAll(/kravportal_[a-z0-9_]+/g)].map((m) => m[0]));
    const served = await scrape();
    const missing = [...asked].filter(
      (name) => !served.includes(`# TYPE ${name.replace(/_(bucket|count|sum)$/, "")} `),
    );
    expect(asked.size).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});

describe.skipIf(!hasBuild)("readiness", () => {
  it("answers 200 when every shipped migration is applied", async () => {
    const res = await fetch(`${web}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, database: true, pendingMigrations: [] });
  });

  it("is not ready when a shipped migration is not applied", async () => {
    const shipped = [...shippedMigrations(), "29991231000000_from_a_newer_release"];
    expect(await checkReadiness(shipped)).toEqual({
      ready: false,
      database: true,
      pendingMigrations: ["29991231000000_from_a_newer_release"],
    });
  });
});
