// `npx kravportal` on the local setup: against a running `npm start`, with nothing in the
// environment but PATH and DATA_DIR (where that `npm start` keeps its data), the commands find
// its database and its generated secrets; with the portal stopped, a command starts the database
// itself and stops it after. Needs the production build (`npm test` builds first).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, freePort } from "./test-support/http-browser.ts";
import { runningPort } from "./local-setup.ts";

const BUILD = path.resolve("build/server/index.js");
const hasBuild = existsSync(BUILD);
if (!hasBuild) {
  console.warn(
    `cli-local.test.ts skipped: no production build at ${BUILD}. Run \`npm run build\` first (npm test does).`,
  );
}

const DATA_DIR = path.resolve(`.data/cli-local-${process.pid}`);
let portal: ChildProcess | undefined;
let url = "";
const output: string[] = [];

/** `npx kravportal …` as an operator types it, with an empty environment but PATH and DATA_DIR. */
function kravportal(...args: string[]) {
  const result = spawnSync("npx", ["kravportal", ...args], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH!, DATA_DIR } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined) {
  const end = Date.now() + 120_000;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out: ${what}\n${output.slice(-30).join("\n")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopPortal() {
  const child = portal;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  if (!hasBuild) return;
  rmSync(DATA_DIR, { recursive: true, force: true });
  const port = await freePort();
  url = `http://localhost:${port}`;
  // `npm start` with its own data directory and ports, and nothing else from this test's
  // environment (no DATABASE_URL, no keys): it generates its secrets into DATA_DIR.
  portal = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH!,
      DATA_DIR,
      PORT: String(port),
      PG_PORT: String(await freePort()),
      TEST_EID_PORT: String(await freePort()),
      MAIL_CATCHER_SMTP_PORT: String(await freePort()),
      MAIL_CATCHER_HTTP_PORT: String(await freePort()),
      STRIPE_STANDIN_PORT: String(await freePort()),
      WORKER: "false",
      LOG_LEVEL: "warn",
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [portal.stdout!, portal.stderr!])
    stream.on("data", (chunk: Buffer) => output.push(...chunk.toString().split("\n")));
  await until("the portal to start", () =>
    output.some((l) => l.includes("Kravportal is running")) ? true : undefined,
  );
}, 180_000);

afterAll(async () => {
  await stopPortal();
  rmSync(DATA_DIR, { recursive: true, force: true });
});

describe.skipIf(!hasBuild)("npx kravportal on the local setup", () => {
  it("creates an API key that the running portal accepts, with an empty environment", async () => {
    const result = kravportal("api-key", "create", "--creditor", "elvdal");
    expect(result.stderr).not.toContain("DATABASE_URL is not set");
    expect(result.code).toBe(0);
    const key = result.stdout.trim().split("\n").pop()!;
    const res = await fetch(`${url}/api/v1/claim-types`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    // The command found the running server: it did not start (or stop) one of its own.
    expect(runningPort(path.join(DATA_DIR, "pg"))).not.toBeNull();
  });

  it("creates a staff member whose TOTP secret the portal can read (the same generated key)", async () => {
    const email = `operator-${process.pid}@elvdal.example`;
    const result = kravportal(
      "staff",
      "create",
      "--email",
      email,
      "--creditor",
      "elvdal",
      "--role",
      "agent",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const password = /One-time password: (\S+)/.exec(result.stdout)![1]!;
    const uri = /(otpauth:\/\/\S+)/.exec(result.stdout)![1]!;
    const code = (OTPAuth.URI.parse(uri) as OTPAuth.TOTP).generate();
    const browser = new Browser();
    await browser.request(`${url}/staff/login`);
    const res = await browser.request(`${url}/staff/login`, {
      form: { email, password, code, returnTo: "/staff" },
      headers: { origin: url },
    });
    // Signed in with the one-time password: on to choosing a new one.
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/staff/password");
  });

  it("starts the local database itself when the portal is stopped, and stops it after", async () => {
    await stopPortal();
    expect(runningPort(path.join(DATA_DIR, "pg"))).toBeNull();
    const result = kravportal("api-key", "create", "--creditor", "vastkust");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created for creditor "vastkust"');
    expect(runningPort(path.join(DATA_DIR, "pg"))).toBeNull();
  });
});
