// Stripe webhook benchmark: `npx tsx bench/webhooks.ts [--events N] [--no-queue] [--accept-only]` (N 5,000).
// Creates N claims with an open checkout each, starts the real web server in this process, sends
// one signed checkout.session.completed per checkout over loopback (50 in flight, keep-alive, from
// a worker thread),
// then processes the stored events with two concurrent worker passes. Prints accepted/s with the
// endpoint's p50/p99 latency, and processed/s. Needs the production build (npx remix vite:build).
// Uses a throwaway embedded PostgreSQL, or a fresh database on BENCH_DATABASE_URL when set.
// It prints figures; it asserts nothing.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import pg from "pg";
import { runMigrations } from "graphile-worker";
import { createThrowawayDatabase } from "../server/throwaway-database.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import { generateClaims } from "./escalation-data.ts";

const AS_OF = "2026-10-14";
const IN_FLIGHT = 50;
const TIME_LIMIT_MS = 120_000; // the send phase stops here whatever is left
const SECRET = `whsec_bench_${randomBytes(8).toString("hex")}`;

function argEvents(): number {
  const i = process.argv.indexOf("--events");
  const n = Number((i >= 0 ? process.argv[i + 1] : "5000")?.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) throw new Error("--events must be a positive integer");
  return n;
}

/** CPU time of this process (user + system) per unit: a figure a busy machine distorts less. */
const cpuPer = (cpu: NodeJS.CpuUsage, n: number) =>
  `${((cpu.user + cpu.system) / 1000 / Math.max(1, n)).toFixed(2)} ms`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const log = (line: string) => process.stdout.write(`${line}\n`);
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** A fresh database: on BENCH_DATABASE_URL's server, or on a throwaway embedded server. */
async function startDatabase() {
  const database = await createThrowawayDatabase({
    serverUrl: process.env.BENCH_DATABASE_URL,
    name: "bench_webhooks",
    port: 55500 + (process.pid % 400),
    // Without the worker's tables (--no-queue) every add_job fails by design: not news.
    log: (line) => void (/graphile_worker/.test(line) || log(`[postgres] ${line}`)),
  });
  return { url: database.url, stop: database.drop };
}

/** What env() demands, set before anything reads it; throwaway values, nothing is decrypted. */
function setEnvironment(url: string, port: number) {
  Object.assign(process.env, {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    DATABASE_URL: url,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: randomBytes(32).toString("hex"),
    PII_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    NATIONAL_ID_HASH_KEY: randomBytes(32).toString("base64"),
    EID_ISSUER: "http://127.0.0.1:1/eid",
    EID_CLIENT_ID: "bench",
    EID_CLIENT_SECRET: "bench",
    STRIPE_SECRET_KEY: "sk_test_bench",
    STRIPE_WEBHOOK_SECRETS: SECRET,
    RATE_LIMIT_API_PER_MINUTE: "1000000",
    RATE_LIMIT_POST_PER_MINUTE: "1000000",
    RATE_LIMIT_LOGIN_PER_MINUTE: "1000000",
  });
}

/** A port nobody listens on now, for the web server's env(). */
async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Legal figures, the demo creditors, their claim types and policies (as bench/escalation.ts). */
async function loadReferenceData() {
  const { loadLegalRates } = await import("../prisma/seed.ts");
  const { DEMO_CREDITORS, DEMO_ENFORCEMENT_MINIMUM } = await import("../prisma/demo-data.ts");
  const { savePolicy } = await import("../app/services/law/policies.server.ts");
  const { db } = await import("../app/infra/db.server.ts");
  await loadLegalRates();
  for (const { claimTypes, contact, ...creditor } of DEMO_CREDITORS) {
    const saved = await db().creditor.create({ data: { ...creditor, ...contact } });
    for (const t of claimTypes) {
      await db().claimType.create({
        data: { creditorId: saved.id, slug: t.slug, name: t.name, names: t.names },
      });
      const result = await savePolicy({
        creditorSlug: creditor.slug,
        claimTypeSlug: t.slug,
        policy: {
          steps: t.steps,
          enforcementMinimum: DEMO_ENFORCEMENT_MINIMUM,
          chargesInterest: t.chargesInterest,
          allocationOrder: ["costs", "interest", "principal"],
          resumeDeadlineDays: 14,
        },
        actor: "bench",
        now: new Date(`${AS_OF}T12:00:00Z`),
      });
      if (!result.ok)
        throw new Error(`policy ${creditor.slug}/${t.slug}: ${JSON.stringify(result)}`);
    }
  }
}

