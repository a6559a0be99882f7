import pg from "pg";
import { pgPool } from "./db.server";

/*
 * Plain SQL on the pool under Prisma, for the hot reads of the resident pages, where Prisma's own
 * work per statement (its query interpreter, one statement per relation) is most of the cost.
 * Values come back as Prisma returns them: DATE columns as midnight-UTC Date objects (pg's own
 * parser would read them in the process's local time zone), int8 as BigInt, timestamptz as Date,
 * json/jsonb parsed.
 */
const DATE_OID = 1082;
const INT8_OID = 20;

const parseDate = (value: string) => new Date(`${value}T00:00:00.000Z`);
const parseInt8 = (value: string) => BigInt(value);

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === DATE_OID) return parseDate;
    if (oid === INT8_OID) return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** One parameterised statement on the shared pool; rows as objects. */
export async function sql<T>(text: string, values: unknown[]): Promise<T[]> {
  const result = await pgPool().query({ text, values, types });
  return result.rows as T[];
}

/** A DATE as it comes inside json: 'YYYY-MM-DD', read as Prisma reads the column. */
export const jsonDate = (value: string): Date => parseDate(value);
export const jsonOptionalDate = (value: string | null): Date | null =>
  value === null ? null : parseDate(value);
