// What the web processes saw of an open-loop run, from their own Prometheus metrics
// (server/metrics.ts, one metrics port per process): how long their handlers took (the request
// histogram), how late their event loops ran (prom-client's event-loop delay, reset at each
// scrape), and requests waiting for a database connection. Beside the load generator's latency,
// which counts from each request's scheduled send time, it tells where a slow answer waited:
// in a handler, in a busy event loop before the handler ran, or outside the web processes.

type Scrape = {
  /** Request-duration bucket counts summed over routes: upper bound (s) -> cumulative count. */
  buckets: Map<number, number>;
  count: number;
  sum: number;
  loopP99: number;
  loopMax: number;
  poolWaiting: number;
  /** Garbage collection by kind (minor, major, incremental, weakcb): pauses and seconds. */
  gc: Map<string, { count: number; sum: number; within100: number }>;
};

const REQUEST = "kravportal_http_request_duration_seconds";
const GC = "kravportal_nodejs_gc_duration_seconds";

function value(line: string): number {
  return Number(line.slice(line.lastIndexOf(" ") + 1));
}

async function scrape(port: number): Promise<Scrape> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Scrape = {
    buckets: new Map(),
    count: 0,
    sum: 0,
    loopP99: 0,
    loopMax: 0,
    poolWaiting: 0,
    gc: new Map(),
  };
  const gcOf = (line: string) => {
    const kind = /kind="([^"]+)"/.exec(line)?.[1] ?? "?";
    let g = out.gc.get(kind);
    if (!g) out.gc.set(kind, (g = { count: 0, sum: 0, within100: 0 }));
    return g;
  };
  for (const line of text.split("\n")) {
    if (line.startsWith(`${REQUEST}_bucket{`)) {
      if (line.includes('route="/healthz"')) continue;
      const le = /le="([^"]+)"/.exec(line)?.[1];
      const bound = le === "+Inf" ? Infinity : Number(le);
      out.buckets.set(bound, (out.buckets.get(bound) ?? 0) + value(line));
    } else if (line.startsWith(`${REQUEST}_count{`) && !line.includes('route="/healthz"'))
      out.count += value(line);
    else if (line.startsWith(`${REQUEST}_sum{`) && !line.includes('route="/healthz"'))
      out.sum += value(line);
    else if (line.startsWith("kravportal_nodejs_eventloop_lag_p99_seconds"))
      out.loopP99 = value(line);
    else if (line.startsWith("kravportal_nodejs_eventloop_lag_max_seconds"))
      out.loopMax = value(line);
    else if (line.startsWith(`${GC}_count{`)) gcOf(line).count += value(line);
    else if (line.startsWith(`${GC}_sum{`)) gcOf(line).sum += value(line);
    // prom-client's buckets for these pauses are 1 ms, 10 ms, 100 ms, 1 s...
    else if (line.startsWith(`${GC}_bucket{`) && line.includes('le="0.1"'))
      gcOf(line).within100 += value(line);
    else if (line.startsWith('kravportal_db_pool_connections{pool="web",state="waiting"}'))
      out.poolWaiting = value(line);
  }
  return out;
}

/** The smallest bucket bound under which at least `q` of the requests finished, in ms. */
function quantileBound(before: Scrape, after: Scrape, q: number): number {
  const count = after.count - before.count;
  const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
  for (const b of bounds) {
    const within = (after.buckets.get(b) ?? 0) - (before.buckets.get(b) ?? 0);
    if (count > 0 && within >= q * count) return b * 1000;
  }
  return Infinity;
}

/** Call before a run (it also resets the event-loop figures); its result after the run. */
export async function watchWebProcesses(ports: number[]): Promise<() => Promise<string>> {
  const before = await Promise.all(ports.map(scrape));
  return async () => {
    const after = await Promise.all(ports.map(scrape));
    return ports
      .map((_, i) => {
        const a = before[i]!;
        const b = after[i]!;
        const n = b.count - a.count;
        const mean = n > 0 ? ((b.sum - a.sum) / n) * 1000 : 0;
        const over100 = n - ((b.buckets.get(0.1) ?? 0) - (a.buckets.get(0.1) ?? 0));
        const bound = (q: number) => {
          const ms = quantileBound(a, b, q);
          return Number.isFinite(ms) ? `<= ${ms}` : "> 10,000";
        };
        return (
          `web ${i + 1}: ${n} answered, handler mean ${mean.toFixed(1)} ms, p50 ${bound(0.5)}, ` +
          `p99 ${bound(0.99)} ms, ${over100} over 100 ms; event-loop delay p99 ` +
          `${(b.loopP99 * 1000).toFixed(0)} ms, max ${(b.loopMax * 1000).toFixed(0)} ms; ` +
          `waiting for a connection at the end: ${b.poolWaiting}\n` +
          `  garbage collection: ${gcLine(a, b)}`
        );
      })
      .join("\n");
  };
}

/** Each kind of collection during the run: how many, their time, and how many took over 100 ms. */
function gcLine(before: Scrape, after: Scrape): string {
  const parts: string[] = [];
  for (const [kind, g] of after.gc) {
    const a = before.gc.get(kind) ?? { count: 0, sum: 0, within100: 0 };
    const count = g.count - a.count;
    if (count === 0) continue;
    const over100 = count - (g.within100 - a.within100);
    parts.push(
      `${kind} ${count} (${((g.sum - a.sum) * 1000).toFixed(0)} ms` +
        `${over100 > 0 ? `, ${over100} over 100 ms` : ""})`,
    );
  }
  return parts.length > 0 ? parts.join(", ") : "none";
}
