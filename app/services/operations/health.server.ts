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
