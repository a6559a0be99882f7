import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../embedded-postgres.ts";
import { migrateDeploy } from "../../prisma/engine/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    secrets: Record<string, string>;
  }
}

/**
 * Integration tests run against a real PostgreSQL: a throwaway database on the server named by
 * DATABASE_URL when it is set, otherwise on a throwaway embedded server. Either way the database
 * is created fresh, migrated, and dropped afterwards.
 */
export default async function setup(project: TestProject) {
  const name = `kravportal_test_${randomBytes(4).toString("hex")}`;
  let adminUrl: string;
  let stopServer: (() => Promise<void>) | undefined;
  const dataDir = path.resolve(".data", `test-pg-${process.pid}`);

  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const server = await startEmbeddedPostgres({
      dataDir,
      port: 54400 + (process.pid % 500),
      database: "postgres",
    });
    adminUrl = server.adminUrl;
    stopServer = server.stop;
  }

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateDeploy({ databaseUrl: url.toString(), cwd: process.cwd() });
  project.provide("databaseUrl", url.toString());
  // One set of throwaway keys for the whole run: rows written by one test file (encrypted
  // identity numbers, their hashes) must be readable by the next.
  project.provide("secrets", {
    SESSION_SECRET: randomBytes(32).toString("hex"),
    PII_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    NATIONAL_ID_HASH_KEY: randomBytes(32).toString("base64"),
  });

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
    if (stopServer) {
      await stopServer();
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
