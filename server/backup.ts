// `kravportal backup` and `restore`: the database and the files the portal keeps beside it, in
// one .tar.gz. The database is written with PostgreSQL's own COPY format, table by table from one
// consistent snapshot, with the migrations that made its schema; a restore rebuilds the schema
// from those migrations, loads the rows, sets the sequences, and then applies any newer
// migrations this release ships. See docs/decisions/0073-backup-with-copy-and-migrations.md.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import {
  cp,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import * as tar from "tar";
import { migrateDeploy } from "../prisma/engine/migrate.js";

/**
 * Every directory of files the portal keeps, backed up and restored with the database. Letters
 * (LETTERS_DIR) join this list when they are stored.
 */
export const FILE_DIRECTORIES = [{ name: "attachments", setting: "ATTACHMENTS_DIR" }] as const;
export type DirectoryName = (typeof FILE_DIRECTORIES)[number]["name"];

const FORMAT = "kravportal-backup";
const VERSION = 1;
const MIGRATIONS_DIR = path.resolve("prisma/migrations");

export type Manifest = {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  server: string;
  migrations: string[];
  tables: { name: string; rows: number; sha256: string }[];
  sequences: { name: string; value: string; called: boolean }[];
  directories: { name: string; files: { path: string; bytes: number; sha256: string }[] }[];
};

export class BackupError extends Error {}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

async function walk(dir: string, base = dir): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, base)));
    else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out.sort();
}

async function tempDir(kind: string): Promise<string> {
  // Under the project's .data, not /tmp: the same file system as the archive and the files.
  const dir = path.resolve(".data", `${kind}-${process.pid}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Writes the archive to `out` (via a temporary name, so a failed backup leaves no half file). */
export async function backup(opts: {
  databaseUrl: string;
  directories: Record<DirectoryName, string>;
  out: string;
}): Promise<Manifest> {
  const work = await tempDir("backup");
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  try {
    await mkdir(path.join(work, "database"));
    // One snapshot for every table: rows written meanwhile are either all in or all out.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const server = (await client.query<{ v: string }>("SELECT version() AS v")).rows[0]!.v;
    const migrations = (
      await client.query<{ m: string }>(
        `SELECT migration_name AS m FROM _prisma_migrations
          WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
      )
    ).rows.map((r) => r.m);
    const tables = (
      await client.query<{ t: string }>(
        "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      )
    ).rows.map((r) => r.t);
    const manifest: Manifest = {
      format: FORMAT,
      version: VERSION,
      createdAt: new Date().toISOString(),
      server,
      migrations,
      tables: [],
      sequences: [],
      directories: [],
    };
    for (const table of tables) {
      const file = path.join(work, "database", `${table}.copy`);
      const stream = client.query(copyTo(`COPY ${quote(table)} TO STDOUT`));
      await pipeline(stream, createWriteStream(file));
      manifest.tables.push({ name: table, rows: stream.rowCount, sha256: await sha256(file) });
    }
    manifest.sequences = (
      await client.query<{ name: string; value: string | null; called: boolean }>(
        `SELECT sequencename AS name, last_value::text AS value, last_value IS NOT NULL AS called
           FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`,
      )
    ).rows.map((s) => ({ name: s.name, value: s.value ?? "1", called: s.called }));
    await client.query("COMMIT");

    // The schema as these migrations made it: the restore replays exactly these.
    await mkdir(path.join(work, "migrations"));
    for (const name of migrations) {
      const source = path.join(MIGRATIONS_DIR, name);
      if (!existsSync(source))
        throw new BackupError(
          `The database has migration ${name}, which this release does not ship: back it up with the release that applied it.`,
        );
      await cp(source, path.join(work, "migrations", name), { recursive: true });
    }
    await cp(
      path.join(MIGRATIONS_DIR, "migration_lock.toml"),
      path.join(work, "migrations", "migration_lock.toml"),
    );

    // Files after the snapshot: a file written meanwhile is in without its row (harmless).
    await mkdir(path.join(work, "files"));
    for (const { name } of FILE_DIRECTORIES) {
      const dir = path.resolve(opts.directories[name]);
      const files = [];
      for (const rel of await walk(dir)) {
        const full = path.join(dir, rel);
        files.push({ path: rel, bytes: (await stat(full)).size, sha256: await sha256(full) });
      }
      manifest.directories.push({ name, files });
      if (existsSync(dir)) await symlink(dir, path.join(work, "files", name));
      else await mkdir(path.join(work, "files", name));
    }
    await writeFile(path.join(work, "manifest.json"), JSON.stringify(manifest, null, 2));

    const partial = `${opts.out}.partial`;
    await mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
    await tar.create({ gzip: true, file: partial, cwd: work, follow: true, portable: true }, [
      "manifest.json",
      "database",
      "migrations",
      "files",
    ]);
    await rename(partial, opts.out);
    return manifest;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    await rm(`${opts.out}.partial`, { force: true });
    throw error;
  } finally {
    await client.end();
    await rm(work, { recursive: true, force: true });
  }
}

