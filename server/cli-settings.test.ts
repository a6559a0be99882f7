// Each command reads only the settings it uses, and a missing one is named together with the
// command that needs it, and nothing else (never the eID client or the session secret).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ALL_SETTINGS, parseEnv, type SettingKey } from "../app/infra/env.server.ts";
import { allCommands } from "./cli-settings.ts";
import { run } from "./cli.ts";

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

async function errorOf(argv: string[]) {
  const errors: string[] = [];
  const code = await run(argv, { log: () => {}, error: (l) => errors.push(l) });
  // The usage printed after a bad option lists settings of its own: only the error counts.
  return { code, message: errors.join("\n").split("Usage: kravportal")[0]! };
}

/** Settings with a default are never missing. */
const required = (key: SettingKey) => {
  try {
    parseEnv({}, [key]);
    return false;
  } catch {
    return true;
  }
};

/** The settings a message names. */
const named = (message: string) =>
  ALL_SETTINGS.filter((key) => new RegExp(`(^|[^A-Z_])${key}([^A-Z_]|$)`).test(message));

// What each command needs besides DATABASE_URL, written out here rather than read from the
// command table, so a command that starts asking for more (or less) fails this test.
const NEEDS: Record<string, string[]> = {
  "api-key create": [],
  "creditor merge": [],
  "policy set": [],
  "policy simulate": [],
  "hold place": [],
  "hold release": [],
  "import-bank-file": [],
  "import-claims": ["PII_ENCRYPTION_KEY", "NATIONAL_ID_HASH_KEY"],
  escalate: ["PII_ENCRYPTION_KEY"],
  "print-batch": ["PII_ENCRYPTION_KEY"],
  "staff create": ["PII_ENCRYPTION_KEY"],
  "staff reset-totp": ["PII_ENCRYPTION_KEY"],
  "staff disable": [],
  "staff enable": [],
  "staff reset-password": [],
  generate: ["PII_ENCRYPTION_KEY", "NATIONAL_ID_HASH_KEY"],
  backup: [],
  restore: [],
  "retention run": [],
  "retention set": [],
};

describe("settings per command", () => {
  it("covers every command", () => {
    expect(
      allCommands()
        .map((c) => c.argv.join(" "))
        .sort(),
    ).toEqual(Object.keys(NEEDS).sort());
  });

  for (const { argv } of allCommands()) {
    const command = `kravportal ${argv.join(" ")}`;
    it(`${command} with only DATABASE_URL set asks for exactly what it needs`, async () => {
      for (const key of ALL_SETTINGS) if (key !== "DATABASE_URL") delete process.env[key];
      // An unknown option: a command that has all it needs stops there, before doing anything.
      const { code, message } = await errorOf([...argv, "--no-such-option"]);
      expect(code).toBe(2); // missing settings, or (with none missing) the unknown option
      expect(named(message).sort()).toEqual([...NEEDS[argv.join(" ")]!].sort());
      if (NEEDS[argv.join(" ")]!.length > 0) expect(message).toContain(command);
    });
  }

  for (const { argv, settings } of allCommands()) {
    const command = `kravportal ${argv.join(" ")}`;
    for (const missing of settings.filter((s) => s !== "DATABASE_URL" && required(s))) {
      it(`${command} without ${missing} names the command and ${missing} alone`, async () => {
        // Everything else the suite sets, even the eID and session settings, is left unset too,
        // except what this command needs.
        for (const key of ALL_SETTINGS) if (!settings.includes(key)) delete process.env[key];
        delete process.env[missing];
        const { code, message } = await errorOf(argv);
        expect(code).toBe(2);
        expect(message).toContain(command);
        expect(named(message)).toEqual([missing]);
      });
    }

    it(`${command} without DATABASE_URL and no local database says so, naming the command`, async () => {
      const empty = mkdtempSync(path.join(tmpdir(), "kravportal-no-setup-"));
      try {
        delete process.env.DATABASE_URL;
        process.env.DATA_DIR = empty;
        const { code, message } = await errorOf(argv);
        expect(code).toBe(2);
        expect(message).toContain(command);
        expect(named(message)).toEqual(["DATABASE_URL"]);
        expect(message).toContain(empty);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  }

  it("staff create does not ask for the eID client or the session secret", async () => {
    for (const key of ["EID_ISSUER", "EID_CLIENT_ID", "EID_CLIENT_SECRET", "SESSION_SECRET"])
      delete process.env[key];
    const { code, message } = await errorOf([
      "staff",
      "create",
      "--email",
      `no-eid-${process.pid}@elvdal.example`,
      "--creditor",
      "no-such-creditor",
      "--role",
      "agent",
    ]);
    // It got as far as the database: the creditor is unknown, no setting is missing.
    expect(message).toContain('No creditor with slug "no-such-creditor"');
    expect(code).toBe(1);
  });
});
