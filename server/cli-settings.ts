import type { SettingKey } from "../app/infra/env.server.ts";

// What each command reads from the environment, and nothing more: a staff command never needs
// the eID client, and an error names the command and only what it is missing.
const DB: SettingKey[] = ["DATABASE_URL"];
const PII: SettingKey[] = [...DB, "PII_ENCRYPTION_KEY"];
const FILES: SettingKey[] = [...DB, "ATTACHMENTS_DIR"];

const COMMANDS: Record<string, Record<string, SettingKey[]> | SettingKey[]> = {
  "api-key": { create: DB },
  creditor: { merge: DB },
  policy: { set: DB, simulate: DB },
  hold: { place: DB, release: DB },
  "import-bank-file": DB,
  // New residents' identity numbers and addresses are stored encrypted, found by their keyed hash.
  "import-claims": [...PII, "NATIONAL_ID_HASH_KEY"],
  // The letters the sweep writes are sent: identity numbers for the registers, addresses for print.
  escalate: PII,
  "print-batch": PII,
  staff: {
    create: PII,
    "reset-totp": PII,
    disable: DB,
    enable: DB,
    "reset-password": DB,
  },
  generate: [...PII, "NATIONAL_ID_HASH_KEY"],
  backup: FILES,
  restore: FILES,
  retention: { run: FILES, set: DB },
};

/** The command's name as the operator typed it and the settings it reads; null if unknown. */
export function commandSpec(
  command: string,
  sub: string | undefined,
): { name: string; settings: SettingKey[] } | null {
  const entry = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) return null;
  if (Array.isArray(entry)) return { name: command, settings: entry };
  if (!sub || !Object.hasOwn(entry, sub)) return null;
  return { name: `${command} ${sub}`, settings: entry[sub]! };
}

/** Every command, for the tests that check each one's error names it. */
export function allCommands(): { argv: string[]; settings: SettingKey[] }[] {
  return Object.entries(COMMANDS).flatMap(([command, entry]) =>
    Array.isArray(entry)
      ? [{ argv: [command], settings: entry }]
      : Object.entries(entry).map(([sub, settings]) => ({ argv: [command, sub], settings })),
  );
}
