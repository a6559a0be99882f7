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
 * meanwhile. Two recounts run one after the other (PostgreSQL's own lock on the view), so a
 * recount asked for after a change always includes it.
 */
export async function recountFigures(): Promise<void> {
  await pgPool().query(`REFRESH MATERIALIZED VIEW CONCURRENTLY "FigureMonth"`);
}
