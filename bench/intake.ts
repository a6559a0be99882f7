// Claim intake benchmark: `npx tsx bench/intake.ts [--claims N] [--single M]` (defaults 100,000
// and 2,000). In one run, on a throwaway embedded PostgreSQL (or a fresh database on
// BENCH_DATABASE_URL), it times:
//   - the baseline: PostgreSQL COPY of the same rows (residents, claims, claim.received events,
//     principal charges) into the same tables, rolled back;
//   - bulk intake: the N claims through the batch intake, 1,000 a call (what POST
//     /api/v1/claims/batch and the file import run);
//   - single intake: M more claims one by one with 20 in flight (what POST /api/v1/claims runs);
//   - the serial section found behind "20 in flight give 70/s" (decision 0108): 20 clients
//     counting in one rate-limit row, with synchronous_commit on and off.
// It prints each figure with met / not met against issue 18's targets; it asserts nothing. The
// figures mean something only on an otherwise quiet machine.
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { serverAndSelfCpuMs } from "./server-cpu.ts";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createThrowawayDatabase } from "../server/throwaway-database.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import { intakeBody, norwegianIds } from "../server/test-support/claim-rows.ts";

const NOW = new Date("2026-10-14T10:00:00Z");

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const n = raw === undefined ? fallback : Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const log = (line: string) => process.stdout.write(`${line}\n`);
const met = (ok: boolean) => (ok ? "met" : "NOT MET");

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

function setEnvironment(url: string) {
  process.env.DATABASE_URL = url;
  process.env.PII_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  process.env.NATIONAL_ID_HASH_KEY = randomBytes(32).toString("base64");
  process.env.SESSION_SECRET = randomBytes(32).toString("hex");
  process.env.EID_ISSUER ??= "http://127.0.0.1:1/eid";
  process.env.EID_CLIENT_ID ??= "bench";
  process.env.EID_CLIENT_SECRET ??= "bench";
}

const esc = (v: string | number | null) =>
  v === null ? "\\N" : String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
const tsv = (rows: (string | number | null)[][]) =>
  rows.map((r) => r.map(esc).join("\t")).join("\n") + "\n";

async function copy(client: pg.Client, table: string, columns: string[], text: string) {
  const cols = columns.map((c) => `"${c}"`).join(", ");
  await pipeline(
    Readable.from([text]),
    client.query(copyFrom(`COPY "${table}" (${cols}) FROM STDIN`)),
  );
}

/** The same rows the intake writes, by COPY, in one transaction that is rolled back. */
async function copyBaseline(client: pg.Client, bodies: ReturnType<typeof intakeBody>[]) {
  const { hashNationalId } = await import("../app/services/identity/residents.server.ts");
  const { encryptNationalId } = await import("../app/infra/pii.server.ts");
  const creditor = (
    await client.query(`SELECT c.id, t.id AS type, p.id AS policy FROM "Creditor" c
      JOIN "ClaimType" t ON t."creditorId" = c.id AND t.slug = 'water'
      JOIN "Policy" p ON p."claimTypeId" = t.id WHERE c.slug = 'elvdal' LIMIT 1`)
  ).rows[0] as { id: string; type: string; policy: string };
  const firstEvent =
    Number((await client.query(`SELECT nextval('"Event_id_seq"') AS n`)).rows[0].n) + 1;
  const residents: (string | number | null)[][] = [];
  const claims: (string | number | null)[][] = [];
  const events: (string | number | null)[][] = [];
  const charges: (string | number | null)[][] = [];
  const key = process.env.PII_ENCRYPTION_KEY!;
  bodies.forEach((b, i) => {
    const resident = randomUUID();
    const claim = randomUUID();
    const event = firstEvent + i;
    residents.push([
      resident,
      "NO",
      encryptNationalId(b.resident.nationalId, key),
      `base-${hashNationalId("NO", b.resident.nationalId)}`,
      b.resident.name,
      "now",
    ]);
    claims.push([
      claim,
      creditor.id,
      creditor.type,
      resident,
      creditor.policy,
      `BASE-${b.externalId}`,
      "x".repeat(64),
      b.description,
      b.currency,
      b.issuedOn,
      b.dueOn,
      b.dueOn,
      `9${String(i).padStart(12, "0")}`,
      b.dueOn,
      "now",
    ]);
    events.push([
      event,
      claim,
      resident,
      creditor.id,
      "claim.received",
      "bench",
      JSON.stringify({
        principal: b.principal,
        currency: b.currency,
        dueOn: b.dueOn,
        policyVersion: 1,
      }),
      "2026-10-14",
    ]);
    charges.push([
      randomUUID(),
      claim,
      "PRINCIPAL",
      b.principal,
      b.issuedOn,
      event,
      "claim.received",
      "principal.invoice",
    ]);
  });
  await client.query("BEGIN");
  try {
    return await timed(async () => {
      await copy(
        client,
        "Resident",
        ["id", "country", "nationalIdCipher", "nationalIdHash", "name", "updatedAt"],
        tsv(residents),
      );
      await copy(
        client,
        "Claim",
        [
          "id",
          "creditorId",
          "claimTypeId",
          "residentId",
          "policyId",
          "externalId",
          "intakeFingerprint",
          "description",
          "currency",
          "issuedOn",
          "dueOn",
          "stageEnteredOn",
          "paymentReference",
          "nextActionOn",
          "updatedAt",
        ],
        tsv(claims),
      );
      await copy(
        client,
        "Event",
        ["id", "claimId", "residentId", "creditorId", "type", "actor", "data", "occurredOn"],
        tsv(events),
      );
      await copy(
        client,
        "Charge",
        ["id", "claimId", "kind", "amount", "chargedOn", "causeEventId", "causeType", "legalBasis"],
        tsv(charges),
      );
    });
  } finally {
    await client.query("ROLLBACK");
  }
}