/** One open checkout per claim, for its principal, with the pending hold startCheckout makes. */
async function createCheckouts(client: pg.Client) {
  await client.query(`
    CREATE TEMP TABLE bench_co AS
    SELECT gen_random_uuid() AS id, c.id AS claim_id, c."residentId" AS resident_id,
           ch.amount, c.currency, row_number() OVER (ORDER BY c.id) AS n
    FROM "Claim" c JOIN "Charge" ch ON ch."claimId" = c.id AND ch.kind = 'PRINCIPAL'`);
  await client.query(`
    INSERT INTO "Checkout" (id, "residentId", provider, "providerSessionId", "idempotencyKey",
                            status, amount, currency, "updatedAt")
    SELECT id, resident_id, 'stripe', 'cs_bench_' || n, 'bench-' || n, 'OPEN', amount, currency, now()
    FROM bench_co`);
  await client.query(`
    INSERT INTO "CheckoutItem" (id, "checkoutId", "claimId", amount)
    SELECT gen_random_uuid(), id, claim_id, amount FROM bench_co`);
  await client.query(
    `
    INSERT INTO "Hold" (id, "claimId", kind, reason, "startsOn", "endsOn")
    SELECT gen_random_uuid(), claim_id, 'PAYMENT_PENDING', 'Online payment ' || id,
           $1::date, $1::date + 2 FROM bench_co`,
    [AS_OF],
  );
  const { rows } = await client.query<{ id: string; n: string; amount: number; currency: string }>(
    `SELECT id, n, amount, currency FROM bench_co ORDER BY n`,
  );
  return rows;
}

/**
 * Sends every body once, IN_FLIGHT at a time, from a worker thread (bench/webhook-sender.mjs):
 * the load generator must not share the server's event loop. Returns each request's latency.
 */
async function send(url: string, bodies: string[]) {
  const worker = new Worker(new URL("./webhook-sender.mjs", import.meta.url), {
    workerData: { url, bodies, secret: SECRET, inFlight: IN_FLIGHT, timeLimitMs: TIME_LIMIT_MS },
  });
  const result = await new Promise<{ latencies: number[]; statuses: Record<string, number> }>(
    (resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    },
  );
  await worker.terminate();
  return {
    latencies: result.latencies,
    statuses: new Map(Object.entries(result.statuses).map(([k, v]) => [Number(k), v])),
  };
}

