import { parseArgs } from "node:util";
import { disconnectDb } from "../app/infra/db.server.ts";
import { createApiKey, UnknownCreditorError } from "../app/services/api-keys.server.ts";

const USAGE = `Usage: kravportal <command> [options]

Commands:
  api-key create --creditor SLUG   Create an API key for a creditor's billing system.
                                   The key is printed once, as the last line.

Environment: DATABASE_URL (required).`;

type Out = { log(line: string): void; error(line: string): void };
const stdio: Out = {
  log: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

/** Runs one command and returns its exit code; never throws for bad input. */
export async function run(argv: string[], out: Out = stdio): Promise<number> {
  const [command, sub, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    out.log(USAGE);
    return command ? 0 : 2;
  }
  if (!process.env.DATABASE_URL) {
    out.error("DATABASE_URL is not set: point it at the portal's PostgreSQL database.");
    return 2;
  }
  try {
    if (command === "api-key" && sub === "create") return await apiKeyCreate(rest, out);
    out.error(`Unknown command: ${[command, sub].filter(Boolean).join(" ")}\n\n${USAGE}`);
    return 2;
  } finally {
    await disconnectDb();
  }
}

async function apiKeyCreate(args: string[], out: Out): Promise<number> {
  let slug: string | undefined;
  try {
    slug = parseArgs({ args, options: { creditor: { type: "string" } }, strict: true }).values
      .creditor;
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!slug) {
    out.error("Missing --creditor SLUG.");
    return 2;
  }
  try {
    const { key, id } = await createApiKey(slug);
    out.log(
      `API key ${id} created for creditor "${slug}". Store it now: it cannot be shown again.`,
    );
    out.log(key);
    return 0;
  } catch (error) {
    if (error instanceof UnknownCreditorError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}
