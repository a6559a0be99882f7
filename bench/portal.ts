// Resident pages under load: `npx tsx bench/portal.ts [--claims N] [--residents N] [--seconds S]
// [--web 1,2]` (defaults 30,000 claims, 10,000 residents, 15 s per route, one web process then one
// per core; `--claims 1000000 --residents 300000` for the real figure). Generates the data
// (`kravportal generate`'s code; its time is printed), logs in `--sessions` residents by writing
// their server-side sessions and signing their kp_session cookies as the app does, then, for each
// count of `--web` (one web process, then one per core), starts that many web processes
// (server/web-main.ts from the production build, sharing the port through node:cluster) and loads,
// with 50 connections from a worker thread of this process (autocannon): the start page without a
// session (baseline: the same Express + Remix stack, no database), My claims (/claims) and claim
// pages (/claims/<id>), each request as another resident. Also prints the JavaScript /claims ships,
// gzip and brotli, and for each route the CPU time per request of the web processes, PostgreSQL
// and this process (the load generator), from /proc on Linux, and what that cost allows on the
// machine's cores. Then the open loop (issue 18): each route at fixed rates (`--rates 100,200,300`,
// `--open-seconds S`), latency counted from each request's scheduled send time
// (bench/portal-open-loop.mjs), with one web process per core, and under each run what the web
// processes saw of it (bench/web-metrics.ts: handler times, event-loop delay) and PostgreSQL's
// slow statements (bench/pg-waits.ts). `--explain` then prints the query plans of
// bench/explain.ts on the same data (one generation for both). Prints figures; asserts nothing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import cluster from "node:cluster";
import { cpus } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import pg from "pg";
import {
  argNumber,
  describeData,
  fmt,
  freePort,
  loadAverage,
  log,
  logIn,
  machine,
  scaleDatabase,
} from "./scale-setup.ts";
import { explainPaths, lastWeekday } from "./explain.ts";
import { watchSlowStatements } from "./pg-waits.ts";
import { watchWebProcesses } from "./web-metrics.ts";

const AS_OF = lastWeekday();
const CONNECTIONS = 50;

type Target = { path: string; cookie?: string };
type LoadResult = {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
};

type OpenLoopResult = {
  scheduled: number;
  completed: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  sendLagMax: number;
  meanBytes: number;
};

/** Requests at a fixed `rate` for `seconds` (bench/portal-open-loop.mjs), in a worker thread. */
async function openLoop(
  url: string,
  targets: Target[],
  rate: number,
  seconds: number,
): Promise<OpenLoopResult> {
  const worker = new Worker(new URL("./portal-open-loop.mjs", import.meta.url), {
    workerData: { url, targets, rate, seconds, connections: 512 },
  });
  const result = await new Promise<OpenLoopResult>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  return result;
}

/** A comma-separated list of positive integers given as `--name`, or `fallback`. */
function argList(name: string, fallback: number[]): number[] {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const list = (process.argv[i + 1] ?? "").split(",").map(Number);
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--${name} must be a list of positive integers, e.g. 100,200,300`);
  return list;
}

async function load(url: string, targets: Target[], seconds: number): Promise<LoadResult> {
  const worker = new Worker(new URL("./portal-load.mjs", import.meta.url), {
    workerData: { url, targets, connections: CONNECTIONS, seconds },
  });
  const result = await new Promise<LoadResult>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  return result;
}

/**
 * `n` web processes (server/web-main.ts, as deployed) sharing the port through node:cluster, each
 * with its own event loop and database pool, apart from this process and its load thread.
 * Resolves once all listen, with their process ids and a function that stops them.
 */
async function startWebProcesses(
  n: number,
): Promise<{ pids: Set<number>; metricsPorts: number[]; stop: () => Promise<void> }> {
  cluster.setupPrimary({ exec: path.resolve("server/web-main.ts"), execArgv: process.execArgv });
  // A metrics port each (one shared port would answer for whichever process took the connection).
  const metricsPorts: number[] = [];
  for (let i = 0; i < n; i++) metricsPorts.push(await freePort());
  const workers = metricsPorts.map((port) => cluster.fork({ METRICS_PORT: String(port) }));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once("listening", () => resolve());
          w.once("exit", (code) => reject(new Error(`web process exited with ${code}`)));
        }),
    ),
  );
  // "listening" comes with the first port a process opens (its metrics port, too): wait until the
  // public port answers.
  for (let tries = 0; ; tries++) {
    const up = await fetch(`${process.env.PUBLIC_URL}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 150) throw new Error("the web process did not answer on its port");
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once("exit", () => resolve());
            w.kill("SIGTERM");
          }),
      ),
    );
  };
  return { pids: new Set(workers.map((w) => w.process.pid!)), metricsPorts, stop };
}

