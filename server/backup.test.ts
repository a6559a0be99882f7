// Backup → drop → restore on the embedded PostgreSQL (or DATABASE_URL's server): every table
// equal row for row, the sequences where they were, and the attachments byte for byte. A
// damaged archive, or a restore without --yes, changes nothing.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../app/infra/db.server.ts";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import { seedDemo } from "./test-support/fixtures.ts";
import { createThrowawayDatabase, type ThrowawayDatabase } from "./throwaway-database.ts";
import { run } from "./cli.ts";

const WORK = path.resolve(`.data/backup-test-${process.pid}`);
const ATTACHMENTS = path.join(WORK, "attachments");
const ARCHIVE = path.join(WORK, "kravportal.tar.gz");
let database: ThrowawayDatabase;
let adminUrl = "";
let dbName = "";

async function cli(...argv: string[]) {
  const lines: string[] = [];
  const code = await run(argv, { log: (l) => lines.push(l), error: (l) => lines.push(l) });
  await disconnectDb();
  return { code, text: lines.join("\n") };
}

/** Every table's rows, as PostgreSQL prints them, sorted; and every sequence's position. */
async function snapshot(): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const out: Record<string, string[]> = {};
    const tables = await client.query<{ t: string }>(
      "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    for (const { t } of tables.rows) {
      const rows = await client.query<{ r: string }>(`SELECT x::text AS r FROM "${t}" x`);
      out[t] = rows.rows.map((r) => r.r).sort();
    }
    const seqs = await client.query<{ s: string }>(
      "SELECT sequencename || '=' || coalesce(last_value::text, 'unset') AS s FROM pg_sequences WHERE schemaname = 'public'",
    );
    out["(sequences)"] = seqs.rows.map((r) => r.s).sort();
    return out;
  } finally {
    await client.end();
  }
}

async function recreateDatabase() {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
}

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(ATTACHMENTS, { recursive: true });
  const suiteUrl = new URL(process.env.DATABASE_URL!);
  suiteUrl.pathname = "/postgres";
  adminUrl = suiteUrl.toString();
  database = await createThrowawayDatabase({ serverUrl: adminUrl, name: "backup", port: 0 });
  dbName = new URL(database.url).pathname.slice(1);
  await migrateDeploy({ databaseUrl: database.url, cwd: process.cwd() });
  process.env.DATABASE_URL = database.url;
  process.env.ATTACHMENTS_DIR = ATTACHMENTS;
  // The demo's whole history: residents, claims, charges, events, notices, payments, plans...
  await seedDemo();
  // Text that COPY must escape, and a file in a subfolder.
  const claim = await db().claim.findFirstOrThrow();
  await db().claim.update({
    where: { id: claim.id },
    data: { description: 'Tab\there, newline\nhere, back\\slash, quote " and ø, å, 🧾' },
  });
  mkdirSync(path.join(ATTACHMENTS, "ab"), { recursive: true });
  writeFileSync(path.join(ATTACHMENTS, "ab", "random-key-1"), Buffer.from([0, 1, 2, 255, 10]));
  writeFileSync(path.join(ATTACHMENTS, "random-key-2"), "%PDF-1.4 a resident's document\n");
  await disconnectDb();
}, 120_000);

afterAll(async () => {
  await disconnectDb();
  await database?.drop();
  rmSync(WORK, { recursive: true, force: true });
});

describe("kravportal backup and restore", () => {
  it("round-trips the database and the attachments after the database is dropped", async () => {
    const before = await snapshot();
    expect(before.Event!.length).toBeGreaterThan(20);
    expect(before.Claim!.some((r) => r.includes("🧾"))).toBe(true);

    const made = await cli("backup", "--out", ARCHIVE);
    expect(made.text).toMatch(
      /Backup written to .*: \d+ tables, \d+ rows, \d+ migrations, 2 files/,
    );
    expect(made.code).toBe(0);

    await recreateDatabase();
    rmSync(ATTACHMENTS, { recursive: true, force: true });
    expect((await snapshot()).Claim).toBeUndefined();

    const restored = await cli("restore", "--from", ARCHIVE, "--yes");
    expect(restored.text).toContain("Restored");
    expect(restored.code).toBe(0);
    const after = await snapshot();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect([...readFileSync(path.join(ATTACHMENTS, "ab", "random-key-1"))]).toEqual([
      0, 1, 2, 255, 10,
    ]);
    expect(readFileSync(path.join(ATTACHMENTS, "random-key-2"), "utf8")).toContain("document");

    // The restored database works: the next event gets the next id, not a taken one.
    const next = await db().event.create({
      data: { type: "test.after_restore", actor: "test", occurredOn: new Date() },
    });
    expect(next.id).toBeGreaterThan(BigInt(before.Event!.length));
    await disconnectDb();
  });

  it("refuses a damaged archive or a restore without --yes, and changes nothing", async () => {
    const before = await snapshot();
    const bytes = readFileSync(ARCHIVE);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    const damaged = path.join(WORK, "damaged.tar.gz");
    writeFileSync(damaged, bytes);
    const refused = await cli("restore", "--from", damaged, "--yes");
    expect(refused.code).toBe(2);
    expect(refused.text).toContain("Nothing was changed");
    const unconfirmed = await cli("restore", "--from", ARCHIVE);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.text).toContain("--yes");
    expect(await snapshot()).toEqual(before);
  });
});
