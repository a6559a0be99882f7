import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";

export type ThrowawayDatabase = { url: string; drop(): Promise<void> };

/**
 * A fresh, empty database for tests and benchmarks: created on the server at `serverUrl` when
 * one is given (a real PostgreSQL), otherwise on a throwaway embedded server of its own. `drop`
 * removes the database, or stops the embedded server and deletes its files.
 */
export async function createThrowawayDatabase(opts: {
  serverUrl?: string;
  name: string;
  port: number;
  log?: (line: string) => void;
}): Promise<ThrowawayDatabase> {
  const database = `kravportal_${opts.name}_${randomBytes(4).toString("hex")}`;
  const dataDir = path.resolve(".data", `${opts.name}-pg-${process.pid}`);
  let serverUrl = opts.serverUrl;
  let stopServer: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({
      dataDir,
      port: opts.port,
      database: "postgres",
      log: opts.log,
    });
    serverUrl = server.adminUrl;
    stopServer = server.stop;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const adminUrl = serverUrl;
  return {
    url: url.toString(),
    async drop() {
      if (stopServer) {
        await stopServer();
        rmSync(dataDir, { recursive: true, force: true });
        return;
      }
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await client.end();
    },
  };
}