/** The machine's CPU time so far (all cores), busy and total, in ms. */
function machineCpu() {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}
const machineBusy = (a: { busy: number; total: number }, b: { busy: number; total: number }) =>
  (b.busy - a.busy) / Math.max(1, b.total - a.total);

type Kind = "web" | "postgres" | "load";
type CpuSnapshot = Map<number, { kind: Kind; ms: number }>;

/**
 * CPU time so far (ms, all threads) of each web process, PostgreSQL process and this process
 * (the load generator's thread is in it), from /proc: where a request's cost goes. `notCounted`:
 * a PostgreSQL backend that is the bench's own (the sampler of bench/pg-waits.ts). Null where
 * there is no /proc (not Linux).
 */
function processCpu(webPids: Set<number>, notCounted?: number): CpuSnapshot | null {
  if (!existsSync("/proc/self/stat")) return null;
  const out: CpuSnapshot = new Map();
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    const pid = Number(entry);
    if (pid === notCounted) continue;
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    let kind: Kind | null = null;
    if (webPids.has(pid)) kind = "web";
    else if (pid === process.pid) kind = "load";
    else if (name.startsWith("postgres")) kind = "postgres";
    if (!kind) continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    out.set(pid, { kind, ms: (Number(fields[11]) + Number(fields[12])) * tick }); // utime + stime
  }
  return out;
}

/**
 * CPU ms per request between two snapshots: "web / PostgreSQL / load generator", and all three
 * together (what one request costs the machine, all in).
 */
function perRequest(before: CpuSnapshot | null, after: CpuSnapshot | null, requests: number) {
  if (!before || !after) return { text: "n/a", total: null };
  const sums: Record<Kind, number> = { web: 0, postgres: 0, load: 0 };
  // A process that ended in between is left out (its time went with it); one that began counts
  // from zero.
  for (const [pid, { kind, ms }] of after) sums[kind] += ms - (before.get(pid)?.ms ?? 0);
  const n = Math.max(1, requests);
  const kinds = ["web", "postgres", "load"] as const;
  return {
    text: kinds.map((k) => (sums[k] / n).toFixed(2)).join(" / "),
    total: kinds.reduce((sum, k) => sum + sums[k], 0) / n,
  };
}

