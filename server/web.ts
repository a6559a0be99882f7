import { existsSync, readdirSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import pg from "pg";
import { env } from "../app/infra/env.server.ts";
import { log } from "../app/infra/log.server.ts";
import { cspNonce, originCheck, securityHeaders } from "../app/infra/security.server.ts";
import { createGate, type GateEntry } from "./input-gate.ts";

// As many files as a dispute takes (MAX_FILES in app/services/disputes/attachments.server.ts).
const UPLOAD_MAX_FILES = 5;
import { sharedLimiter } from "./rate-limit.ts";
import {
  requestMetrics,
  routePatterns,
  serveFigures,
  startMetricsServer,
  watchPool,
} from "./metrics.ts";

const MACHINE_PREFIXES = ["/api/", "/webhooks/"];

/** What app/entry.server.tsx exports besides Remix's own handler. */
type EntryExports = GateEntry & {
  acceptStripeWebhook(raw: string, signature: string | null): Promise<{ status: 200 | 400 }>;
  disconnectDb(): Promise<void>;
  poolStats(): { total: number; idle: number; waiting: number };
};

/** The web process: security middleware, rate limits, static files and the Remix app. */
export async function startWeb(
  opts: { buildDir?: string; metrics?: boolean } = {},
): Promise<Server> {
  const config = env();
  const buildDir = path.resolve(opts.buildDir ?? "build");
  const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);
  // Every request is timed by its route pattern, callbacks included; served on the metrics port.
  app.use(requestMetrics(routePatterns(build.routes, ["/webhooks/stripe"])));

  // Stripe's callbacks first, ahead of pages, sessions and limits: the signature over the raw
  // body is their authentication, and a burst of them must be answered fast (see bench/webhooks).
  const entry = build.entry.module as unknown as EntryExports;
  const { acceptStripeWebhook, disconnectDb, poolStats } = entry;
  const gate = createGate(entry, {
    uploadMaxBytes: config.UPLOAD_MAX_BYTES,
    maxFiles: UPLOAD_MAX_FILES,
  });
  app.post(
    "/webhooks/stripe",
    express.raw({ type: () => true, limit: "1mb" }),
    (req, res, next) => {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
      acceptStripeWebhook(raw, req.get("Stripe-Signature") ?? null).then(({ status }) => {
        res
          .status(status)
          .set("Cache-Control", "no-store")
          .type("text/plain")
          .send(status === 200 ? "ok" : "invalid signature");
      }, next);
    },
  );
  app.all("/webhooks/stripe", (_req, res) => {
    res.status(405).set("Allow", "POST").type("text/plain").send("Method Not Allowed");
  });
  app.use(cspNonce, securityHeaders());
  // Before anything reads the address: a malformed escape or a control character is a 400 here.
  app.use(gate.checkAddress);
  // Brotli or gzip, as the browser accepts, for pages, styles and scripts (a phone on a slow network pays for every byte; see
  // bench/lcp.ts). Registered after the provider callbacks, which it never touches; an event
  // stream, should one appear, is left alone so it is not held back in a buffer.
  app.use(
    compression({
      filter: (req, res) =>
        !String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream") &&
        compression.filter(req, res),
    }),
  );

  app.use(
    "/assets",
    express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }),
  );
  // The other public files (favicon, robots.txt): the static handler asks the file system about
  // every path it sees, so only paths under a name the build's client folder holds reach it,
  // not every page view. The folder is the build's, fixed from start to stop.
  const clientDir = path.join(buildDir, "client");
  const publicNames = new Set(existsSync(clientDir) ? readdirSync(clientDir) : []);
  const publicFiles = express.static(clientDir, { maxAge: "1h" });
  app.use((req, res, next) => {
    const first = req.path.split("/")[1] ?? "";
    let name: string | null;
    try {
      name = decodeURIComponent(first);
    } catch {
      name = null; // a malformed escape
    }
    // A public name, an escaped name or a malformed one: the static handler answers, as before.
    return name === null || name !== first || publicNames.has(name)
      ? publicFiles(req, res, next)
      : next();
  });

  app.use(originCheck(config.PUBLIC_URL, MACHINE_PREFIXES));
  // Limits are counted in PostgreSQL, so they hold across every web process and restart; a few
  // connections of their own keep them off the pages' pool.
  // Every request of one client counts in the same row: with a synchronous commit each count
  // held that row's lock until its WAL reached disk, so a client's requests went one flush at a
  // time (decision 0108). A count lost in a crash costs nothing; it is committed asynchronously.
  const limitsPool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: 4,
    options: "-c synchronous_commit=off",
  });
  limitsPool.on("error", (error) =>
    log.warn("rate-limit connection closed", { error: error.message }),
  );
  watchPool("web", poolStats);
  watchPool("rate-limits", limitsPool);
  const metricsPool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
  metricsPool.on("error", (error) =>
    log.warn("metrics connection closed", { error: error.message }),
  );
  serveFigures(metricsPool);
  const metricsPort = config.METRICS_PORT ?? config.PORT + 6464;
  const metricsServer =
    opts.metrics === false || metricsPort === 0
      ? null
      : await startMetricsServer({ port: metricsPort, host: config.METRICS_HOST });
  const limiter = (name: string, perMinute: number, message: string) =>
    sharedLimiter(limitsPool, name, perMinute, message);
  const login = config.RATE_LIMIT_LOGIN_PER_MINUTE;
  app.use(
    "/api/",
    limiter("api", config.RATE_LIMIT_API_PER_MINUTE, "API rate limit reached; retry later."),
  );
  app.post("/login", limiter("login", login, "Too many login attempts."));
  // One count for both ways in: password sign-in and the start of a sign-in through the staff IdP.
  app.post(
    ["/staff/login", "/staff/login/oidc"],
    limiter("staff-login", login, "Too many login attempts."),
  );
  app.get("/staff/auth/callback", limiter("staff-callback", login, "Too many login attempts."));
  app.get("/auth/callback", limiter("eid-callback", login, "Too many login attempts."));
  // Residents' form posts. Machine callers have their own rules: API keys with the API limit,
  // provider webhooks with their signatures (a burst of them is normal, not an attack).
  const postLimit = limiter(
    "post",
    config.RATE_LIMIT_POST_PER_MINUTE,
    "Too many requests; wait a minute.",
  );
  app.post("*", (req, res, next) =>
    MACHINE_PREFIXES.some((p) => req.path.startsWith(p)) ? next() : postLimit(req, res, next),
  );

  // After the Origin check and the limits, so nothing foreign or excessive is parsed at all.
  app.use(gate.admitBody);
  app.all("*", gate.remix(build, config.NODE_ENV));

  return await new Promise((resolve) => {
    const server = app.listen(config.PORT, config.HOST, () => {
      log.info("web listening", { url: config.PUBLIC_URL });
      resolve(server);
    });
    // The build has its own copy of the database module, and so its own pool: end it with the
    // server, or its idle connections outlive it (and die noisily when the database stops).
    server.on("close", () => {
      void disconnectDb();
      void limitsPool.end();
      void metricsPool.end();
      metricsServer?.close();
    });
  });
}
