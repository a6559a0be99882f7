// Two web processes and two workers against one PostgreSQL, as behind a load balancer: a login
// started on one web process finishes on the other and works on both; duplicate provider
// callbacks sent to both are stored and booked once; two workers sweeping the same day sweep it
// once; the outbox is delivered once; one rate limit holds across both and a restart. Needs the production build (`npm test` builds first).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../app/infra/db.server.ts";
import { receiveClaim } from "../app/services/claims/intake.server.ts";
import { loadLegalRates } from "../prisma/seed.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import { startMailCatcher, type MailCatcher } from "./dev/mail-catcher.ts";
import { startTestEid, type TestEid } from "./dev/test-eid.ts";
import { createTestCreditor } from "./test-support/fixtures.ts";
import { Browser, freePort } from "./test-support/http-browser.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./throwaway-database.ts";

const BUILD = path.resolve("build/server/index.js");
const hasBuild = existsSync(BUILD);
if (!hasBuild) {
  console.warn(
    `scale-out.test.ts skipped: no production build at ${BUILD}. Run \`npm run build\` first (npm test does).`,
  );
}

const SECRET = "whsec_scale_out";
const RESIDENT = { nationalId: "18845610009", name: "Kari Nordmann" };
const PAYERS = 6;
const DUE_FOR_SWEEP = 5;
// Low enough to reach in a few requests; the other tests here make no API calls.
const API_LIMIT = 8;
let webEnv: Record<string, string> = {};

let database: ThrowawayDatabase;
let eid: TestEid;
let catcher: MailCatcher;
const children: ChildProcess[] = [];
const webChildren: ChildProcess[] = [];
const output: string[] = [];
let webs: string[] = [];
const checkouts: { id: string; claimId: string; amount: number }[] = [];
let creditorId = "";

