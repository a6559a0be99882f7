import { PRISMA_LIKE_TYPES, pgPool } from "./db.server";

/*
 * Plain SQL on the pool under Prisma, for the hot reads of the resident pages, where Prisma's own
 * work per statement (its query interpreter, one statement per relation) is most of the cost.
 * Values come back as Prisma returns them: DATE columns as midnight-UTC Date objects (pg's own
 * parser would read them in the process's local time zone), int8 as BigInt, timestamptz as Date,
 * json/jsonb parsed.
 */
const types = PRISMA_LIKE_TYPES;
const parseDate = (value: string) => new Date(`${value}T00:00:00.000Z`);

// Each distinct statement text gets a name, so every pooled connection parses and plans it once
// (a prepared statement) rather than on every page view. The texts are the code's own constants,
// so there are a few dozen at most.
const names = new Map<string, string>();
let named = 0;

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `kp_${++named}`));
  return name;
}

/** One parameterised statement on the shared pool; rows as objects. */
export async function sql<T>(text: string, values: unknown[]): Promise<T[]> {
  try {
    const result = await pgPool().query({ name: nameOf(text), text, values, types });
    return result.rows as T[];
  } catch (error) {
    // A migration changed a table under a prepared `SELECT x.*` ("cached plan must not change
    // result type"): prepare it again under a new name, once.
    if ((error as { code?: string }).code !== "0A000") throw error;
    names.delete(text);
    const result = await pgPool().query({ name: nameOf(text), text, values, types });
    return result.rows as T[];
  }
}

/** A DATE as it comes inside json: 'YYYY-MM-DD', read as Prisma reads the column. */
export const jsonDate = (value: string): Date => parseDate(value);
export const jsonOptionalDate = (value: string | null): Date | null =>
  value === null ? null : parseDate(value);
