import type pg from "pg";
import { PRISMA_LIKE_TYPES, pgReadsPool, type Conn } from "./db.server";

/*
 * Plain SQL on the pool under Prisma, for the hot reads of the resident pages and the claim
 * loader, where Prisma's own work per statement (its query interpreter, one statement per
 * relation) is most of the cost. Values come back as Prisma returns them: DATE columns as
 * midnight-UTC Date objects (pg's own parser would read them in the process's local time zone),
 * int8 as BigInt, timestamptz as Date, json/jsonb parsed.
 */
const types = PRISMA_LIKE_TYPES;

// Each distinct statement text gets a name, so every pooled connection parses and plans it once
// (a prepared statement, on the reads pool with its generic plan) rather than on every page view.
// The texts are the code's own constants, so there are a few dozen at most.
const names = new Map<string, string>();
let named = 0;

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `kp_${++named}`));
  return name;
}

type Queryable = pg.Pool | pg.PoolClient;

async function prepared<T>(on: Queryable, text: string, values: unknown[]): Promise<T[]> {
  try {
    const result = await on.query({ name: nameOf(text), text, values, types });
    return result.rows as T[];
  } catch (error) {
    // A migration changed a table under a prepared `SELECT x.*` ("cached plan must not change
    // result type"): prepare it again under a new name, once.
    if ((error as { code?: string }).code !== "0A000") throw error;
    names.delete(text);
    const result = await on.query({ name: nameOf(text), text, values, types });
    return result.rows as T[];
  }
}

/** One parameterised statement on the shared pool; rows as objects. */
export async function sql<T>(text: string, values: unknown[]): Promise<T[]> {
  return prepared<T>(pgReadsPool(), text, values);
}

/**
 * One parameterised statement on a connection: a Prisma transaction, a pg connection in a
 * transaction, or (none given) the shared pool. On pg it is a named prepared statement.
 */
export async function query<T>(conn: Conn | undefined, text: string, values: unknown[]) {
  if (conn === undefined) return prepared<T>(pgReadsPool(), text, values);
  if ("$queryRawUnsafe" in conn) return conn.$queryRawUnsafe<T[]>(text, ...values);
  return prepared<T>(conn, text, values);
}
