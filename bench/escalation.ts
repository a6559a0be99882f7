// Escalation sweep benchmark: `npx tsx bench/escalation.ts [--claims N] [--workers N]
// [--statements] [--wal]` (default 1,000,000 claims, the sweep's own number of workers;
// `--statements`: the sweep's statements by time, from pg_stat_statements; `--wal`: the sweep's
// WAL by kind of record and its full-page images by table and index, from pg_walinspect).
// Generates N open claims (about 10 % due for their first step), then times, in one run:
// a set-based UPDATE of the same due rows (the baseline, rolled back), the sweep, and a re-run.
// Uses a throwaway embedded PostgreSQL, or a fresh database on BENCH_DATABASE_URL when set.
// It prints figures; it asserts nothing.
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createThrowawayDatabase } from "../server/throwaway-database.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import { generateClaims } from "./escalation-data.ts";
import { runWithBatchFlags } from "./batch-flags.ts";
import { serverAndSelfCpuMs, serverCpuSplitMs } from "./server-cpu.ts";

runWithBatchFlags();

// A Wednesday without a holiday near it in Sweden or Norway: every due date before it is due.
const AS_OF = "2026-10-14";
const PUBLIC_URL = "http://localhost:3000";

function argClaims(): number {
  const i = process.argv.indexOf("--claims");
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const n = raw === undefined ? 1_000_000 : Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--claims must be a positive integer`);
  return n;
}

/** `--workers N`: batch transactions in flight in the sweep (its default when not given). */
function argWorkers(): number | undefined {
  const i = process.argv.indexOf("--workers");
  if (i < 0) return undefined;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--workers must be a positive integer`);
  return n;
}

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sampleRss, 100);
sampler.unref();

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const log = (line: string) => process.stdout.write(`${line}\n`);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

/** A fresh database: on BENCH_DATABASE_URL's server, or on a throwaway embedded server. */
async function startDatabase() {
  const database = await createThrowawayDatabase({
    serverUrl: process.env.BENCH_DATABASE_URL,
    name: "bench",
    port: 55000 + (process.pid % 500),
    log: (line) => log(`[postgres] ${line}`),
  });
  return { url: database.url, stop: database.drop };
}

/** Secrets the app's env() demands; throwaway values, nothing here is ever decrypted. */
function setEnvironment(url: string) {
  process.env.DATABASE_URL = url;
  process.env.PII_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  process.env.NATIONAL_ID_HASH_KEY = randomBytes(32).toString("base64");
  process.env.SESSION_SECRET = randomBytes(32).toString("hex");
  process.env.EID_ISSUER ??= "http://127.0.0.1:1/eid";
  process.env.EID_CLIENT_ID ??= "bench";
  process.env.EID_CLIENT_SECRET ??= "bench";
}

