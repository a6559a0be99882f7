// Bank-file benchmark: `npx tsx bench/bank-files.ts [--entries N] [--chunk C]` (defaults 100,000
// and 1,000). In one run, on a throwaway embedded PostgreSQL (or a fresh database on
// BENCH_DATABASE_URL), it:
//   - generates N open claims with set-based SQL (server/test-support/bank-claims.ts) and a
//     camt.054 file paying each exactly, written to a temporary file piece by piece;
//   - imports the file with the real importer (importBankFile, read from disk as a stream,
//     chunks of C entries, one transaction), and checks the result against SQL;
//   - times the baseline: PostgreSQL COPY of the same rows into the same tables (Payment with its
//     allocations, payment.received events, BankEntry), in a transaction that is rolled back;
//   - prints the import's rate, its ratio to COPY and the importing process's peak memory (RSS
//     high-water mark; the import runs in a child process, bench/bank-files-import.ts, as the
//     command line would run it), each target as met / not met;
//   - imports another such file to N new claims in a process with its heap capped
//     (`--heap-cap MB`, default 256, as `--max-old-space-size`) and prints its time and peak.
// It asserts nothing. The figures mean something only on an otherwise quiet machine.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createThrowawayDatabase } from "../server/throwaway-database.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import {
  camt054Pieces,
  insertOpenClaims,
  principalOf,
  referenceOf,
  type BigEntry,
} from "../server/test-support/bank-claims.ts";

const NOW = new Date("2026-03-05T10:00:00Z");
const DAY = "2026-03-05";
const PREFIX = "55";
/** The claims of the second import, the one with a capped heap. */
const CAPPED_PREFIX = "56";

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

type ChildImport = {
  ms: number;
  beforeMb: number;
  peakMb: number;
  result: { ok: boolean; duplicate?: boolean; matched: number };
};

/** bench/bank-files-import.ts in a child process (this environment: its database and keys). */
function importInChild(file: string, chunk: number, flags: string[] = []): Promise<ChildImport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...flags, "--import", "tsx", "bench/bank-files-import.ts", file, String(chunk)],
      { env: process.env, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0 || !last.startsWith("{")) reject(new Error(`import exited ${code}: ${out}`));
      else resolve(JSON.parse(last) as ChildImport);
    });
  });
}

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

function* entriesOf(n: number, prefix = PREFIX): Generator<BigEntry> {
  for (let i = 0; i < n; i++)
    yield {
      reference: referenceOf(prefix, i),
      amount: principalOf(i),
      bookedOn: DAY,
      ref: `BENCH-${prefix}-${i}`,
    };
}

const esc = (v: string | number | null) =>
  v === null ? "\\N" : String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");

/** COPY of rows made one at a time by `row(i)`, streamed: the baseline holds no more than the importer. */
async function copy(
  client: pg.Client,
  table: string,
  columns: string[],
  n: number,
  row: (i: number) => (string | number | null)[],
) {
  const cols = columns.map((c) => `"${c}"`).join(", ");
  function* lines() {
    let batch = "";
    for (let i = 0; i < n; i++) {
      batch += row(i).map(esc).join("\t") + "\n";
      if (batch.length > 64_000) {
        yield batch;
        batch = "";
      }
    }
    if (batch !== "") yield batch;
  }
  await pipeline(
    Readable.from(lines()),
    client.query(copyFrom(`COPY "${table}" (${cols}) FROM STDIN`)),
  );
}

/** What the import writes per entry (a payment with its allocation, its event, the bank entry), by COPY, rolled back. */
async function copyBaseline(client: pg.Client, creditorId: string, n: number) {
  const claims = (
    await client.query<{ id: string; residentId: string }>(
      `SELECT id, "residentId" FROM "Claim" WHERE "creditorId" = $1 AND "paymentReference" LIKE '${PREFIX}%'
       ORDER BY "paymentReference"`,
      [creditorId],
    )
  ).rows;
  const firstEvent =
    Number((await client.query(`SELECT nextval('"Event_id_seq"') AS n`)).rows[0].n) + 1;
  const paymentIds = Array.from({ length: n }, () => randomUUID());
  await client.query("BEGIN");
  try {
    return await timed(async () => {
      const importId = randomUUID();
      await client.query(
        `INSERT INTO "BankFileImport" (id, format, "fileId", entries, total, actor)
         VALUES ($1, 'camt054', $2, $3, 0, 'bench')`,
        [importId, `BASE-${importId}`, n],
      );
      await copy(
        client,
        "Event",
        ["id", "claimId", "residentId", "creditorId", "type", "actor", "data", "occurredOn"],
        n,
        (i) => [
          firstEvent + i,
          claims[i]!.id,
          claims[i]!.residentId,
          creditorId,
          "payment.received",
          "bench",
          JSON.stringify({
            amount: principalOf(i),
            method: "bank_transfer",
            allocated: { costs: 0, interest: 0, principal: principalOf(i) },
            credit: 0,
          }),
          DAY,
        ],
      );
      await copy(
        client,
        "Payment",
        [
          "id",
          "claimId",
          "amount",
          "currency",
          "receivedOn",
          "method",
          "providerRef",
          "allocations",
          "creditAmount",
          "interestWaived",
          "eventId",
        ],
        n,
        (i) => [
          paymentIds[i]!,
          claims[i]!.id,
          principalOf(i),
          "NOK",
          DAY,
          "bank_transfer",
          `base:${i}`,
          JSON.stringify({ costs: 0, interest: 0, principal: principalOf(i) }),
          0,
          0,
          firstEvent + i,
        ],
      );
      await copy(
        client,
        "BankEntry",
        [
          "id",
          "importId",
          "entryKey",
          "reference",
          "amount",
          "currency",
          "bookedOn",
          "line",
          "status",
          "claimId",
          "paymentId",
        ],
        n,
        (i) => [
          randomUUID(),
          importId,
          `base:${i}`,
          referenceOf(PREFIX, i),
          principalOf(i),
          "NOK",
          DAY,
          6 + 4 * i,
          "MATCHED",
          claims[i]!.id,
          paymentIds[i]!,
        ],
      );
    });
  } finally {
    await client.query("ROLLBACK");
  }
}