/** Unpacks and checks an archive: every table and file present with the checksum it was made with. */
async function unpack(file: string, work: string): Promise<Manifest> {
  try {
    await tar.extract({ file, cwd: work, strict: true });
  } catch (error) {
    throw new BackupError(`${file} is not a readable backup archive: ${String(error)}`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(work, "manifest.json"), "utf8")) as Manifest;
  } catch {
    throw new BackupError(`${file} has no readable manifest.json: not a Kravportal backup.`);
  }
  if (manifest.format !== FORMAT || manifest.version !== VERSION)
    throw new BackupError(`${file} is not a Kravportal backup of format version ${VERSION}.`);
  for (const t of manifest.tables) {
    const f = path.join(work, "database", `${t.name}.copy`);
    if (!existsSync(f) || (await sha256(f)) !== t.sha256)
      throw new BackupError(`${file}: table ${t.name} is missing or damaged.`);
  }
  for (const d of manifest.directories) {
    for (const f of d.files) {
      const full = path.join(work, "files", d.name, f.path);
      if (!existsSync(full) || (await sha256(full)) !== f.sha256)
        throw new BackupError(`${file}: file ${d.name}/${f.path} is missing or damaged.`);
    }
  }
  for (const m of manifest.migrations) {
    const shipped = path.join(MIGRATIONS_DIR, m, "migration.sql");
    if (!existsSync(shipped))
      throw new BackupError(
        `${file} was made by a newer release (migration ${m} is not in this one): restore it with that release.`,
      );
    const archived = path.join(work, "migrations", m, "migration.sql");
    if ((await readFile(shipped, "utf8")) !== (await readFile(archived, "utf8")))
      throw new BackupError(`${file}: migration ${m} differs from this release's.`);
  }
  return manifest;
}

/** Tables in an order that loads every referenced row before the rows referring to it. */
async function loadOrder(client: pg.Client, tables: string[]): Promise<string[]> {
  const edges = (
    await client.query<{ child: string; parent: string }>(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = 'public' AND c.conrelid <> c.confrelid`,
    )
  ).rows.map((e) => ({
    child: e.child.replace(/^"|"$/g, ""),
    parent: e.parent.replace(/^"|"$/g, ""),
  }));
  const done: string[] = [];
  const remaining = new Set(tables);
  while (remaining.size > 0) {
    const ready = [...remaining].filter((t) =>
      edges.every((e) => e.child !== t || !remaining.has(e.parent)),
    );
    if (ready.length === 0)
      throw new BackupError("foreign keys form a cycle; cannot order the load");
    for (const t of ready.sort()) {
      done.push(t);
      remaining.delete(t);
    }
  }
  return done;
}

/**
 * Replaces the database and the file directories with the archive's. Refuses, changing nothing,
 * an archive that is damaged or from a newer release, and a database other clients are using.
 */
export async function restore(opts: {
  databaseUrl: string;
  directories: Record<DirectoryName, string>;
  from: string;
}): Promise<Manifest> {
  if (!existsSync(opts.from)) throw new BackupError(`${opts.from} does not exist.`);
  const work = await tempDir("restore");
  try {
    const manifest = await unpack(opts.from, work);
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    await client.connect();
    try {
      const others = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      if (Number(others.rows[0]!.n) > 0)
        throw new BackupError(
          `${others.rows[0]!.n} other connection(s) use this database: stop the portal and its workers first.`,
        );
      await client.query("DROP SCHEMA IF EXISTS graphile_worker CASCADE");
      await client.query("DROP SCHEMA public CASCADE");
      await client.query("CREATE SCHEMA public");
    } finally {
      await client.end();
    }
    // The schema exactly as the archive's migrations made it.
    await writeFile(
      path.join(work, "prisma.config.ts"),
      `export default { schema: ${JSON.stringify(path.resolve("prisma/schema.prisma"))}, migrations: { path: "migrations" }, datasource: { url: process.env.DATABASE_URL ?? "" } };\n`,
    );
    await migrateDeploy({ databaseUrl: opts.databaseUrl, cwd: work });

    const load = new pg.Client({ connectionString: opts.databaseUrl });
    await load.connect();
    try {
      await load.query("BEGIN");
      await load.query("TRUNCATE _prisma_migrations");
      const names = manifest.tables.map((t) => t.name);
      for (const table of await loadOrder(load, names)) {
        const file = path.join(work, "database", `${table}.copy`);
        await pipeline(
          createReadStream(file),
          load.query(copyFrom(`COPY ${quote(table)} FROM STDIN`)),
        );
      }
      for (const s of manifest.sequences) {
        await load.query("SELECT setval($1::regclass, $2::bigint, $3)", [
          quote(s.name),
          s.value,
          s.called,
        ]);
      }
      await load.query("COMMIT");
    } catch (error) {
      await load.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      await load.end();
    }

    // Files: the archive's copy in beside the old, then swapped, so a failure leaves the old.
    for (const { name } of FILE_DIRECTORIES) {
      const dir = path.resolve(opts.directories[name]);
      const incoming = `${dir}.restoring-${process.pid}`;
      await rm(incoming, { recursive: true, force: true });
      await cp(path.join(work, "files", name), incoming, { recursive: true });
      const old = `${dir}.replaced-${process.pid}`;
      if (existsSync(dir)) await rename(dir, old);
      await rename(incoming, dir);
      await rm(old, { recursive: true, force: true });
    }

    // A release newer than the archive: its own migrations on top.
    await migrateDeploy({ databaseUrl: opts.databaseUrl });
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
