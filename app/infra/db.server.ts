import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client.ts";
import { log } from "./log.server";

let client: PrismaClient | undefined;
let pool: pg.Pool | undefined;

/** One pooled client per process, created on first use so importing this module connects to nothing. */
export function db(): PrismaClient {
  if (!client) client = new PrismaClient({ adapter: new PrismaPg(pgPool()) });
  return client;
}

/**
 * The connection pool under `db()`, for the few hot statements where Prisma's own work per query
 * is most of the cost (accepting a provider callback is one INSERT). Same connections, same
 * limits; everything else goes through `db()`.
 */
export function pgPool(): pg.Pool {
  if (!pool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set");
    pool = new pg.Pool({ connectionString: url });
    // An idle connection the server ends (a restart, a failover, shutdown) must not take the
    // process down: the pool drops it and opens a new one for the next query.
    pool.on("error", (error) =>
      log.warn("idle database connection closed", { error: error.message }),
    );
  }
  return pool;
}

export async function disconnectDb(): Promise<void> {
  await client?.$disconnect();
  client = undefined;
  await pool?.end();
  pool = undefined;
}

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
