// The web process alone, for deployments that run several web processes behind a load balancer
// and the worker (`npm run worker`) separately; `npm start` runs everything in one process.
// Migrations are not applied here: run them once per release (`npx prisma migrate deploy`), not
// from every web process at once.
import { disconnectDb } from "../app/infra/db.server.ts";
import { log } from "../app/infra/log.server.ts";
import { requireSettings, WEB_SETTINGS } from "../app/infra/env.server.ts";
import { startWeb } from "./web.ts";

requireSettings("the web server (server/web-main.ts)", WEB_SETTINGS);
const server = await startWeb();

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    void disconnectDb().then(() => process.exit(0));
  });
  server.closeAllConnections();
  log.info("web stopping");
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
