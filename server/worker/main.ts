// `npm run worker`: the background worker as its own process, for deployments that run web and
// worker separately (npm start runs both in one). Reads the same environment as the web process.
import { env, requireSettings, WORKER_SETTINGS } from "../../app/infra/env.server.ts";
import { log } from "../../app/infra/log.server.ts";
import { disconnectDb } from "../../app/infra/db.server.ts";
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

async function stop() {
  await worker.stop();
  await disconnectDb();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
