// A database outage under a running `npm start` (web + worker): PostgreSQL is stopped across a
// minute boundary (when graphile-worker's cron next schedules its jobs, the moment that used to
// take the whole process down) and started again. Meanwhile pages answer a clear 503 and
// /healthz says 503, without a single refused connection; within a minute of the database's
// return pages work again, the worker delivers the mail that fell due during the outage, and
// nothing was lost or sent twice.
//
// The embedded PostgreSQL here is started by the test and handed to `npm start` as DATABASE_URL,
// so the test can stop and start it; `npm start` runs everything else as it always does.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { residentSessionStorage } from "~/infra/session.server";
import { createApiKey } from "~/services/identity/api-keys.server";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded-postgres.ts";
import { createTestCreditor } from "./test-support/fixtures.ts";
import { freePort } from "./test-support/http-browser.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import { loadLegalRates } from "../prisma/seed.ts";

const hasBuild = existsSync("build/server/index.js");
const dataDir = path.resolve(`.data/outage-test-${process.pid}`);
let pg: EmbeddedDatabase | undefined;
let pgPort = 0;
let portal: ChildProcess | undefined;
let base = "";
let catcher = "";
let cookie = "";
let apiKey = "";
const output: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith("npm start exited")) throw error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}\n${output.slice(-40).join("\n")}`);
    await sleep(500);
  }
}

const get = (p: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${p}`, { headers, redirect: "manual", signal: AbortSignal.timeout(15_000) });
const page = () => get("/claims", { Cookie: cookie, "Accept-Language": "en" });
const api = () => get("/api/v1/claim-types", { Authorization: `Bearer ${apiKey}` });

const startDatabase = () =>
  startEmbeddedPostgres({
    dataDir: path.join(dataDir, "pg"),
    port: pgPort,
    database: "kravportal",
    log: () => undefined,
  });

beforeAll(async () => {
  if (!hasBuild) return;
  const [web, eid, smtp, mailHttp, stripe] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  pgPort = await freePort();
  pg = await startDatabase();
  await migrateDeploy({ databaseUrl: pg.url, cwd: process.cwd() });
  process.env.DATABASE_URL = pg.url;
  await loadLegalRates();
  const slug = `outage-${process.pid}`;
  await createTestCreditor(slug, "SE");
  apiKey = (await createApiKey(slug)).key;
  // A resident session as the eID callback leaves it: a row in the database, its id signed.
  const storage = residentSessionStorage();
  const session = await storage.getSession();
  session.set("residentId", null);
  session.set("name", "Outage Tester");
  cookie = (await storage.commitSession(session)).split(";")[0]!;

  base = `http://localhost:${web}`;
  catcher = `http://127.0.0.1:${mailHttp}`;
  // npm start's own stand-ins (test eID, mail catcher, Stripe), not the suite's settings.
  const inherited = { ...process.env };
  for (const key of Object.keys(inherited)) {
    if (/^(EID_|STRIPE_|SMTP_URL|DEV_MAIL_CATCHER_URL|STAFF_OIDC_)/.test(key))
      delete inherited[key];
  }
  portal = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
    cwd: process.cwd(),
    env: {
      ...inherited,
      NODE_ENV: "production",
      DATABASE_URL: pg.url,
      DATA_DIR: dataDir,
      PORT: String(web),
      PUBLIC_URL: base,
      TEST_EID_PORT: String(eid),
      MAIL_CATCHER_SMTP_PORT: String(smtp),
      MAIL_CATCHER_HTTP_PORT: String(mailHttp),
      STRIPE_STANDIN_PORT: String(stripe),
      DEMO_DATA: "false",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line) output.push(line);
  };
  portal.stdout!.on("data", keep);
  portal.stderr!.on("data", keep);
  await until(
    "the portal",
    async () => {
      if (portal!.exitCode !== null) throw new Error(`npm start exited\n${output.join("\n")}`);
      return (await get("/healthz")).ok ? true : undefined;
    },
    60_000,
  );
}, 120_000);

afterAll(async () => {
  if (portal && portal.exitCode === null) {
    const exited = new Promise((r) => portal!.once("exit", r));
    portal.kill("SIGTERM");
    await Promise.race([exited, sleep(15_000)]);
    if (portal.exitCode === null) portal.kill("SIGKILL");
  }
  await disconnectDb();
  await pg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** Rows that must come through an outage untouched. */
async function counts() {
  const [claims, events, outbox, apiKeys] = await Promise.all([
    db().claim.count(),
    db().event.count(),
    db().outbox.count(),
    db().apiKey.count(),
  ]);
  return { claims, events, outbox, apiKeys };
}

describe.skipIf(!hasBuild)("a database outage under npm start", () => {
  it("answers 503 meanwhile, recovers by itself, and loses nothing", async () => {
    expect((await page()).status).toBe(200);
    expect((await api()).status).toBe(200);

    // Mail that falls due while the database is away.
    const due = new Date(Date.now() + 10_000);
    const ids = ["A", "B", "C"].map((tag) => `outage-${process.pid}-${tag}@example.test`);
    for (const [i, to] of ids.entries()) {
      await db().outbox.create({
        data: {
          kind: "receipt",
          to,
          nextAttemptAt: due,
          content: {
            language: "en",
            residentName: "Outage Tester",
            paidOn: "2026-03-02",
            currency: "SEK",
            total: 10_000 + i,
            items: [],
            receiptUrl: `${base}/claims`,
          },
        },
      });
    }
    const before = await counts();
    await disconnectDb();

    // Stop the database shortly before a minute boundary, so the outage spans the cron's tick.
    while (new Date().getSeconds() < 45) await sleep(500);
    const boundary = new Date();
    boundary.setSeconds(60, 0);
    await pg!.stop();

    const duringOutage: number[] = [];
    let sawUnavailablePage = false;
    while (Date.now() < boundary.getTime() + 12_000) {
      const [health, claims, machine] = await Promise.all([get("/healthz"), page(), api()]);
      duringOutage.push(health.status, claims.status, machine.status);
      if (claims.status === 503) {
        const html = await claims.text();
        sawUnavailablePage ||= html.includes("The service is unavailable right now");
      }
      expect(portal!.exitCode).toBeNull();
      await sleep(1_000);
    }
    // Every answer during the outage was a 503: no 500, and no refused connection (a refused
    // connection would have thrown above).
    expect(new Set(duringOutage)).toEqual(new Set([503]));
    expect(sawUnavailablePage).toBe(true);

    pg = await startDatabase();
    const back = Date.now();
    await until(
      "pages again",
      async () => ((await page()).status === 200 ? true : undefined),
      60_000,
    );
    expect((await api()).status).toBe(200);
    expect((await get("/healthz")).status).toBe(200);

    // The worker delivers what fell due: each message once.
    process.env.DATABASE_URL = pg.url;
    await until(
      "the outbox delivered",
      async () => {
        const rows = await db().outbox.findMany({ where: { to: { in: ids } } });
        return rows.every((r) => r.status === "SENT") ? rows : undefined;
      },
      Math.max(1_000, 60_000 - (Date.now() - back)),
    );
    const caught = (await (await fetch(`${catcher}/messages`)).json()) as { to: string[] }[];
    for (const to of ids) expect(caught.filter((m) => m.to.includes(to))).toHaveLength(1);
    expect(await counts()).toEqual(before);
    expect(portal!.exitCode).toBeNull();
  }, 240_000);
});
