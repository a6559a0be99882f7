// `npm run worker`: the background worker as its own process (npm start runs it as a supervised
// child, server/supervisor.ts). Reads the same environment as the web process.
//
// A database outage must never leave a worker that looks alive but does nothing. Starting, it
// waits for the database with back-off (1 s doubling to 30 s, each failure logged). Once running,
// anything that stops the queue (graphile-worker's cron fails its minute when the database goes
// away, and its runner then stops) ends the process with a clear message and exit code 1, so
// whatever runs it (npm start's supervisor, systemd, Kubernetes) starts a fresh one, which waits
// for the database again. Jobs live in the database, so nothing is lost in between.
import pg from "pg";
import { env, requireSettings, WORKER_SETTINGS } from "../../app/infra/env.server.ts";
import { log } from "../../app/infra/log.server.ts";
import { disconnectDb, pgPool } from "../../app/infra/db.server.ts";
import { serveFigures, startMetricsServer, watchPool } from "../metrics.ts";
import { startWorker } from "./worker.ts";

requireSettings("the worker (npm run worker)", WORKER_SETTINGS);
const config = env();
let stopping = false;

function fail(what: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  log.error(`worker stopped: ${what}`, { error: message });
  process.exit(1);
}
// graphile-worker rejects promises of its own nobody awaits when its cron or pool fails.
process.on("unhandledRejection", (error) => {
  if (!stopping) fail("the queue failed (database unavailable?)", error);
});
process.on("uncaughtException", (error) => fail("unexpected error", error));

async function startWhenReachable() {
  for (let delay = 1_000; ; delay = Math.min(delay * 2, 30_000)) {
    try {
      return await startWorker({
        databaseUrl: config.DATABASE_URL,
        publicUrl: config.PUBLIC_URL,
        smtpUrl: config.SMTP_URL,
        mailFrom: config.MAIL_FROM,
        sweepHour: Number(process.env.SWEEP_HOUR ?? 6),
        printHour: config.PRINT_HOUR,
        sendLetters: config.LETTERS_SENT_BY === "worker",
      });
    } catch (error) {
      log.warn("worker cannot start yet; retrying", {
        error: error instanceof Error ? error.message : String(error),
        retryInSeconds: delay / 1000,
      });
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

const worker = await startWhenReachable();
log.info("worker running");
worker.promise.catch((error: unknown) => {
  if (!stopping) fail("the queue stopped (database unavailable?)", error);
});

// A worker on its own serves its figures on its own metrics port (PORT + 6465 unless set).
watchPool("worker", pgPool());
const metricsPool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
metricsPool.on("error", (error) => log.warn("metrics connection closed", { error: error.message }));
serveFigures(metricsPool);
const metricsPort = config.METRICS_PORT ?? config.PORT + 6465;
const metrics =
  metricsPort === 0
    ? null
    : await startMetricsServer({ port: metricsPort, host: config.METRICS_HOST });

async function stop() {
  if (stopping) return;
  stopping = true;
  await worker.stop().catch(() => undefined);
  metrics?.close();
  await metricsPool.end().catch(() => undefined);
  await disconnectDb();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
