/*
 * The figures an operator watches, read from the database when Prometheus scrapes: one entry per
 * figure, each a cheap count over an index, so any process (web or worker) can serve them and
 * they are right whichever process did the work. server/metrics.ts turns each into a gauge.
 *
 * To add a figure: append one `Figure` to FIGURES, or call `registerFigure` from the module that
 * owns the table.
 */

/** Runs one read-only statement; given by the process serving the metrics (its own pool). */
export type Query = <R = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;
export type Sample = { labels?: Record<string, string>; value: number };
export type Figure = {
  name: string;
  help: string;
  labelNames?: string[];
  read(query: Query): Promise<Sample[]>;
};

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** How many rows of `table` are in each of `statuses` (each count over the status index). */
function countsByStatus(table: string, statusType: string, statuses: string[]): Figure["read"] {
  const values = statuses.map((s) => `('${s}')`).join(", ");
  return async (query) => {
    const rows = await query<{ status: string; n: string }>(
      `SELECT s.status, (SELECT count(*) FROM "${table}" t WHERE t.status = s.status::"${statusType}") AS n
         FROM (VALUES ${values}) AS s(status)`,
    );
    return rows.map((r) => ({ labels: { status: r.status }, value: num(r.n) }));
  };
}

/** Seconds since the oldest PENDING row of `table` arrived (0 when none waits). */
function oldestPendingAge(table: string, since: string): Figure["read"] {
  return async (query) => {
    const [row] = await query<{ age: number | null }>(
      `SELECT extract(epoch FROM now() - min("${since}"))::float8 AS age
         FROM "${table}" WHERE status = 'PENDING'`,
    );
    return [{ value: num(row?.age) }];
  };
}

export const FIGURES: Figure[] = [
  {
    name: "kravportal_letters",
    help: "Letters waiting to leave (PENDING: nothing counts from them yet), and those that did not reach the resident (FAILED, RETURNED: their claims wait for staff).",
    labelNames: ["status"],
    // Notice(status, channel, nextAttemptAt)
    read: countsByStatus("Notice", "NoticeStatus", ["PENDING", "FAILED", "RETURNED"]),
  },
  {
    name: "kravportal_letters_oldest_pending_age_seconds",
    help: "Age of the oldest letter still waiting to leave (0 when none waits); paper waits for the afternoon's print batch.",
    read: oldestPendingAge("Notice", "createdAt"),
  },
  {
    name: "kravportal_outbox_messages",
    help: "Mail in the outbox by status (PENDING waits or is being retried; FAILED gave up and waits for a person).",
    labelNames: ["status"],
    // Outbox(status, nextAttemptAt)
    read: countsByStatus("Outbox", "OutboxStatus", ["PENDING", "FAILED"]),
  },
  {
    name: "kravportal_outbox_oldest_pending_age_seconds",
    help: "Age of the oldest mail still waiting to be sent (0 when none waits).",
    read: oldestPendingAge("Outbox", "createdAt"),
  },
  {
    name: "kravportal_outbox_retrying_messages",
    help: "Pending mail that has failed at least once and waits for its next attempt.",
    async read(query) {
      const [row] = await query<{ n: string }>(
        `SELECT count(*) AS n FROM "Outbox" WHERE status = 'PENDING' AND attempts > 0`,
      );
      return [{ value: num(row?.n) }];
    },
  },
  {
    name: "kravportal_webhook_events",
    help: "Provider callbacks stored but not yet processed (PENDING), or given up on (FAILED).",
    labelNames: ["status"],
    // WebhookEvent(status, receivedAt)
    read: countsByStatus("WebhookEvent", "WebhookStatus", ["PENDING", "FAILED"]),
  },
  {
    name: "kravportal_webhook_oldest_pending_age_seconds",
    help: "How long the oldest unprocessed provider callback has waited (0 when none waits): webhook lag.",
    read: oldestPendingAge("WebhookEvent", "receivedAt"),
  },
  {
    name: "kravportal_work_queue_items",
    help: "Items waiting for staff, by queue (all creditors).",
    labelNames: ["queue"],
    async read(query) {
      const [row] = await query<Record<string, string>>(
        `SELECT
           (SELECT count(*) FROM "Dispute" WHERE status = 'OPEN') AS disputes_open,
           (SELECT count(*) FROM "Dispute" WHERE status = 'INFO_PROVIDED') AS disputes_info_provided,
           (SELECT count(*) FROM "VulnerabilityFlag" WHERE "resolvedAt" IS NULL) AS vulnerability_flags,
           (SELECT count(*) FROM "Claim" WHERE stage = 'READY_FOR_ENFORCEMENT' AND status = 'OPEN') AS ready_for_enforcement,
           (SELECT count(*) FROM "PaymentPlan" WHERE status = 'REQUESTED') AS plan_requests,
           (SELECT count(*) FROM "StaffTask" WHERE status = 'OPEN') AS payment_tasks`,
      );
      return Object.entries(row ?? {}).map(([queue, n]) => ({ labels: { queue }, value: num(n) }));
    },
  },
  {
    name: "kravportal_jobs",
    help: "Background jobs in the worker's queue (graphile-worker), by task; failed: out of attempts.",
    labelNames: ["task", "state"],
    async read(query) {
      const [exists] = await query<{ ok: boolean }>(
        `SELECT to_regclass('graphile_worker.jobs') IS NOT NULL AS ok`,
      );
      if (!exists?.ok) return [];
      const rows = await query<{ task: string; waiting: string; failed: string }>(
        `SELECT task_identifier AS task,
                count(*) FILTER (WHERE attempts < max_attempts) AS waiting,
                count(*) FILTER (WHERE attempts >= max_attempts) AS failed
           FROM graphile_worker.jobs GROUP BY task_identifier`,
      );
      return rows.flatMap((r) => [
        { labels: { task: r.task, state: "waiting" }, value: num(r.waiting) },
        { labels: { task: r.task, state: "failed" }, value: num(r.failed) },
      ]);
    },
  },
  ...sweepFigures(),
];

