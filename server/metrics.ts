// Prometheus metrics (prom-client) for the operator: served on a listener of their own
// (METRICS_HOST:METRICS_PORT, loopback by default), never on the public port. Per process:
// requests by route, the process's own figures and its connection pools; from the database at
// scrape time: the outbox, webhook lag, the work queues, the job queue and the daily sweeps.
import { createServer, type Server } from "node:http";
import type { RequestHandler } from "express";
import type pg from "pg";
import client from "prom-client";
import { FIGURES, type Query } from "../app/services/operations/figures.server.ts";
import { log } from "../app/infra/log.server.ts";

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: "kravportal_" });

const requests = new client.Histogram({
  name: "kravportal_http_request_duration_seconds",
  help: "Time to answer a request, by method, route pattern and status class.",
  labelNames: ["method", "route", "status"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

type PoolStats = () => { total: number; idle: number; waiting: number };
const pools = new Map<string, PoolStats>();
new client.Gauge({
  name: "kravportal_db_pool_connections",
  help: "Database connections of this process's pools: in use, idle, and requests waiting for one.",
  labelNames: ["pool", "state"],
  registers: [registry],
  collect() {
    this.reset();
    for (const [pool, stats] of pools) {
      const s = stats();
      this.set({ pool, state: "in_use" }, s.total - s.idle);
      this.set({ pool, state: "idle" }, s.idle);
      this.set({ pool, state: "waiting" }, s.waiting);
    }
  },
});

/** Reports a connection pool's use under `name`. */
export function watchPool(name: string, pool: pg.Pool | PoolStats): void {
  pools.set(
    name,
    typeof pool === "function"
      ? pool
      : () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  );
}

let figuresQuery: Query | undefined;
let figuresRegistered = false;

/** Serves the database figures (figures.server.ts), read through `pool` at each scrape. */
export function serveFigures(pool: pg.Pool): void {
  figuresQuery = async <R>(text: string, values?: unknown[]) =>
    (await pool.query(text, values)).rows as R[];
  if (figuresRegistered) return;
  figuresRegistered = true;
  for (const figure of FIGURES) {
    new client.Gauge({
      name: figure.name,
      help: figure.help,
      labelNames: figure.labelNames ?? [],
      registers: [registry],
      async collect() {
        if (!figuresQuery) return;
        this.reset();
        try {
          for (const s of await figure.read(figuresQuery)) {
            if (s.labels) this.set(s.labels, s.value);
            else this.set(s.value);
          }
        } catch (error) {
          // A scrape during a database outage shows the outage, not a broken endpoint.
          scrapeErrors.inc({ figure: figure.name });
          log.warn("metrics figure failed", { figure: figure.name, error: String(error) });
        }
      },
    });
  }
}

const scrapeErrors = new client.Counter({
  name: "kravportal_metrics_figure_errors_total",
  help: "Database figures that could not be read at a scrape (the database was unreachable).",
  labelNames: ["figure"],
  registers: [registry],
});

/** A matcher from a path to its route pattern, from the Remix build's routes. */
export function routePatterns(
  routes: Record<string, { id: string; parentId?: string; path?: string }>,
  extra: string[] = [],
): (path: string) => string {
  const full = (id: string | undefined): string => {
    const r = id ? routes[id] : undefined;
    if (!r) return "";
    const parent = full(r.parentId);
    return r.path ? `${parent}/${r.path}`.replace(/\/+/g, "/") : parent;
  };
  const patterns = [...new Set([...Object.keys(routes).map((id) => full(id) || "/"), ...extra])];
  const compiled = patterns
    .map((pattern) => {
      const parts = pattern.split("/").filter(Boolean);
      const source = parts
        .map((p) =>
          p === "*"
            ? "/.*"
            : p.startsWith(":")
              ? "/[^/]+"
              : `/${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
        )
        .join("");
      // Static segments first, then parameters, then splats: the most specific pattern wins.
      const score = parts.reduce((n, p) => n * 3 + (p === "*" ? 0 : p.startsWith(":") ? 1 : 2), 1);
      return { pattern, regex: new RegExp(`^${source || "/"}/?$`), score, depth: parts.length };
    })
    .sort((a, b) => b.depth - a.depth || b.score - a.score);
  return (path) => {
    if (path.startsWith("/assets/")) return "/assets/*";
    return compiled.find((c) => c.regex.test(path))?.pattern ?? "unmatched";
  };
}

/** Times every request, labelled by its route pattern (never the raw path: ids would explode it). */
export function requestMetrics(routeOf: (path: string) => string): RequestHandler {
  return (req, res, next) => {
    const end = requests.startTimer();
    res.once("finish", () => {
      end({
        method: req.method,
        route: routeOf(req.path),
        status: `${Math.floor(res.statusCode / 100)}xx`,
      });
    });
    next();
  };
}

/**
 * The metrics listener: GET /metrics in Prometheus's text format. A port already taken is
 * logged and left: metrics must never stop the portal from starting.
 */
export async function startMetricsServer(opts: {
  port: number;
  host: string;
}): Promise<Server | null> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found; see /metrics");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "Content-Type": registry.contentType }).end(text),
      (error: unknown) => {
        log.error("metrics failed", { error: String(error) });
        res.writeHead(500, { "Content-Type": "text/plain" }).end("metrics failed");
      },
    );
  });
  return await new Promise((resolve) => {
    const failed = (error: unknown) => {
      log.error("metrics listener did not start", { port: opts.port, error: String(error) });
      resolve(null);
    };
    server.once("error", failed);
    try {
      server.listen(opts.port, opts.host, () => {
        log.info("metrics listening", { url: `http://${opts.host}:${opts.port}/metrics` });
        resolve(server);
      });
    } catch (error) {
      failed(error); // a port out of range (a PORT near the top, plus the default offset)
    }
  });
}
