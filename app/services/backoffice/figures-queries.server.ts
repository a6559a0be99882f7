import { quickAddJob } from "graphile-worker";
import { pgPool } from "~/infra/db.server";
import { log } from "~/infra/log.server";
import { query } from "~/infra/sql.server";

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

/** The session lock a recount holds while it runs (two ints: shown in pg_locks as classid/objid). */
const RECOUNT_LOCK = [104_104, 1] as const;

/**
 * Counts every creditor's figures again. Concurrently: the page reads the previous count
 * meanwhile. Run by the worker (hourly, and when a supervisor asks); one at a time: while one
 * runs (it holds a session lock), another is not started and returns false.
 */
export async function recountFigures(): Promise<boolean> {
  const client = await pgPool().connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock($1, $2) AS ok`,
      [...RECOUNT_LOCK],
    );
    if (!rows[0]?.ok) return false;
    try {
      await client.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY "FigureMonth"`);
      return true;
    } finally {
      await client.query(`SELECT pg_advisory_unlock($1, $2)`, [...RECOUNT_LOCK]);
    }
  } finally {
    client.release();
  }
}

/** The worker's queue exists (a worker has run against this database). */
async function queueExists(): Promise<boolean> {
  const [row] = await query<{ ok: boolean }>(
    undefined,
    `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'graphile_worker') AS ok`,
    [],
  );
  return row?.ok ?? false;
}

/**
 * Whether a recount is under way: one runs now (its lock is held), or one waits in the worker's
 * queue (asked for, not failed for good).
 */
export async function recountUnderWay(): Promise<boolean> {
  const [running] = await query<{ ok: boolean }>(
    undefined,
    `SELECT EXISTS (SELECT 1 FROM pg_locks
                     WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2
                       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   ) AS ok`,
    [...RECOUNT_LOCK],
  );
  if (running?.ok) return true;
  if (!(await queueExists())) return false;
  const [queued] = await query<{ ok: boolean }>(
    undefined,
    `SELECT EXISTS (SELECT 1 FROM graphile_worker.jobs
                     WHERE task_identifier = 'figures' AND attempts < max_attempts) AS ok`,
    [],
  );
  return queued?.ok ?? false;
}

/**
 * A supervisor's "Count again now": handed to the worker (its `figures` task), never counted in
 * the request. Nothing is added while a recount is under way. Without a worker's queue (none has
 * run against this database yet) the recount is started in this process, not awaited.
 */
export async function requestRecount(): Promise<"queued" | "under_way"> {
  if (await recountUnderWay()) return "under_way";
  if (await queueExists()) {
    // The job key folds two requests at once into one waiting job.
    await quickAddJob({ pgPool: pgPool() }, "figures", {}, { jobKey: "figures" });
  } else {
    void recountFigures().catch((error: unknown) =>
      log.warn("figures recount failed", { error: String(error) }),
    );
  }
  return "queued";
}