/** The daily sweeps, from their SweepRun rows: runs, and the last run's duration, steps and fees. */
function sweepFigures(): Figure[] {
  type Last = {
    creditor: string;
    runs: string;
    unfinished: string;
    seconds: number | null;
    finished: number | null;
    summary: {
      examined?: number;
      steps?: Record<string, number>;
      fees?: { count?: number };
    } | null;
  };
  // A handful of creditors: one row each, the latest run by the (creditorId, asOf) unique index.
  const lastRuns = (query: Query) =>
    query<Last>(
      `SELECT c.slug AS creditor,
              (SELECT count(*) FROM "SweepRun" r WHERE r."creditorId" = c.id AND r."finishedAt" IS NOT NULL) AS runs,
              (SELECT count(*) FROM "SweepRun" r WHERE r."creditorId" = c.id AND r."finishedAt" IS NULL
                  AND r."startedAt" < now() - interval '1 hour') AS unfinished,
              extract(epoch FROM last."finishedAt" - last."startedAt")::float8 AS seconds,
              extract(epoch FROM last."finishedAt")::float8 AS finished,
              last.summary
         FROM "Creditor" c
         LEFT JOIN LATERAL (
           SELECT * FROM "SweepRun" r WHERE r."creditorId" = c.id AND r."finishedAt" IS NOT NULL
            ORDER BY r."asOf" DESC LIMIT 1) last ON true
        WHERE c."mergedAt" IS NULL`,
    );
  const perCreditor = (
    name: string,
    help: string,
    value: (row: Last) => number | null,
  ): Figure => ({
    name,
    help,
    labelNames: ["creditor"],
    async read(query) {
      return (await lastRuns(query)).flatMap((row) => {
        const v = value(row);
        return v === null ? [] : [{ labels: { creditor: row.creditor }, value: v }];
      });
    },
  });
  const sum = (counts: Record<string, number> | undefined) =>
    Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
  return [
    perCreditor("kravportal_sweep_runs", "Daily sweeps finished, per creditor.", (r) =>
      num(r.runs),
    ),
    perCreditor(
      "kravportal_sweep_stuck_runs",
      "Daily sweeps started over an hour ago and not finished (a crashed worker).",
      (r) => num(r.unfinished),
    ),
    perCreditor(
      "kravportal_sweep_last_duration_seconds",
      "How long the creditor's last daily sweep took.",
      (r) => r.seconds,
    ),
    perCreditor(
      "kravportal_sweep_last_finished_timestamp_seconds",
      "When the creditor's last daily sweep finished (Unix time): alert when over a day old.",
      (r) => r.finished,
    ),
    perCreditor(
      "kravportal_sweep_last_examined_claims",
      "Claims the last daily sweep looked at.",
      (r) => (r.summary ? num(r.summary.examined) : null),
    ),
    perCreditor(
      "kravportal_sweep_last_steps",
      "Escalation steps the last daily sweep took.",
      (r) => (r.summary ? sum(r.summary.steps) : null),
    ),
    perCreditor("kravportal_sweep_last_fees", "Fees the last daily sweep charged.", (r) =>
      r.summary ? num(r.summary.fees?.count) : null,
    ),
  ];
}

/** Adds a figure (e.g. from the module that owns its table); its name must be new. */
export function registerFigure(figure: Figure): void {
  if (FIGURES.some((f) => f.name === figure.name))
    throw new Error(`figure ${figure.name} is already registered`);
  FIGURES.push(figure);
}
