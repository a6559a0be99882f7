// `prisma migrate deploy` for the app's start-up script, through prisma/engine/prisma.js so it
// works with or without Prisma's native schema engine.
//   import { migrateDeploy } from "../prisma/engine/migrate.js";
//   await migrateDeploy({ databaseUrl });   // rejects with Prisma's output on failure
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, "../..");

// Prisma prints one of these on success. Checked as well as the exit code because a schema
// engine that dies at start makes the CLI exit 0 without doing anything.
const SUCCESS =
  /All migrations have been successfully applied|No pending migrations to apply|No migration found/;

/**
 * @param {{ databaseUrl: string, cwd?: string, env?: NodeJS.ProcessEnv }} options
 *   cwd: directory holding prisma.config.ts (default: the project root)
 * @returns {Promise<{ output: string }>}
 */
export async function migrateDeploy({ databaseUrl, cwd = projectRoot, env = process.env } = {}) {
  if (!databaseUrl) throw new Error("migrateDeploy: databaseUrl is required");
  const args = [path.join(here, "prisma.js"), "migrate", "deploy"];
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const [code, signal] = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c, s) => resolve([c, s]));
  });
  if (code === 0 && SUCCESS.test(output)) return { output };
  const why = signal
    ? `was killed by ${signal}`
    : code === 0
      ? "exited 0 without reporting success"
      : `exited with code ${code}`;
  throw Object.assign(new Error(`prisma migrate deploy ${why}:\n${output.trim()}`), {
    output,
    exitCode: code,
  });
}
