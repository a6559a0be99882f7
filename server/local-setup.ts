// The command line on the local setup: with no DATABASE_URL, `npx kravportal` works against the
// embedded database `npm start` keeps under DATA_DIR (started for the command when it is not
// running, and stopped after), with the secrets `npm start` generated there.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { EMBEDDED_PASSWORD, EMBEDDED_USER, startEmbeddedPostgres } from "./embedded-postgres.ts";
import { DEV_SECRETS_FILE, DEV_SECRET_KEYS } from "./dev-secrets.ts";

export const LOCAL_DATABASE = "kravportal";
export const DEFAULT_PG_PORT = 54329;

export class NoLocalSetupError extends Error {
  override name = "NoLocalSetupError";
}

export type LocalSetup = {
  databaseUrl: string;
  /** True when this command started the database itself (and so stops it after). */
  started: boolean;
  secretsFrom: string | null;
  close(): Promise<void>;
};

/** The port of the server running on `pgDir`, from its postmaster.pid, or null when none runs. */
export function runningPort(pgDir: string): number | null {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  // Lines: pid, data directory, start time, port, socket directory, listen address, ...
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null; // a stale file from a killed server: starting it removes the file
  }
  return port;
}

/**
 * Points this process at the local setup: DATABASE_URL at the embedded database under
 * `dataDir` (whatever port the running server took), and the secrets `npm start` generated,
 * each only where the environment does not set it.
 */
export async function useLocalSetup(dataDir: string): Promise<LocalSetup> {
  const dir = path.resolve(dataDir);
  const pgDir = path.join(dir, "pg");
  if (!existsSync(path.join(pgDir, "PG_VERSION"))) {
    throw new NoLocalSetupError(
      `DATABASE_URL is not set, and there is no local database in ${pgDir}: run \`npm start\` once to make one (or set DATA_DIR to where it keeps its data), or set DATABASE_URL.`,
    );
  }
  const secretsFile = path.join(dir, DEV_SECRETS_FILE);
  let secretsFrom: string | null = null;
  if (existsSync(secretsFile)) {
    const stored = JSON.parse(readFileSync(secretsFile, "utf8")) as Record<string, string>;
    for (const key of DEV_SECRET_KEYS) {
      if (!process.env[key] && stored[key]) {
        process.env[key] = stored[key];
        secretsFrom = secretsFile;
      }
    }
  }
  const port = runningPort(pgDir);
  if (port !== null) {
    const databaseUrl = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${LOCAL_DATABASE}`;
    process.env.DATABASE_URL = databaseUrl;
    return { databaseUrl, started: false, secretsFrom, close: async () => {} };
  }
  const database = await startEmbeddedPostgres({
    dataDir: pgDir,
    port: Number(process.env.PG_PORT ?? DEFAULT_PG_PORT),
    database: LOCAL_DATABASE,
    log: (line) => process.stderr.write(`[postgres] ${line}\n`),
  });
  process.env.DATABASE_URL = database.url;
  return { databaseUrl: database.url, started: true, secretsFrom, close: () => database.stop() };
}
