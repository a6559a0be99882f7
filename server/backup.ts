// `kravportal backup` (and `restore`, in restore.ts): the database and the files the portal keeps beside it, in
// one .tar.gz. The database is written with PostgreSQL's own COPY format, table by table from one
// consistent snapshot, with the migrations that made its schema; a restore rebuilds the schema
// from those migrations, loads the rows, sets the sequences, and then applies any newer
// migrations this release ships. See docs/decisions/0073-backup-with-copy-and-migrations.md.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { cp, mkdir, readdir, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import * as tar from "tar";

/**
 * Every directory of files the portal keeps, backed up and restored with the database. Letters
 * (LETTERS_DIR) join this list when they are stored.
 */
export const FILE_DIRECTORIES = [{ name: "attachments", setting: "ATTACHMENTS_DIR" }] as const;
export type DirectoryName = (typeof FILE_DIRECTORIES)[number]["name"];

export const FORMAT = "kravportal-backup";
export const VERSION = 1;
export const MIGRATIONS_DIR = path.resolve("prisma/migrations");

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

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function sha256(file: string): Promise<string> {
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

export async function tempDir(kind: string): Promise<string> {
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
