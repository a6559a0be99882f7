// `npm run worker`: the background worker as its own process, for deployments that run web and
// worker separately (npm start runs both in one). Reads the same environment as the web process.
import { env, requireSettings, WORKER_SETTINGS } from "../../app/infra/env.server.ts";
import { log } from "../../app/infra/log.server.ts";
import pg from "pg";
import { disconnectDb, pgPool } from "../../app/infra/db.server.ts";
import { serveFigures, startMetricsServer, watchPool } from "../metrics.ts";
import { startWorker } from "./worker.ts";

requireSettings("the worker (npm run worker)", WORKER_SETTINGS);
const config = env();
const worker = await startWorker({
  databaseUrl: config.DATABASE_URL,
  publicUrl: config.PUBLIC_URL,
  smtpUrl: config.SMTP_URL,
  mailFrom: config.MAIL_FROM,
  sweepHour: Number(process.env.SWEEP_HOUR ?? 6),
});
log.info("worker running");

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
  await worker.stop();
  metrics?.close();
  await metricsPool.end();
  await disconnectDb();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