async function main() {
  const n = argEvents();
  if (!existsSync(path.resolve("build/server/index.js"))) {
    throw new Error("no production build in ./build: run `npx remix vite:build` first");
  }
  const cpus = os.cpus();
  log(
    `Stripe webhook benchmark: ${fmt(n)} checkout.session.completed events, ${IN_FLIGHT} in flight`,
  );
  log(
    `machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
  );
  const database = await startDatabase();
  let server: Server | undefined;
  let disconnect: (() => Promise<void>) | undefined;
  const client = new pg.Client({ connectionString: database.url });
  const cleanup = async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await disconnect?.();
    await client.end().catch(() => {});
    await database.stop();
  };
  // Ctrl-C must not leave a server and its data directory behind.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  try {
    await migrateDeploy({ databaseUrl: database.url });
    // The worker's own tables, so each accepted event queues its job as in production;
    // --no-queue leaves them out (add_job then fails fast), to see what queueing costs.
    if (!process.argv.includes("--no-queue"))
      await runMigrations({ connectionString: database.url });
    setEnvironment(database.url, await freePort());
    await loadReferenceData();
    await client.connect();
    await generateClaims(client, n, AS_OF);
    const checkouts = await createCheckouts(client);
    log(`setup: ${fmt(checkouts.length)} claims with an open checkout each`);

    const created = Math.floor(Date.now() / 1000);
    const bodies = checkouts.map((c) =>
      JSON.stringify({
        id: `evt_bench_${c.n}`,
        object: "event",
        type: "checkout.session.completed",
        created,
        data: {
          object: {
            id: `cs_bench_${c.n}`,
            object: "checkout.session",
            amount_total: c.amount,
            currency: c.currency.toLowerCase(),
            metadata: { checkoutId: c.id },
            payment_intent: `pi_bench_${c.n}`,
            payment_status: "paid",
            status: "complete",
          },
        },
      }),
    );

    const { startWeb } = await import("../server/web.ts");
    server = await startWeb();
    const url = `${process.env.PUBLIC_URL}/webhooks/stripe`;
    // A few requests first, so the first measured ones do not pay for connections and JIT.
    await send(url, bodies.slice(0, 20));
    await client.query(`DELETE FROM "WebhookEvent"`);

    const sessions = async () =>
      Number(
        (
          await client.query<{ n: string }>(
            `SELECT sessions AS n FROM pg_stat_database WHERE datname = current_database()`,
          )
        ).rows[0]!.n,
      );
    const s0 = await sessions();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { latencies, statuses } = await send(url, bodies);
    const sendMs = performance.now() - t0;
    const sendCpu = process.cpuUsage(cpu0);
    // A pooled server opens a handful of connections; one per request would be the bottleneck.
    log(`PostgreSQL sessions opened while sending: ${fmt((await sessions()) - s0)}`);
    latencies.sort((a, b) => a - b);
    const accepted = statuses.get(200) ?? 0;
    const perSec = accepted / (sendMs / 1000);
    const p99 = pct(latencies, 99);
    log(
      `accept: ${fmt(accepted)} of ${fmt(latencies.length)} accepted (statuses ${JSON.stringify(Object.fromEntries(statuses))}) ` +
        `in ${(sendMs / 1000).toFixed(2)} s: ${fmt(perSec)} accepted/s; latency p50 ` +
        `${pct(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`,
    );
    // The main thread is the server's alone: the sender runs in a worker thread, counted apart.
    log(`accept: server CPU ${cpuPer(sendCpu, accepted)} per event`);
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;

    if (process.argv.includes("--accept-only")) return;
    const { processPendingWebhooks } = await import("../app/services/payments/webhooks.server.ts");
    const { db, disconnectDb } = await import("../app/infra/db.server.ts");
    disconnect = disconnectDb;
    const pending = () => db().webhookEvent.count({ where: { status: "PENDING" } });
    const stored = await pending();
    // Two passes at once, as the worker (concurrency 2) may run them.
    const loop = async () => {
      const deadline = performance.now() + TIME_LIMIT_MS;
      while (performance.now() < deadline) {
        const c = await processPendingWebhooks();
        if (c.processed + c.ignored === 0) {
          if ((await pending()) === 0) return;
          // The other pass holds what is left: wait for it rather than spin.
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const pcpu0 = process.cpuUsage();
    const p0 = performance.now();
    await Promise.all([loop(), loop()]);
    const procMs = performance.now() - p0;
    const procCpu = process.cpuUsage(pcpu0);
    const left = await pending();
    const paid = await db().payment.count();
    const procPerSec = (stored - left) / (procMs / 1000);
    log(
      `process: ${fmt(stored - left)} of ${fmt(stored)} events (${fmt(paid)} payments) in ` +
        `${(procMs / 1000).toFixed(2)} s: ${fmt(procPerSec)} processed/s; ${fmt(left)} left pending`,
    );
    log(`process: worker CPU ${cpuPer(procCpu, stored - left)} per event`);
    const ok = (b: boolean) => (b ? "met" : "NOT met");
    log(`target accepted/s >= 1,000: ${ok(perSec >= 1000)}; p99 < 50 ms: ${ok(p99 < 50)}`);
    log(`target processed/s >= 500: ${ok(procPerSec >= 500)}`);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
