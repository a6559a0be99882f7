import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const GENERATED = ["SESSION_SECRET", "PII_ENCRYPTION_KEY", "NATIONAL_ID_HASH_KEY"] as const;

/**
 * For `npm start` on a developer's machine only: secrets that are not in the environment are
 * generated once and kept under DATA_DIR, beside the database they protect, so encrypted
 * identity numbers stay readable across restarts. Production sets them in the environment.
 */
export function ensureDevSecrets(dataDir: string): string[] {
  const missing = GENERATED.filter((k) => !process.env[k]);
  if (missing.length === 0) return [];
  const file = path.join(dataDir, "dev-secrets.json");
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  for (const key of missing) {
    stored[key] ??= randomBytes(32).toString("base64");
    process.env[key] = stored[key];
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return missing;
}