/** Legal figures, the demo creditors, their claim types and policies (version 1); no claims. */
async function loadReferenceData() {
  const { loadLegalRates } = await import("../prisma/seed.ts");
  const { DEMO_CREDITORS, DEMO_ENFORCEMENT_MINIMUM } = await import("../prisma/demo-data.ts");
  const { savePolicy } = await import("../app/services/law/policies.server.ts");
  const { db } = await import("../app/infra/db.server.ts");
  await loadLegalRates();
  for (const c of DEMO_CREDITORS) {
    const { claimTypes, contact, ...creditor } = c;
    const saved = await db().creditor.create({ data: { ...creditor, ...contact } });
    for (const t of claimTypes) {
      await db().claimType.create({
        data: { creditorId: saved.id, slug: t.slug, name: t.name, names: t.names },
      });
      const result = await savePolicy({
        creditorSlug: c.slug,
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
      if (!result.ok) throw new Error(`policy ${c.slug}/${t.slug}: ${JSON.stringify(result)}`);
    }
  }
}

/** What the sweep does to the due rows, as one statement: the floor no per-claim engine beats. */
async function baseline(client: pg.Client): Promise<[number, number]> {
  await client.query("BEGIN");
  try {
    const [res, ms] = await timed(() =>
      client.query(
        `UPDATE "Claim" SET stage = 'REMINDER', "stageEnteredOn" = $1::date,
                "nextActionOn" = $1::date + 15, "updatedAt" = now()
         WHERE status = 'OPEN' AND "nextActionOn" <= $1::date`,
        [AS_OF],
      ),
    );
    return [res.rowCount ?? 0, ms];
  } finally {
    await client.query("ROLLBACK");
  }
}

/**
 * What the sweep wrote to the WAL (`--wal`): by kind of record, and the full-page images by
 * relation and kind of record. An image written for a hint (`FPI_FOR_HINT`) is a page that a read
 * changed (hint bits or dead index entries marked) for the first time since the checkpoint.
 */
async function printWal(client: pg.Client, from: string, to: string) {
  await client.query(`CREATE EXTENSION IF NOT EXISTS pg_walinspect`);
  const byKind = await client.query<{ kind: string; n: string; mib: string; fpi: string }>(
    `SELECT "resource_manager/record_type" AS kind, count::text AS n,
            round(combined_size / 1048576.0, 1)::text AS mib,
            round(fpi_size / 1048576.0, 1)::text AS fpi
     FROM pg_get_wal_stats($1::pg_lsn, $2::pg_lsn, true)
     WHERE count > 0 ORDER BY combined_size DESC LIMIT 12`,
    [from, to],
  );
  log("sweep's WAL by kind of record (pg_walinspect):");
  log(`  ${"records".padStart(10)} ${"MiB".padStart(8)} ${"of it FPI".padStart(10)}   kind`);
  for (const r of byKind.rows)
    log(
      `  ${fmt(Number(r.n)).padStart(10)} ${r.mib.padStart(8)} ${r.fpi.padStart(10)}   ${r.kind}`,
    );
  const byRelation = await client.query<{ rel: string; kind: string; fpi: string }>(
    `SELECT coalesce(c.relname, b.relfilenode::text) AS rel, b.record_type AS kind,
            count(*)::text AS fpi
     FROM pg_get_wal_block_info($1::pg_lsn, $2::pg_lsn, false) b
     LEFT JOIN pg_class c ON pg_relation_filenode(c.oid) = b.relfilenode
     WHERE b.block_fpi_length > 0
     GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 20`,
    [from, to],
  );
  log("sweep's full-page images by relation and kind of record:");
  for (const r of byRelation.rows)
    log(`  ${fmt(Number(r.fpi)).padStart(8)}   ${r.rel} (${r.kind})`);
}

/** The statements of the sweep (and its re-run) by their time in the server, most first. */
async function printStatements(client: pg.Client) {
  const { rows } = await client.query<{
    calls: string;
    exec: number;
    plan: number;
    rows: string;
    hit: string;
    wal: string;
    fpi: string;
    query: string;
  }>(
    `SELECT calls::text, total_exec_time AS exec, total_plan_time AS plan, rows::text,
            shared_blks_hit::text AS hit, wal_bytes::text AS wal, wal_fpi::text AS fpi,
            regexp_replace(query, '[[:space:]]+', ' ', 'g') AS query
     FROM pg_stat_statements
     WHERE query NOT LIKE '%pg_stat_statements%'
     ORDER BY total_exec_time + total_plan_time DESC LIMIT 12`,
  );
  log("sweep by statement (pg_stat_statements; ms are the server's, wall):");
  log("     calls    exec ms    plan ms       rows   buffers hit   WAL MiB   FPI   statement");
  for (const r of rows)
    log(
      `${fmt(Number(r.calls)).padStart(10)} ${r.exec.toFixed(0).padStart(10)} ` +
        `${r.plan.toFixed(0).padStart(10)} ${fmt(Number(r.rows)).padStart(10)} ` +
        `${fmt(Number(r.hit)).padStart(13)} ${(Number(r.wal) / 2 ** 20).toFixed(1).padStart(9)} ` +
        `${fmt(Number(r.fpi)).padStart(5)}   ${r.query.slice(0, 110)}`,
    );
}

async function main() {
  const n = argClaims();
  const cpus = os.cpus();
  log(`Escalation sweep benchmark: ${fmt(n)} open claims, as of ${AS_OF}`);
  log(
    `machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version} ` +
      `(${process.execArgv.filter((a) => a.startsWith("--max")).join(" ")}, as the worker)`,
  );
  // `--statements`: the sweep's time by statement, from pg_stat_statements (loaded for this).
  const byStatement = process.argv.includes("--statements");
  const byWal = process.argv.includes("--wal");
  if (byStatement) process.env.PG_SHARED_PRELOAD_LIBRARIES = "pg_stat_statements";
  const database = await startDatabase();
  // Ctrl-C must not leave a server and its data directory behind.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping PostgreSQL`);
      void database.stop().finally(() => process.exit(130));
    });
  }
  const client = new pg.Client({ connectionString: database.url });
  let disconnect: (() => Promise<void>) | undefined;
  try {
    await migrateDeploy({ databaseUrl: database.url });
    setEnvironment(database.url);
    await loadReferenceData();
    await client.connect();
    const pgVersion = (await client.query<{ server_version: string }>("SHOW server_version"))
      .rows[0]!.server_version;
    log(`PostgreSQL ${pgVersion}${process.env.BENCH_DATABASE_URL ? "" : " (embedded)"}`);

    const [gen, genMs] = await timed(() => generateClaims(client, n, AS_OF));
    log(
      `generate: ${fmt(gen.rows)} rows (${fmt(gen.residents)} residents; claims, events, ` +
        `charges ${fmt(n)} each) in ${secs(genMs)}: ${fmt(gen.rows / (genMs / 1000))} rows/s`,
    );
    const due = Number(
      (
        await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM "Claim" WHERE status = 'OPEN' AND "nextActionOn" <= $1`,
          [AS_OF],
        )
      ).rows[0]!.n,
    );
    log(`premise: ${fmt(due)} of ${fmt(n)} open claims due (${((100 * due) / n).toFixed(1)} %)`);

    // Each timed step starts from a checkpoint, so neither pays for writing out the dirty pages
    // that the step before it (generating the data, the rolled-back UPDATE) left in memory.
    await client.query("CHECKPOINT");
    const cpuDir = path.resolve(".data", `bench-pg-${process.pid}`);
    // WAL written by a step: its volume is work for the backends too (full-page images after the
    // CHECKPOINT, copied into the WAL and written out at each commit).
    const walAt = async () =>
      (await client.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`)).rows[0]!
        .lsn;
    const walSince = async (from: string) =>
      Number(
        (
          await client.query<{ bytes: string }>(
            `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint::text AS bytes`,
            [from],
          )
        ).rows[0]!.bytes,
      );
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    const wal0 = await walAt();
    const cpu0 = serverAndSelfCpuMs(cpuDir);
    const [baseRows, baseMs] = await baseline(client);
    const baseCpu = cpu0 === null ? null : serverAndSelfCpuMs(cpuDir)! - cpu0;
    const baseWal = await walSince(wal0);
    log(
      `baseline (one UPDATE, rolled back): ${fmt(baseRows)} rows in ${secs(baseMs)}: ` +
        `${fmt(baseRows / (baseMs / 1000))} claims/s`,
    );
    // The rolled-back UPDATE left a dead version of every due row; clear them so the sweep
    // meets the table as the baseline did.
    await client.query(`VACUUM ANALYZE "Claim"`);
    await client.query("CHECKPOINT");

    const { runSweep } = await import("../app/services/escalation/sweep.server.ts");
    const { disconnectDb } = await import("../app/infra/db.server.ts");
    disconnect = disconnectDb;
    if (byStatement) {
      await client.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
      // For every connection, the sweep's pool too: planning is part of a statement's cost.
      await client.query(`ALTER SYSTEM SET pg_stat_statements.track_planning = on`);
      await client.query(`SELECT pg_reload_conf()`);
      await client.query(`SELECT pg_stat_statements_reset()`);
    }
    const wal1 = await walAt();
    const cpu1 = serverAndSelfCpuMs(cpuDir);
    const split1 = serverCpuSplitMs(cpuDir);
    const workers = argWorkers();
    const [sweep, sweepMs] = await timed(() =>
      runSweep({ asOf: AS_OF, publicUrl: PUBLIC_URL, ...(workers ? { workers } : {}) }),
    );
    const sweepCpu = cpu1 === null ? null : serverAndSelfCpuMs(cpuDir)! - cpu1;
    const split2 = serverCpuSplitMs(cpuDir);
    const sweepWal = await walSince(wal1);
    const sweepWalEnd = await walAt();
    const steps = Object.values(sweep.steps).reduce((a, b) => a + b, 0);
    log(
      `sweep: ${fmt(sweep.examined)} claims examined, ${fmt(steps)} steps, ` +
        `${fmt(sweep.notices)} notices in ${secs(sweepMs)}: ` +
        `${fmt(sweep.examined / (sweepMs / 1000))} claims/s, ${fmt(steps / (sweepMs / 1000))} steps/s`,
    );
    const [again, againMs] = await timed(() => runSweep({ asOf: AS_OF, publicUrl: PUBLIC_URL }));
    log(
      `re-run: ${fmt(again.examined)} claims examined in ${secs(againMs)}: ` +
        `${fmt(n / (againMs / 1000))} open claims/s considered`,
    );
    sampleRss();
    const ratio = sweepMs / baseMs;
    const rerun = (100 * againMs) / sweepMs;
    log(`sweep / baseline: ${ratio.toFixed(1)}x (target <= 5x) ${ratio <= 5 ? "met" : "NOT met"}`);
    log(`re-run / sweep: ${rerun.toFixed(1)} % (target < 10 %) ${rerun < 10 ? "met" : "NOT met"}`);
    if (baseCpu !== null && sweepCpu !== null)
      log(
        `CPU (this process and its PostgreSQL, whatever else the machine runs): baseline ` +
          `${secs(baseCpu)}, sweep ${secs(sweepCpu)}: ${(sweepCpu / baseCpu).toFixed(1)}x`,
      );
    if (split1 && split2)
      log(
        `sweep CPU apart: PostgreSQL ${secs(split2.server - split1.server)}, ` +
          `this process ${secs(split2.self - split1.self)}; PostgreSQL by process: ` +
          Object.keys(split2.roles)
            .map((role) => [role, split2.roles[role]! - (split1.roles[role] ?? 0)] as const)
            .filter(([, ms]) => ms >= 10)
            .sort((a, b) => b[1] - a[1])
            .map(([role, ms]) => `${role} ${secs(ms)}`)
            .join(", "),
      );
    log(`WAL written: baseline ${mib(baseWal)}, sweep ${mib(sweepWal)}`);
    if (byStatement) await printStatements(client);
    if (byWal) await printWal(client, wal1, sweepWalEnd);
    log(`peak RSS of this process: ${fmt(peakRss / 2 ** 20)} MiB`);
  } finally {
    await disconnect?.();
    await client.end().catch(() => {});
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
