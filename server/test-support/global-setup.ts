import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { createThrowawayDatabase } from "../throwaway-database.ts";
import { migrateDeploy } from "../../prisma/engine/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    secrets: Record<string, string>;
    demoAsOf: string;
  }
}

/**
 * Integration tests run against a real PostgreSQL: a throwaway database on the server named by
 * DATABASE_URL when it is set, otherwise on a throwaway embedded server. Either way the database
 * is created fresh, migrated, and dropped afterwards.
 */
export default async function setup(project: TestProject) {
  const database = await createThrowawayDatabase({
    serverUrl: process.env.DATABASE_URL,
    name: "test",
    // Below Linux's ephemeral range (32768 and up), where any outgoing connection may hold a
    // port; above the test Stripe stand-in's 21,000-24,999.
    port: 25_000 + (process.pid % 500),
  });
  await migrateDeploy({ databaseUrl: database.url, cwd: process.cwd() });
  project.provide("databaseUrl", database.url);
  project.provide("demoAsOf", new Date().toISOString());
  // One set of throwaway keys for the whole run: rows written by one test file (encrypted
  // identity numbers, their hashes) must be readable by the next.
  project.provide("secrets", {
    SESSION_SECRET: randomBytes(32).toString("hex"),
    PII_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    NATIONAL_ID_HASH_KEY: randomBytes(32).toString("base64"),
  });

  return () => database.drop();
}