async function main() {
  const n = arg("--entries", 100_000);
  const chunk = arg("--chunk", 1_000);
  const cpus = os.cpus();
  log(`Bank-file benchmark: a camt.054 file of ${fmt(n)} payments to as many open claims`);
  log(
    `machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, Node ${process.version}`,
  );
  const database = await createThrowawayDatabase({
    serverUrl: process.env.BENCH_DATABASE_URL,
    name: "bench",
    port: 55900 + (process.pid % 400),
    log: (line) => log(`[postgres] ${line}`),
  });
  const client = new pg.Client({ connectionString: database.url });
  const dir = await mkdtemp(path.join(os.tmpdir(), "kravportal-bench-bank-"));
  try {
    await migrateDeploy({ databaseUrl: database.url });
    setEnvironment(database.url);
    const { loadLegalRates, loadDemoData } = await import("../prisma/seed.ts");
    await loadLegalRates();
    await loadDemoData(NOW);
    await client.connect();
    const creditorId = (
      await client.query<{ id: string }>(`SELECT id FROM "Creditor" WHERE slug = 'elvdal'`)
    ).rows[0]!.id;

    let total = 0;
    for (let i = 0; i < n; i++) total += principalOf(i);
    /** N open claims under `prefix` and a file paying each of them, written piece by piece. */
    const claimsAndFile = async (prefix: string) => {
      await client.query("BEGIN");
      await insertOpenClaims((sql, params) => client.query(sql, params), {
        creditorId,
        n,
        prefix,
        issuedOn: "2026-02-01",
        dueOn: "2026-12-31",
        country: "NO",
      });
      await client.query("COMMIT");
      await client.query(`VACUUM ANALYZE`);
      const file = path.join(dir, `camt054-${prefix}.xml`);
      await pipeline(
        Readable.from(
          camt054Pieces(`BENCH-${prefix}-${n}`, entriesOf(n, prefix), { count: n, total }),
        ),
        createWriteStream(file),
      );
      return file;
    };
    const [file, genMs] = await timed(() => claimsAndFile(PREFIX));
    const size = (await stat(file)).size;
    log(
      `generated ${fmt(n)} open claims (set-based SQL) in ${secs(genMs)} and a camt.054 file of ${(size / 1024 / 1024).toFixed(1)} MB`,
    );
    await client.query("CHECKPOINT");

    // In a process of its own, as the command line runs it: its memory is the importer's alone.
    const child = await importInChild(file, chunk);
    const { result, ms: importMs, beforeMb: before, peakMb: peak } = child;
    if (!result.ok || result.duplicate) throw new Error(`import failed: ${JSON.stringify(result)}`);
    const importRate = n / (importMs / 1000);
    const check = (
      await client.query<{ payments: string; paid: string; closed: string }>(
        `SELECT count(p.id) AS payments, coalesce(sum(p.amount), 0) AS paid,
                count(DISTINCT c.id) FILTER (WHERE c.status = 'PAID') AS closed
         FROM "Claim" c LEFT JOIN "Payment" p ON p."claimId" = c.id
         WHERE c."creditorId" = $1 AND c."paymentReference" LIKE '${PREFIX}%'`,
        [creditorId],
      )
    ).rows[0]!;
    log(
      `import (read from disk as a stream, chunks of ${fmt(chunk)}, one transaction): ${fmt(result.matched)} matched of ${fmt(n)} in ${secs(importMs)}: ${fmt(importRate)} entries/s`,
    );
    log(
      `  checked in SQL: ${fmt(Number(check.payments))} payments, ${fmt(Number(check.paid))} in all (file ${fmt(total)}), ${fmt(Number(check.closed))} claims paid in full`,
    );
    log(
      `  peak memory (RSS high-water mark of the importing process): ${fmt(peak)} MB (${fmt(before)} MB with the app loaded, before the import)`,
    );

    await client.query("CHECKPOINT");
    const [, copyMs] = await copyBaseline(client, creditorId, n);
    const copyRate = n / (copyMs / 1000);
    log(
      `baseline (COPY of the same rows into Payment, Event, BankEntry; rolled back): ${fmt(n)} entries in ${secs(copyMs)}: ${fmt(copyRate)} entries/s`,
    );

    log("");
    log(
      `target import within 5× of COPY: ${(importMs / copyMs).toFixed(1)}×: ${met(importMs / copyMs <= 5)}`,
    );
    log(`target peak memory under 500 MB: ${fmt(peak)} MB: ${met(peak < 500)}`);

    // A process that imports big files should cap its heap (docs/benchmarks.md): the same
    // import again, on as many new claims, in a process started with the cap.
    const cap = arg("--heap-cap", 256);
    const capped = await claimsAndFile(CAPPED_PREFIX);
    await client.query("CHECKPOINT");
    const second = await importInChild(capped, chunk, [`--max-old-space-size=${cap}`]);
    if (!second.result.ok || second.result.matched !== n)
      throw new Error(`capped import failed: ${JSON.stringify(second.result)}`);
    log(
      `with the heap capped (--max-old-space-size=${cap}), another ${fmt(n)} entries to as many new claims: ${secs(second.ms)} (${(second.ms / copyMs).toFixed(1)}× COPY), peak memory ${fmt(second.peakMb)} MB`,
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
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
