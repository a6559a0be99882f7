// Shared by bench/portal.ts and bench/explain.ts: a throwaway database with the app's schema,
// the legal figures, the demo creditors and policies, and `kravportal generate`'s data.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { createCookie } from "@remix-run/node";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { createThrowawayDatabase } from "../server/throwaway-database.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";

export const log = (line: string) => process.stdout.write(`${line}\n`);
export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = Number((i >= 0 ? process.argv[i + 1] : String(fallback))?.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

export function machine(): string {
  const cpus = os.cpus();
  return (
    `${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`
  );
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** What env() demands, set before anything reads it; throwaway keys. */
export function setEnvironment(url: string, port: number) {
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
    STRIPE_WEBHOOK_SECRETS: "whsec_bench",
    RATE_LIMIT_API_PER_MINUTE: "1000000",
    RATE_LIMIT_POST_PER_MINUTE: "1000000",
    RATE_LIMIT_LOGIN_PER_MINUTE: "1000000",
  });
}

/**
 * A fresh database (on BENCH_DATABASE_URL's server, or a throwaway embedded one), migrated, with
 * the environment set and the generated data loaded. Prints the generation's progress and time.
 */
export async function scaleDatabase(opts: {
  name: string;
  residents: number;
  claims: number;
  asOf: string;
}) {
  const database = await createThrowawayDatabase({
    serverUrl: process.env.BENCH_DATABASE_URL,
    name: opts.name,
    port: 55100 + (process.pid % 400),
    // Connections the web server's pool still holds are refused while the server stops: noise.
    log: (line) => void (/shutting down|checkpoint/.test(line) || log(`[postgres] ${line}`)),
  });
  let disconnect: (() => Promise<void>) | undefined;
  const stop = async () => {
    await disconnect?.();
    await database.drop();
  };
  try {
    await migrateDeploy({ databaseUrl: database.url });
    const port = await freePort();
    setEnvironment(database.url, port);
    const { loadLegalRates, ensureCreditors } = await import("../prisma/seed.ts");
    const { disconnectDb } = await import("../app/infra/db.server.ts");
    disconnect = disconnectDb;
    await loadLegalRates();
    await ensureCreditors();
    const { generateData } = await import("../server/generate-data.ts");
    log(
      `generate: ${fmt(opts.residents)} residents, ${fmt(opts.claims)} claims as of ${opts.asOf}`,
    );
    const result = await generateData({
      residents: opts.residents,
      claims: opts.claims,
      asOf: opts.asOf,
      piiKey: process.env.PII_ENCRYPTION_KEY!,
      hashKey: process.env.NATIONAL_ID_HASH_KEY!,
      publicUrl: process.env.PUBLIC_URL!,
      log,
    });
    log(
      `generate: ${fmt(result.rows)} rows in ${result.seconds.toFixed(1)} s ` +
        `(${fmt(result.rows / result.seconds)} rows/s)`,
    );
    return { url: database.url, stop, generated: result };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Rows per table and claims per stage and status: what the figures were measured on. */
export async function describeData(query: (sql: string) => Promise<{ rows: unknown[] }>) {
  const tables = [
    "Resident",
    "Claim",
    "Charge",
    "Event",
    "ClaimStep",
    "Notice",
    "Outbox",
    "Payment",
    "Hold",
    "EnforcementFiling",
  ];
  const counts = await query(
    `SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t}")::int AS "${t}"`).join(", ")}`,
  );
  log(`rows: ${JSON.stringify(counts.rows[0])}`);
  const stages = await query(
    `SELECT status::text || '/' || stage::text AS k, count(*)::int AS n FROM "Claim"
     GROUP BY 1 ORDER BY 1`,
  );
  log(
    `claims by status/stage: ${(stages.rows as { k: string; n: number }[])
      .map((r) => `${r.k} ${fmt(r.n)}`)
      .join(", ")}`,
  );
}

/**
 * Logs `sessions` residents with open claims in (picked in a fixed pseudo-random order): their
 * server-side sessions written and their kp_session cookies signed as the app does. Returns each
 * one's cookie and open claims.
 */
export async function logIn(client: pg.Client, sessions: number) {
  const { rows } = await client.query<{ resident: string; name: string; claims: string[] }>(
    `SELECT c."residentId" AS resident, r.name, array_agg(c.id::text) AS claims
     FROM "Claim" c JOIN "Resident" r ON r.id = c."residentId"
     WHERE c.status = 'OPEN' GROUP BY 1, 2 ORDER BY md5(c."residentId"::text) LIMIT $1`,
    [sessions],
  );
  const ids = rows.map(() => randomBytes(32).toString("base64url"));
  await client.query(
    `INSERT INTO "Session" (id, kind, data, "expiresAt")
     SELECT id, 'resident', jsonb_build_object('residentId', resident, 'name', name),
            now() + interval '1 day'
     FROM unnest($1::text[], $2::text[], $3::text[]) AS s(id, resident, name)`,
    [ids, rows.map((r) => r.resident), rows.map((r) => r.name)],
  );
  // The app's own cookie (app/infra/session.server.ts): name, secret, signed value.
  const cookie = createCookie("kp_session", { secrets: [process.env.SESSION_SECRET!] });
  const values = await Promise.all(ids.map((id) => cookie.serialize(id)));
  return rows.map((r, i) => ({
    cookie: values[i]!.split(";")[0]!,
    claims: r.claims,
  }));
}