function spawnChild(name: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line) output.push(`[${name}] ${line}`);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  children.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}\n${output.slice(-30).join("\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const dayOffset = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  if (!hasBuild) return;
  // Its own database on the suite's server: the workers must see only this file's rows.
  const suiteUrl = new URL(process.env.DATABASE_URL!);
  suiteUrl.pathname = "/postgres";
  database = await createThrowawayDatabase({
    serverUrl: suiteUrl.toString(),
    name: "scale",
    port: 0,
  });
  await migrateDeploy({ databaseUrl: database.url, cwd: process.cwd() });
  process.env.DATABASE_URL = database.url;
  process.env.STRIPE_WEBHOOK_SECRETS = SECRET;

  await loadLegalRates();
  const { caller, creditor } = await createTestCreditor(`scale-${Date.now().toString(36)}`, "NO");
  creditorId = creditor.id;
  const now = new Date();
  // Claims to pay online: not yet due, so nothing but the payment changes them.
  for (let i = 0; i < PAYERS; i++) {
    const amount = 100_000 + i * 1_000;
    const result = await receiveClaim(
      caller,
      {
        externalId: `PAY-${i}`,
        claimType: "water",
        resident: RESIDENT,
        description: "Vann",
        currency: "NOK",
        principal: amount,
        issuedOn: dayOffset(-5),
        dueOn: dayOffset(60),
      },
      now,
    );
    if (result.kind !== "created") throw new Error(JSON.stringify(result));
    const checkout = await db().checkout.create({
      data: {
        residentId: (await db().claim.findUniqueOrThrow({ where: { id: result.claim.id } }))
          .residentId,
        provider: "stripe",
        providerSessionId: `cs_test_scale_${i}`,
        idempotencyKey: `scale-${i}-${Date.now()}`,
        amount,
        currency: "NOK",
        items: { create: [{ claimId: result.claim.id, amount }] },
      },
    });
    checkouts.push({ id: checkout.id, claimId: result.claim.id, amount });
  }
  // Claims long past due: today's sweep sends each its reminder.
  for (let i = 0; i < DUE_FOR_SWEEP; i++) {
    const result = await receiveClaim(
      caller,
      {
        externalId: `DUE-${i}`,
        claimType: "water",
        resident: { nationalId: "05928310010", name: "Ola Hansen" },
        description: "Vann",
        currency: "NOK",
        principal: 50_000,
        issuedOn: dayOffset(-60),
        dueOn: dayOffset(-30),
      },
      now,
    );
    if (result.kind !== "created") throw new Error(JSON.stringify(result));
  }
  // Every resident agreed to notices by email: the workers' dispatch puts them in the outbox.
  await db().resident.updateMany({
    data: { email: "resident@example.test", emailNotices: true, emailConsentOn: new Date() },
  });

  const [eidPort, web1, web2, smtp, mailHttp] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const publicUrl = `http://127.0.0.1:${web1}`;
  eid = await startTestEid({
    port: eidPort,
    issuer: `http://127.0.0.1:${eidPort}`,
    clients: [
      {
        client_id: "kravportal-scale",
        client_secret: "scale-secret-0123456789abcdef0123456789",
        redirect_uris: [`${publicUrl}/auth/callback`],
        post_logout_redirect_uris: [`${publicUrl}/?loggedOut=1`],
      },
    ],
    residents: [RESIDENT],
  });
  catcher = await startMailCatcher({ smtpPort: smtp!, httpPort: mailHttp! });

  const common = {
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    // One public address, as behind a load balancer: both processes answer for it.
    PUBLIC_URL: publicUrl,
    EID_ISSUER: eid.url,
    EID_CLIENT_ID: "kravportal-scale",
    EID_CLIENT_SECRET: "scale-secret-0123456789abcdef0123456789",
    STRIPE_WEBHOOK_SECRETS: SECRET,
    SMTP_URL: catcher.smtpUrl,
    SWEEP_HOUR: "0",
    LOG_LEVEL: "warn",
    RATE_LIMIT_API_PER_MINUTE: String(API_LIMIT),
  };
  webEnv = common;
  webs = [web1!, web2!].map((port) => `http://127.0.0.1:${port}`);
  webChildren.push(spawnChild("web1", "server/web-main.ts", { ...common, PORT: String(web1) }));
  webChildren.push(spawnChild("web2", "server/web-main.ts", { ...common, PORT: String(web2) }));
  spawnChild("worker1", "server/worker/main.ts", common);
  spawnChild("worker2", "server/worker/main.ts", common);
  for (const web of webs) {
    await until(`${web} to answer`, async () =>
      (await fetch(`${web}/healthz`)).ok ? true : undefined,
    );
  }
}, 90_000);

