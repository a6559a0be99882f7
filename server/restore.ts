// `kravportal restore`: checks an archive made by `backup` (backup.ts) before it touches
// anything, then rebuilds the schema from the archive's migrations, loads the rows, sets the
// sequences, swaps the file directories in, and applies this release's newer migrations.
import { createReadStream, existsSync } from "node:fs";
import { cp, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import * as tar from "tar";
import { migrateDeploy } from "../prisma/engine/migrate.js";
import {
  BackupError,
  FILE_DIRECTORIES,
  FORMAT,
  MIGRATIONS_DIR,
  quote,
  sha256,
  tempDir,
  VERSION,
  type DirectoryName,
  type Manifest,
} from "./backup.ts";

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
