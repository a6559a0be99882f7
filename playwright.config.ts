import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Journeys run against the real server (`npm start` with its own throwaway data dir and ports),
// in Playwright's own browser where installed, else Debian's chromium (CHROMIUM_PATH).
const PORT = Number(process.env.E2E_PORT ?? 3123);
const chromium =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
// Per port: a second run on another E2E_PORT must not wipe this one's database and files.
export const E2E_DATA_DIR = PORT === 3123 ? ".data/e2e" : `.data/e2e-${PORT}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  timeout: 60_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "off",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    {
      name: "phone",
      // Back-office journeys (staff.*, staff-*) are desk work: desktop only.
      testIgnore: [/api\./, /limits\./, /escalation\./, /staff[.-]/],
      use: { ...devices["Desktop Chrome"], viewport: { width: 390, height: 844 } },
    },
    {
      name: "desktop",
      // Phone-size journeys that change their demo resident's data run once, on the phone.
      testIgnore: [
        /limits\./,
        /payments\./,
        /history\./,
        /disputes\./,
        /plans\./,
        /letters-resident\./,
        /currencies\./,
      ],
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } },
    },
    // Runs last: it uses up the rate limits on purpose.
    { name: "limits", testMatch: [/limits\./], dependencies: ["phone", "desktop"] },
  ],
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && tsx server/start.ts`,
    url: `http://localhost:${PORT}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(PORT),
      DATA_DIR: E2E_DATA_DIR,
      PG_PORT: String(PORT + 30000),
      TEST_EID_PORT: String(PORT + 1000),
      NODE_ENV: "production",
      // The journeys run the sweep themselves, day by day; the worker must not sweep "today".
      SWEEP_HOUR: "99",
      // ... and the letters it writes leave on the day replayed, sent by the command line.
      LETTERS_SENT_BY: "command-line",
      // Above what the journeys need in a minute, low enough for e2e/limits.spec.ts to reach.
      RATE_LIMIT_LOGIN_PER_MINUTE: "60",
      RATE_LIMIT_POST_PER_MINUTE: "200",
      RATE_LIMIT_API_PER_MINUTE: "200",
    },
  },
});
