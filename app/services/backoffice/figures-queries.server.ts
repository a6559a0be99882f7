import { query } from "~/infra/sql.server";
import { pgPool } from "~/infra/db.server";

/*
 * The figures page's reads and the recount (docs/decisions/0104). The counting itself is the
 * materialized view "FigureMonth" (migration 20261209100000_figures): one row per creditor, claim
 * type (the nil uuid for all types together), month, figure and key. Reading one creditor's months
 * is an index range scan of that view; recounting reads the event log, letters, charges, plans and
 * objections once for every creditor. Timings at scale: bench/explain.ts, docs/benchmarks.md.
 */

export const ALL_TYPES = "00000000-0000-0000-0000-000000000000";

export type FigureMonthRow = {
  month: string;
  figure: string;
  key: string;
  n: number;
  amount: string;
  base: string;
  median: number | null;
};

/** One creditor's counted months from `fromMonth` (YYYY-MM) on, for one claim type or all. */
export async function figureMonths(
  creditorId: string,
  claimTypeId: string | null,
  fromMonth: string,
) {
  return query<FigureMonthRow>(
    undefined,
    `SELECT month, figure, key, n, amount::text, base::text, median
       FROM "FigureMonth"
      WHERE "creditorId" = $1::uuid AND "claimTypeId" = $2::uuid AND month >= $3`,
    [creditorId, claimTypeId ?? ALL_TYPES, fromMonth],
  );
}

/** When the figures were last counted (null before the first count). */
export async function figuresCountedAt(): Promise<Date | null> {
  const [row] = await query<{ at: Date | null }>(
    undefined,
    `SELECT max("countedAt") AS at FROM "FigureMonth"`,
    [],
  );
  return row?.at ?? null;
}

/**
 * Counts every creditor's figures again. Concurrently: the page reads the previous count
 * meanwhile. One recount at a time (an advisory lock); a second caller waits for it and returns.
 */
export async function recountFigures(): Promise<void> {
  const client = await pgPool().connect();
  try {
    const got = await client.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext('kravportal:figures')) AS ok`,
    );
    if (!got.rows[0]?.ok) {
      // Someone else is counting: wait for them, then their count is ours.
      await client.query(`SELECT pg_advisory_lock(hashtext('kravportal:figures'))`);
    } else {
      await client.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY "FigureMonth"`);
    }
    await client.query(`SELECT pg_advisory_unlock(hashtext('kravportal:figures'))`);
  } finally {
    client.release();
  }
}
