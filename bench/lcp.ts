// `npx tsx bench/lcp.ts [--runs N]` (needs a production build: `npm run build`). Starts the portal
// as `npm start` does (own data directory and ports, demo data), logs a demo resident in through
// the test eID, then loads *My claims* at phone size (390×844) on an emulated slow 4G network
// (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up) with the CPU slowed 4×, with JavaScript on and
// off, cold (no browser cache) and warm (cached assets). Prints the Largest Contentful Paint
// (median and max) and the bytes transferred (compressed, as on the wire) by type. Asserts nothing.
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type CDPSession } from "@playwright/test";

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1] || 5) || 5;
const PORT = Number(process.env.LCP_PORT ?? 3623);
const DATA_DIR = ".data/lcp";
const BASE = `http://localhost:${PORT}`;
const RESIDENT = "195403129827"; // Astrid Lindqvist: claims from both creditors
const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1_000_000) / 8,
  uploadThroughput: (750 * 1_000) / 8,
};
const CPU_SLOWDOWN = 4;

if (!existsSync("build/server/index.js")) {
  process.stderr.write("bench/lcp.ts needs a production build: run `npm run build` first.\n");
  process.exit(1);
}

rmSync(DATA_DIR, { recursive: true, force: true });
const server = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
  env: {
    ...process.env,
    PORT: String(PORT),
    DATA_DIR,
    PG_PORT: String(PORT + 30000),
    TEST_EID_PORT: String(PORT + 1000),
    NODE_ENV: "production",
    SWEEP_HOUR: "99",
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
const serverLog: string[] = [];
server.stdout.on("data", (c: Buffer) => serverLog.push(c.toString()));
server.stderr.on("data", (c: Buffer) => serverLog.push(c.toString()));

async function stopServer() {
  if (server.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const kill = setTimeout(() => server.kill("SIGKILL"), 15_000);
    server.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    server.kill("SIGTERM");
  });
}

async function waitForServer() {
  const end = Date.now() + 180_000;
  while (Date.now() < end) {
    if (server.exitCode !== null) break;
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the portal did not start:\n${serverLog.join("")}`);
}

type Bytes = Record<"html" | "css" | "js" | "other", number>;

/** Transferred (encoded) bytes per resource type, from the DevTools protocol. */
function countBytes(cdp: CDPSession): () => Bytes {
  const kind = new Map<string, keyof Bytes>();
  const bytes: Bytes = { html: 0, css: 0, js: 0, other: 0 };
  cdp.on("Network.responseReceived", (e) => {
    const type = e.type as string;
    kind.set(
      e.requestId,
      type === "Document"
        ? "html"
        : type === "Stylesheet"
          ? "css"
          : type === "Script"
            ? "js"
            : "other",
    );
  });
  cdp.on("Network.loadingFinished", (e) => {
    bytes[kind.get(e.requestId) ?? "other"] += e.encodedDataLength;
  });
  return () => ({ ...bytes });
}

/** One load of My claims; LCP from the page's own buffered PerformanceObserver. */
async function measure(context: BrowserContext, cold: boolean) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: cold });
  if (!cold) await page.goto(`${BASE}/claims`); // fill the cache first, unthrottled
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  const bytes = countBytes(cdp);
  // LCP from the browser's own timeline over the DevTools protocol, so it is measured the same
  // way with the page's JavaScript off: render time of the last candidate minus the wall time at
  // which the document request started.
  let navigationStart = Number.NaN;
  let lcpAt = Number.NaN;
  cdp.on("Network.requestWillBeSent", (e) => {
    if (e.type === "Document" && Number.isNaN(navigationStart)) navigationStart = e.wallTime;
  });
  cdp.on("PerformanceTimeline.timelineEventAdded", ({ event }) => {
    const at = event.lcpDetails?.renderTime || event.lcpDetails?.loadTime;
    if (at) lcpAt = at;
  });
  await cdp.send("PerformanceTimeline.enable", { eventTypes: ["largest-contentful-paint"] });
  await page.goto(`${BASE}/claims`, { waitUntil: "load" });
  await page.waitForTimeout(500);
  const lcp = (lcpAt - navigationStart) * 1000;
  const result = { lcp, bytes: bytes() };
  await page.close();
  return result;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function main() {
  await waitForServer();
  const executablePath =
    process.env.CHROMIUM_PATH ??
    (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  try {
    const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true };
    const login = await browser.newContext(phone);
    const page = await login.newPage();
    await page.goto(BASE);
    await page.getByRole("button", { name: /log in with e-id|logga in|logg inn/i }).click();
    await page.getByLabel("National identity number").fill(RESIDENT);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.waitForURL(/\/claims/);
    const storageState = await login.storageState();
    await login.close();

    process.stdout.write(
      `LCP of My claims: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, Node ${process.version}\n` +
        `phone 390×844, slow 4G (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up), CPU ${CPU_SLOWDOWN}× slower, ${RUNS} runs each\n`,
    );
    for (const javaScriptEnabled of [true, false]) {
      for (const cold of [true, false]) {
        const context = await browser.newContext({ ...phone, storageState, javaScriptEnabled });
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await measure(context, cold));
        await context.close();
        const lcps = runs.map((r) => r.lcp);
        const b = runs[runs.length - 1]!.bytes;
        process.stdout.write(
          `JS ${javaScriptEnabled ? "on " : "off"} ${cold ? "cold" : "warm"}: LCP median ${median(lcps).toFixed(0)} ms, max ${Math.max(...lcps).toFixed(0)} ms` +
            ` (target < 2500 ms: ${Math.max(...lcps) < 2500 ? "met" : "NOT met"});` +
            ` transferred HTML ${kb(b.html)}, CSS ${kb(b.css)}, JS ${kb(b.js)}, other ${kb(b.other)}\n`,
        );
      }
    }
  } finally {
    await browser.close();
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopServer();
    rmSync(path.resolve(DATA_DIR), { recursive: true, force: true });
  });