/** The JavaScript files a page's HTML references (modulepreload, script src, inline imports). */
function bundleSize(html: string) {
  const files = [...new Set(html.match(/\/assets\/[\w.-]+\.js/g) ?? [])];
  let raw = 0;
  let gz = 0;
  let br = 0;
  for (const f of files) {
    const bytes = readFileSync(path.resolve("build/client", `.${f}`));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
    br += brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length;
  }
  return { files: files.length, raw, gz, br };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main() {
  const claims = argNumber("claims", 30_000);
  const residents = argNumber("residents", Math.ceil(claims / 3));
  const seconds = argNumber("seconds", 15);
  const sessions = argNumber("sessions", 5_000);
  const rates = argList("rates", [100, 200, 300]);
  const openSeconds = argNumber("open-seconds", seconds);
  // One web process, then one per core, as a deployment would run them.
  const webArg = process.argv[process.argv.indexOf("--web") + 1];
  const cores = cpus().length;
  const webCounts = (
    process.argv.includes("--web") && webArg ? webArg : cores > 1 ? `1,${cores}` : "1"
  )
    .split(",")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  if (!existsSync(path.resolve("build/server/index.js"))) {
    throw new Error("no production build in ./build: run `npx remix vite:build` first");
  }
  log(`Portal benchmark: resident pages, ${CONNECTIONS} connections, ${seconds} s per route`);
  log(`machine: ${machine()}; load average ${loadAverage()}`);
  const database = await scaleDatabase({ name: "bench_portal", residents, claims, asOf: AS_OF });
  const client = new pg.Client({ connectionString: database.url });
  let stopWeb = async () => {};
  const cleanup = async () => {
    await stopWeb();
    await client.end().catch(() => {});
    await database.stop();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  try {
    await client.connect();
    await describeData((sql) => client.query(sql));
    const people = await logIn(client, sessions);
    log(`sessions: ${fmt(people.length)} residents logged in (one session each)`);
    // A running office's tables have been vacuumed and analysed long since; freshly generated
    // ones have not, and their first readers would set hint bits, and autovacuum would run
    // during the load. Do both now, apart from the measurement, and print the time.
    const vacuumStarted = performance.now();
    await client.query(`VACUUM ANALYZE`);
    await client.query(`CHECKPOINT`);
    log(
      `vacuum analyze and checkpoint: ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} s`,
    );

    const routes: { name: string; targets: Target[] }[] = [
      { name: "baseline: / (start page, no session)", targets: [{ path: "/" }] },
      {
        name: "My claims: /claims",
        targets: people.map((p) => ({ path: "/claims", cookie: p.cookie })),
      },
      {
        name: "claim page: /claims/<id>",
        targets: people.map((p, i) => ({
          path: `/claims/${p.claims[i % p.claims.length]}`,
          cookie: p.cookie,
        })),
      },
    ];
    const base = process.env.PUBLIC_URL!;
    const ok = (b: boolean) => (b ? "met" : "NOT met");
    let claimsHtml = "";
    let cpuPerRequest: (number | null)[] = [];
    for (const webs of webCounts) {
      const web = await startWebProcesses(webs);
      stopWeb = web.stop;
      // Every page must answer 200 for a logged-in resident before it is timed.
      const first = people[0]!;
      for (const p of ["/", "/claims", `/claims/${first.claims[0]}`]) {
        const res = await fetch(`${base}${p}`, {
          headers: p === "/" ? {} : { cookie: first.cookie },
          redirect: "manual",
        });
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
      }
      claimsHtml = await (
        await fetch(`${base}/claims`, { headers: { cookie: first.cookie } })
      ).text();
      // Warm-up: connections, JIT, the database's caches.
      for (const r of routes) await load(base, r.targets, 3);

      type Row = LoadResult & {
        name: string;
        busy: number;
        perRequest: ReturnType<typeof perRequest>;
      };
      const results: Row[] = [];
      for (const r of routes) {
        const cpu0 = machineCpu();
        const proc0 = processCpu(web.pids);
        const result = await load(base, r.targets, seconds);
        const proc1 = processCpu(web.pids);
        results.push({
          ...result,
          name: r.name,
          busy: machineBusy(cpu0, machineCpu()),
          perRequest: perRequest(proc0, proc1, result.requests),
        });
        log(`  ${webs} web: ${r.name}: done; load average ${loadAverage()}`);
      }
      await stopWeb();
      stopWeb = async () => {};
      const baseline = results[0]!;
      cpuPerRequest = results.map((r) => r.perRequest.total);
      log("");
      log(
        `${webs} web process${webs === 1 ? "" : "es"}                     ` +
          `req/s   p50 ms  p99 ms  max ms  non-2xx  vs baseline  machine CPU busy  ` +
          `CPU ms per request: web / PostgreSQL / load generator`,
      );
      for (const r of results) {
        log(
          `${r.name.padEnd(38)} ${fmt(r.perSecond).padStart(6)}  ${r.p50.toFixed(1).padStart(6)}  ` +
            `${r.p99.toFixed(1).padStart(6)}  ${String(r.max).padStart(6)}  ${String(r.non2xx + r.errors + r.timeouts).padStart(7)}  ` +
            `${((100 * r.perSecond) / baseline.perSecond).toFixed(0).padStart(9)} %  ` +
            `${(100 * r.busy).toFixed(0).padStart(14)} %  ${r.perRequest.text}`,
        );
      }
      for (const r of results.slice(1)) {
        log(
          `target (${webs} web) ${r.name}: req/s >= half the baseline ${ok(r.perSecond >= baseline.perSecond / 2)}; ` +
            `p99 < 100 ms ${ok(r.p99 < 100)}`,
        );
        // What the cores allow at this cost, were they doing nothing else: web, PostgreSQL and
        // the load generator share them. (The load generator's own start-up is in its share.)
        const all = r.perRequest.total;
        if (all !== null && all > 0)
          log(
            `  ${r.name}: ${all.toFixed(2)} ms of machine CPU per request, all in; ` +
              `${cores} cores give about ${fmt((cores * 1000) / all)} of these a second`,
          );
      }
      log("");
    }
    // Issue 18: the claims pages' CPU per request, all in (web, PostgreSQL, load generator), at
    // most 2.5 times the start page's, measured with the last web-process count.
    const [staticCpu, ...pageCpu] = cpuPerRequest;
    if (staticCpu)
      pageCpu.forEach((c, i) => {
        if (c === null) return;
        log(
          `target ${routes[i + 1]!.name}: CPU per request ${(c / staticCpu).toFixed(2)}x the start page's ` +
            `(<= 2.5x) ${ok(c <= 2.5 * staticCpu)}`,
        );
      });
    await openLoopRuns(base, routes, webCounts.at(-1)!, rates, openSeconds, client, (web) => {
      stopWeb = web;
    });
    const js = bundleSize(claimsHtml);
    log(
      `JavaScript of /claims: ${js.files} files, ${kb(js.raw)} raw, ${kb(js.gz)} gzip, ` +
        `${kb(js.br)} brotli (target < 100 KB compressed: ${ok(js.br < 100 * 1024 && js.gz < 100 * 1024)})`,
    );
    log(`load average at the end: ${loadAverage()}`);
    if (process.argv.includes("--explain")) {
      await explainPaths(database.url, client, AS_OF);
    }
  } finally {
    await cleanup();
  }
}

/**
 * Latency at a fixed offered load (issue 18): each route at each rate, open loop, with `webs` web
 * processes; latency from each request's scheduled send time. Target: at 200 requests a second,
 * p99 under 100 ms and no errors, for every route.
 */
async function openLoopRuns(
  base: string,
  routes: { name: string; targets: Target[] }[],
  webs: number,
  rates: number[],
  seconds: number,
  client: pg.Client,
  onStart: (stop: () => Promise<void>) => void,
) {
  const web = await startWebProcesses(webs);
  onStart(web.stop);
  try {
    for (const r of routes) await openLoop(base, r.targets, 50, 2); // warm-up
    log(`Open loop: requests at a fixed rate, ${seconds} s each, ${webs} web process(es)`);
    log(
      `${"route".padEnd(38)} offered/s  done/s  p50 ms  p90 ms  p99 ms  max ms  errors  ` +
        `late send ms  body KB`,
    );
    const verdicts: string[] = [];
    // The sampler's own backend is left out of PostgreSQL's CPU per request.
    const sampler = (await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!
      .pid;
    for (const rate of rates) {
      for (const r of routes) {
        const seen = await watchWebProcesses(web.metricsPorts);
        const statements = watchSlowStatements(client);
        const cpu0 = machineCpu();
        const proc0 = processCpu(web.pids, sampler);
        const x = await openLoop(base, r.targets, rate, seconds);
        const busy = machineBusy(cpu0, machineCpu());
        const per = perRequest(proc0, processCpu(web.pids, sampler), x.completed);
        const cpu =
          `machine CPU busy ${(100 * busy).toFixed(0)} %; CPU ms per request: ` +
          `web / PostgreSQL / load generator ${per.text}`;
        const inDatabase = await statements();
        const inside = await seen();
        const failed = x.non2xx + x.errors + (x.scheduled - x.completed);
        log(
          `${r.name.padEnd(38)} ${String(rate).padStart(9)}  ${fmt(x.perSecond).padStart(6)}  ` +
            `${x.p50.toFixed(1).padStart(6)}  ${x.p90.toFixed(1).padStart(6)}  ` +
            `${x.p99.toFixed(1).padStart(6)}  ${x.max.toFixed(0).padStart(6)}  ` +
            `${String(failed).padStart(6)}  ${x.sendLagMax.toFixed(1).padStart(12)}  ` +
            `${(x.meanBytes / 1024).toFixed(1).padStart(7)}`,
        );
        log(`${cpu}\n${inside}\n${inDatabase}`.replace(/^/gm, "    "));
        if (rate === 200)
          verdicts.push(
            `target ${r.name} at 200/s offered: p99 < 100 ms and 0 errors ` +
              `${x.p99 < 100 && failed === 0 ? "met" : "NOT met"}`,
          );
      }
    }
    for (const v of verdicts) log(v);
    if (!rates.includes(200)) log("target at 200/s offered: not run (--rates has no 200)");
    log("");
  } finally {
    await web.stop();
    onStart(async () => {});
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
