// What PostgreSQL's backends were doing while a load ran, sampled from pg_stat_activity every
// 20 ms: for each statement seen running longer than 10 ms, on what it waited (a lock, I/O, the
// client, nothing: on CPU). Beside the web processes' handler times (bench/web-metrics.ts) it
// tells whether a slow answer's time went in the database, and how.
import type pg from "pg";

type Seen = { samples: number; longestMs: number };

/** Starts sampling on `client`; the returned function stops and describes what was seen. */
export function watchSlowStatements(client: pg.Client): () => Promise<string> {
  const seen = new Map<string, Seen>();
  let samples = 0;
  let stopped = false;
  const sampling = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ wait: string; query: string; ms: number }>(
        `SELECT COALESCE(wait_event_type || ':' || wait_event, 'on CPU') AS wait,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS query,
                (extract(epoch FROM clock_timestamp() - query_start) * 1000)::float8 AS ms
         FROM pg_stat_activity
         WHERE state = 'active' AND pid <> pg_backend_pid()
           AND clock_timestamp() - query_start > interval '10 milliseconds'`,
      );
      samples += 1;
      for (const r of rows) {
        const key = `${r.wait.padEnd(28)} ${r.query}`;
        const s = seen.get(key) ?? { samples: 0, longestMs: 0 };
        s.samples += 1;
        s.longestMs = Math.max(s.longestMs, r.ms);
        seen.set(key, s);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return async () => {
    stopped = true;
    await sampling;
    const top = [...seen.entries()].sort((a, b) => b[1].samples - a[1].samples).slice(0, 6);
    if (top.length === 0)
      return `database: no statement ran longer than 10 ms in ${samples} samples`;
    return [
      `database: statements running longer than 10 ms, in ${samples} samples (samples seen, longest):`,
      ...top.map(
        ([k, s]) =>
          `  ${String(s.samples).padStart(5)}  ${s.longestMs.toFixed(0).padStart(6)} ms  ${k}`,
      ),
    ].join("\n");
  };
}
