import { readdirSync } from "node:fs";
import path from "node:path";
import { db } from "~/infra/db.server";

/**
 * Whether the database answers within `timeoutMs`. A database that is shutting down, restarting
 * or unreachable is "no" quickly, never a request left hanging.
 */
export async function checkDatabase(timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      db().$queryRaw`SELECT 1`.then(() => true).catch(() => false),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export type Readiness = { ready: boolean; database: boolean; pendingMigrations: string[] };

/** The migrations this release ships: one folder each under prisma/migrations. */
export function shippedMigrations(dir = path.resolve("prisma/migrations")): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * Readiness: the database answers and every migration this release ships is applied (a release
 * started before `migrate deploy` finished must not take traffic).
 */
export async function checkReadiness(shipped = shippedMigrations()): Promise<Readiness> {
  let applied: string[];
  try {
    const rows = await db().$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    applied = rows.map((r) => r.migration_name);
  } catch {
    const database = await checkDatabase();
    return { ready: false, database, pendingMigrations: database ? shipped : [] };
  }
  const pendingMigrations = shipped.filter((m) => !applied.includes(m));
  return { ready: pendingMigrations.length === 0, database: true, pendingMigrations };
}