afterAll(async () => {
  if (process.env.SCALE_OUT_LOG) console.warn(output.join("\n"));
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
          child.once("exit", () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
  await eid?.close();
  await catcher?.close();
  await disconnectDb();
  await database?.drop();
}, 30_000);

async function apiStatus(web: string): Promise<number> {
  const res = await fetch(`${web}/api/v1/claim-types`, {
    headers: { Authorization: "Bearer kp_live_not-a-key" },
  });
  await res.arrayBuffer();
  return res.status;
}

describe.skipIf(!hasBuild)("two web processes and two workers on one database", () => {
  it("share one rate limit, which a restart does not reset", async () => {
    const [web1, web2] = webs as [string, string];
    // The limit, spent half on each process: with a count per process neither would refuse yet.
    const statuses: number[] = [];
    for (let i = 0; i < API_LIMIT; i++) statuses.push(await apiStatus(i % 2 ? web2 : web1));
    expect(statuses).toEqual(Array(API_LIMIT).fill(401));
    expect(await apiStatus(web1)).toBe(429);
    expect(await apiStatus(web2)).toBe(429);

    // Web 2 restarted: it still knows.
    const old = webChildren[1]!;
    await new Promise<void>((resolve) => {
      old.once("exit", () => resolve());
      old.kill("SIGTERM");
    });
    const port = new URL(web2).port;
    webChildren[1] = spawnChild("web2-restarted", "server/web-main.ts", { ...webEnv, PORT: port });
    await until("web 2 to answer again", async () =>
      (await fetch(`${web2}/healthz`)).ok ? true : undefined,
    );
    expect(await apiStatus(web2)).toBe(429);
  });

  it("a login started on one web process finishes on the other and works on both", async () => {
    const [web1, web2] = webs as [string, string];
    const browser = new Browser();
    const start = await browser.request(`${web1}/login`, {
      form: { returnTo: "/claims" },
      headers: { origin: web1 },
    });
    expect(start.status).toBe(302);
    const callbackPrefix = `${web1}/auth/callback`;
    const form = await browser.follow(start, `${web1}/login`, callbackPrefix);
    expect(form.res?.status).toBe(200);
    const posted = await browser.request(form.url, {
      form: { nationalId: RESIDENT.nationalId },
    });
    const done = await browser.follow(posted, form.url, callbackPrefix);
    // The provider sends the browser back to the public address; here web 2 takes it.
    const callback = new URL(done.url);
    const finished = await browser.request(`${web2}/auth/callback${callback.search}`);
    expect(finished.status).toBe(302);
    expect(finished.headers.get("location")).toContain("/claims");
    for (const web of [web1, web2]) {
      const page = await browser.request(`${web}/claims`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(RESIDENT.name);
    }
  });

  it("books duplicate callbacks sent to both web processes once, and sweeps and mails once", async () => {
    const sent = checkouts.map((c, i) => {
      const body = JSON.stringify({
        id: `evt_scale_${i}`,
        object: "event",
        type: "checkout.session.completed",
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: `cs_test_scale_${i}`,
            object: "checkout.session",
            amount_total: c.amount,
            currency: "nok",
            metadata: { checkoutId: c.id },
            payment_intent: `pi_scale_${i}`,
            payment_status: "paid",
            status: "complete",
          },
        },
      });
      return body;
    });
    // Each event twice to each web process, all at once.
    const statuses = await Promise.all(
      sent.flatMap((body) =>
        [...webs, ...webs].map(async (web) => {
          const res = await fetch(`${web}/webhooks/stripe`, {
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
          return res.status;
        }),
      ),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // Both workers at once, asked for today's sweep several times over.
    await db().$executeRawUnsafe(
      `SELECT graphile_worker.add_job('daily_sweeps', '{}'::json) FROM generate_series(1, 4)`,
    );

    await until("every event processed", async () => {
      const pending = await db().webhookEvent.count({ where: { status: "PENDING" } });
      return pending === 0 ? true : undefined;
    });
    const events = await db().webhookEvent.findMany({ select: { eventId: true, status: true } });
    expect(events).toHaveLength(PAYERS);
    expect(new Set(events.map((e) => e.status))).toEqual(new Set(["PROCESSED"]));
    const payments = await db().payment.findMany({ where: { checkoutId: { not: null } } });
    expect(payments).toHaveLength(PAYERS);
    for (const c of checkouts) {
      expect(payments.filter((p) => p.claimId === c.claimId).map((p) => p.amount)).toEqual([
        c.amount,
      ]);
    }

    await until("today's sweep done", async () => {
      const runs = await db().sweepRun.findMany({ where: { creditorId } });
      return runs.length > 0 && runs.every((r) => r.finishedAt) ? runs : undefined;
    });
    expect(await db().sweepRun.count({ where: { creditorId } })).toBe(1);
    const notices = await db().notice.count();
    expect(notices).toBe(DUE_FOR_SWEEP);
    // Each left once, by email, when the SMTP server took it.
    await until("every letter dispatched", async () =>
      (await db().notice.count({ where: { status: "DISPATCHED", channel: "EMAIL" } })) ===
      DUE_FOR_SWEEP
        ? true
        : undefined,
    );

    // Every message in the outbox (reminders and receipts) delivered, each exactly once.
    const outbox = await until("the outbox delivered", async () => {
      const rows = await db().outbox.findMany();
      return rows.length >= DUE_FOR_SWEEP + PAYERS && rows.every((r) => r.status === "SENT")
        ? rows
        : undefined;
    });
    expect(outbox).toHaveLength(DUE_FOR_SWEEP + PAYERS);
    // Let a late duplicate arrive if there were one.
    await new Promise((r) => setTimeout(r, 1_000));
    const caught = (await (await fetch(`${catcher.apiUrl}/messages`)).json()) as unknown[];
    expect(caught).toHaveLength(outbox.length);
  });
});