/** 20 clients adding 1 to one row, each statement its own transaction, for `ms` milliseconds. */
async function oneRowCounter(url: string, synchronousCommit: "on" | "off", ms = 3000) {
  const pool = new pg.Pool({
    connectionString: url,
    max: 20,
    options: `-c synchronous_commit=${synchronousCommit}`,
  });
  await pool.query(
    `INSERT INTO "RateLimit" (key, points) VALUES ('bench', 0) ON CONFLICT (key) DO NOTHING`,
  );
  let count = 0;
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (performance.now() < until) {
        await pool.query(`UPDATE "RateLimit" SET points = points + 1 WHERE key = 'bench'`);
        count += 1;
      }
    }),
  );
  await pool.end();
  return count / (ms / 1000);
}

async function main() {
  const n = arg("--claims", 100_000);
  const m = arg("--single", 2_000);
  const cpus = os.cpus();
  log(`Claim intake benchmark: ${fmt(n)} claims in bulk, ${fmt(m)} single with 20 in flight`);
  log(
    `machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, Node ${process.version}`,
  );
  const database = await createThrowawayDatabase({
    serverUrl: process.env.BENCH_DATABASE_URL,
    name: "bench",
    port: 55500 + (process.pid % 400),
    log: (line) => log(`[postgres] ${line}`),
  });
  const client = new pg.Client({ connectionString: database.url });
  try {
    await migrateDeploy({ databaseUrl: database.url });
    setEnvironment(database.url);
    const { loadLegalRates, loadDemoData } = await import("../prisma/seed.ts");
    await loadLegalRates();
    await loadDemoData(NOW);
    await client.connect();

    const ids = norwegianIds(n + m, 1_000_000 % 1);
    const bodies = ids.slice(0, n).map((id, i) => intakeBody(`BULK-${i}`, id));
    const singles = ids.slice(n).map((id, i) => intakeBody(`ONE-${i}`, id));

    await client.query("CHECKPOINT");
    const [, copyMs] = await copyBaseline(client, bodies);
    const copyRate = n / (copyMs / 1000);
    log(
      `baseline (COPY of the same rows into Resident, Claim, Event, Charge; rolled back): ${fmt(n)} claims in ${secs(copyMs)}: ${fmt(copyRate)} claims/s`,
    );
    await client.query(`VACUUM ANALYZE`);
    await client.query("CHECKPOINT");

    const { receiveClaims } = await import("../app/services/claims/intake-batch.server.ts");
    const { receiveClaim } = await import("../app/services/claims/intake.server.ts");
    const { db, disconnectDb } = await import("../app/infra/db.server.ts");
    const c = await db().creditor.findUniqueOrThrow({ where: { slug: "elvdal" } });
    const caller = {
      creditorId: c.id,
      keyId: "bench",
      country: c.country,
      currency: c.currency,
      timeZone: c.timeZone,
    };

    const [created, bulkMs] = await timed(async () => {
      let made = 0;
      for (let i = 0; i < bodies.length; i += 1000) {
        const out = await receiveClaims(caller, bodies.slice(i, i + 1000), NOW);
        made += out.filter((o) => o.result === "created").length;
      }
      return made;
    });
    const bulkRate = n / (bulkMs / 1000);
    log(
      `bulk intake (batches of 1,000): ${fmt(created)} of ${fmt(n)} created in ${secs(bulkMs)}: ${fmt(bulkRate)} claims/s, ${(copyRate / bulkRate).toFixed(1)}× the COPY baseline`,
    );

    const latencies: number[] = [];
    const cpuDir = path.resolve(".data", `bench-pg-${process.pid}`);
    const cpu0 = serverAndSelfCpuMs(cpuDir);
    const [, singleMs] = await timed(async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < singles.length) {
            const body = singles[next++]!;
            const t0 = performance.now();
            const r = await receiveClaim(caller, body, NOW);
            latencies.push(performance.now() - t0);
            if (r.kind !== "created") throw new Error(`single intake: ${JSON.stringify(r)}`);
          }
        }),
      );
    });
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(0);
    const singleRate = m / (singleMs / 1000);
    const singleCpu = cpu0 === null ? null : serverAndSelfCpuMs(cpuDir)! - cpu0;
    log(
      `single intake (20 in flight, in-process, no HTTP): ${fmt(m)} claims in ${secs(singleMs)}: ${fmt(singleRate)} claims/s, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`,
    );
    if (singleCpu !== null)
      log(
        `single intake CPU (this process and its PostgreSQL): ${(singleCpu / m).toFixed(2)} ms a claim, ` +
          `so ${os.cpus().length} cores allow at most about ${fmt((os.cpus().length * 1000 * m) / singleCpu)} claims/s`,
      );
    await disconnectDb();

    const on = await oneRowCounter(database.url, "on");
    const off = await oneRowCounter(database.url, "off");
    log(
      `one rate-limit row, 20 clients: ${fmt(on)} updates/s with synchronous_commit on (each waits for the one before it to reach disk), ${fmt(off)} updates/s with it off (the API limiter's setting since decision 0108)`,
    );

    log("");
    log(`target bulk ≥ 2,000 claims/s: ${fmt(bulkRate)}: ${met(bulkRate >= 2000)}`);
    log(
      `target bulk within 5× of COPY: ${(copyRate / bulkRate).toFixed(1)}×: ${met(copyRate / bulkRate <= 5)}`,
    );
    log(
      `target single with 20 in flight ≥ 300 claims/s: ${fmt(singleRate)}: ${met(singleRate >= 300)}`,
    );
    log(
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} (figures need a quiet machine)`,
    );
  } finally {
    await client.end().catch(() => {});
    await database.drop();
  }
}

await main();
