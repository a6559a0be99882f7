import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client.ts";
import { env } from "./env.server";
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
    // A missing DATABASE_URL throws a SettingsError that names this process.
    // A connection that cannot be had within five seconds (the database is down or restarting)
    // fails the request with a clear error instead of holding it until the client gives up.
    pool = new pg.Pool({ connectionString: env().DATABASE_URL, connectionTimeoutMillis: 5_000 });
    // An idle connection the server ends (a restart, a failover, shutdown) must not take the
    // process down: the pool drops it and opens a new one for the next query.
    pool.on("error", (error) =>
      log.warn("idle database connection closed", { error: error.message }),
    );
  }
  return pool;
}

let readsPool: pg.Pool | undefined;

/**
 * The pool of the plain-SQL statements outside a transaction (app/infra/sql.server.ts: the
 * resident pages, the claim loader's page reads, and the session's read, whose statement also
 * writes its idle refresh: "reads" as in a page view's), each a named prepared statement planned
 * once per connection: its connections use the statement's generic plan every time
 * (`plan_cache_mode = force_generic_plan`). Left to choose, PostgreSQL kept planning the claim
 * loader's statement again for every page view (its custom plan looked a little cheaper for one
 * resident than the generic one): 1.25 ms of planning for 0.39 ms of execution (decision 0116).
 * A plan made with the tables small is made again after they are analysed. Prisma's statements and
 * every transaction stay on `pgPool()`, planned as PostgreSQL chooses.
 */
export function pgReadsPool(): pg.Pool {
  if (!readsPool) {
    readsPool = new pg.Pool({
      connectionString: env().DATABASE_URL,
      connectionTimeoutMillis: 5_000,
      options: "-c plan_cache_mode=force_generic_plan",
    });
    readsPool.on("error", (error) =>
      log.warn("idle database connection closed", { error: error.message }),
    );
  }
  return readsPool;
}

/**
 * Row values as Prisma's raw queries return them, for pg queries whose rows stand in for Prisma's:
 * a DATE as a midnight-UTC Date (pg would make it local midnight) and an int8 as a bigint (pg
 * would make it a string). Everything else pg parses as Prisma does.
 */
export const PRISMA_LIKE_TYPES = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pg.types.builtins.DATE) return (s: string) => new Date(`${s}T00:00:00.000Z`);
    if (oid === pg.types.builtins.INT8) return (s: string) => BigInt(s);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** A pg query written like Prisma's `$queryRaw`: each `${value}` becomes a bound parameter. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): pg.QueryConfig {
  return {
    text: strings.reduce((text, s, i) => `${text}$${i}${s}`),
    values,
    types: PRISMA_LIKE_TYPES,
  };
}

/** A pg query from its text with `$1`, `$2`... and their values, for text put together in parts. */
export function sqlText(text: string, values: unknown[]): pg.QueryConfig {
  return { text, values, types: PRISMA_LIKE_TYPES };
}

/** A Prisma transaction, or a pg connection in a transaction (the sweep's batches). */
export type Conn = Tx | pg.PoolClient;

/** The rows of an `sql` query, on either kind of connection. */
export async function rowsOf<T>(conn: Conn, query: pg.QueryConfig): Promise<T[]> {
  if ("$queryRawUnsafe" in conn) return conn.$queryRawUnsafe<T[]>(query.text, ...query.values!);
  return (await conn.query(query)).rows as T[];
}

/**
 * One transaction on a pooled pg connection, for the sweep's batches: Prisma's interactive
 * transaction spends more time building and reading a batch's rows than PostgreSQL spends
 * writing them. Rolled back when `fn` throws.
 */
export async function pgTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pgPool().connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (error) {
    // A connection that cannot even roll back is broken: destroy it rather than pool it.
    const broken = await client.query("ROLLBACK").then(
      () => undefined,
      (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
    );
    client.release(broken);
    throw error;
  }
}

/** How the pools are used, for the metrics (zeros before their first query). */
export function poolStats(): { total: number; idle: number; waiting: number } {
  const of = (p: pg.Pool | undefined) =>
    p
      ? { total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount }
      : { total: 0, idle: 0, waiting: 0 };
  const [a, b] = [of(pool), of(readsPool)];
  return { total: a.total + b.total, idle: a.idle + b.idle, waiting: a.waiting + b.waiting };
}

export async function disconnectDb(): Promise<void> {
  await client?.$disconnect();
  client = undefined;
  await pool?.end();
  pool = undefined;
  await readsPool?.end();
  readsPool = undefined;
}

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
