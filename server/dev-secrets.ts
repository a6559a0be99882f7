import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const DEV_SECRET_KEYS = [
  "SESSION_SECRET",
  "PII_ENCRYPTION_KEY",
  "NATIONAL_ID_HASH_KEY",
] as const;
const GENERATED = DEV_SECRET_KEYS;
/** The file under DATA_DIR; `npx kravportal` reads it too when it uses the local setup. */
export const DEV_SECRETS_FILE = "dev-secrets.json";

/**
 * For `npm start` on a developer's machine only: secrets that are not in the environment are
 * generated once and kept under DATA_DIR, beside the database they protect, so encrypted
 * identity numbers stay readable across restarts. Production sets them in the environment.
 */
export function ensureDevSecrets(dataDir: string): { file: string; created: string[] } {
  const missing = GENERATED.filter((k) => !process.env[k]);
  const file = path.join(dataDir, DEV_SECRETS_FILE);
  if (missing.length === 0) return { file, created: [] };
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const created = missing.filter((key) => !stored[key]);
  for (const key of missing) {
    stored[key] ??= randomBytes(32).toString("base64");
    process.env[key] = stored[key];
  }
  if (created.length > 0) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return { file, created };
}
