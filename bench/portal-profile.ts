// Where a resident page's cost goes, in one process (issue 18): `npx tsx bench/portal-profile.ts
// [--claims N] [--residents N] [--requests N] [--concurrency N]` (default 100,000 claims). Generates
// the data as bench/portal.ts does (`scaleDatabase`), logs residents in, VACUUM ANALYZEs, then
// sends requests for the start page, My claims and claim pages straight to the production build's
// Remix handler (root loader, session read, page loader, render; no HTTP, no load generator) and
// prints per route: this process's CPU ms per request, PostgreSQL's (from /proc), the statements
// per request and each statement's share of the time (counted at pg.Client#query). Run it with
// `node --cpu-prof` (via `tsx`) to see where the web process's time goes; `--dump` keeps one answer
// per route in /tmp. PostgreSQL's CPU is also given by kind of process; `--statements` adds the
// buffers a request touched and each statement's execution and planning time as the server counts
// them (pg_stat_statements). Asserts nothing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";
import pg from "pg";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { roleOf } from "./server-cpu.ts";
import { argNumber, describeData, fmt, log, logIn, machine, scaleDatabase } from "./scale-setup.ts";
import { lastWeekday } from "./explain.ts";

type Stat = { n: number; ms: number };
const statements = new Map<string, Stat>();
/** The first text and values of each statement, to explain afterwards. */
const samples = new Map<string, { text: string; values: unknown[] }>();
let counting = false;

/** Every statement through pg (Prisma's adapter and the plain-SQL pool alike), with its time. */
function countStatements() {
  type Query = (...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (!counting) return original.apply(this, args);
    const first = args[0];
    const text = typeof first === "string" ? first : String((first as { text?: string }).text);
    const key = text.replace(/\s+/g, " ").slice(0, 100);
    if (!samples.has(key) && typeof first === "object")
      samples.set(key, { text, values: (first as { values?: unknown[] }).values ?? [] });
    const started = performance.now();
    const done = () => {
      const s = statements.get(key) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += performance.now() - started;
      statements.set(key, s);
    };
    // The pool passes a callback; a client's own caller gets a promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (...r: unknown[]) => {
        done();
        return (callback as (...a: unknown[]) => unknown)(...r);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  };
}

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
/** The functions with the most self time in a CPU profile, and the packages' shares. */
function printTop(profile: { nodes: ProfileNode[]; samples?: number[] }, title: string) {
  const counts = new Map<number, number>();
  const samples = profile.samples ?? [];
  for (const id of samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const total = Math.max(1, samples.length);
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  for (const node of profile.nodes) {
    const n = counts.get(node.id) ?? 0;
    if (!n) continue;
    const f = node.callFrame;
    const where = f.url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*\/wt-[^/]+\//, "");
    const key = `${f.functionName || "(anonymous)"} ${where}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + n);
    const pkg = /^(@[^/]+\/[^/]+|[^/]+)/.exec(where)?.[1] ?? "(node)";
    byPkg.set(pkg || "(node)", (byPkg.get(pkg || "(node)") ?? 0) + n);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1)} %`;
  log(`  profile ${title}: self time by place`);
  for (const [k, n] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 10))
    log(`    ${pct(n).padStart(7)}  ${k}`);
  for (const [k, n] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25))
    log(`    ${pct(n).padStart(7)}  ${k}`);
}

let postmaster = 0;
/** CPU ms so far of each of this database server's processes, from /proc. */
function postgresCpu(): Map<number, { ms: number; role: string }> {
  const ms = new Map<number, { ms: number; role: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (!name.startsWith("postgres")) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Only this database server's processes (the machine may run others).
      if (Number(entry) !== postmaster && Number(f[1]) !== postmaster) continue;
      const role = Number(entry) === postmaster ? "postmaster" : roleOf(Number(entry));
      ms.set(Number(entry), { ms: (Number(f[11]) + Number(f[12])) * 10, role });
    } catch {
      // ended meanwhile
    }
  }
  return ms;
}

/** Each statement seen, as PostgreSQL runs it prepared (generic plan): EXPLAIN ANALYZE BUFFERS. */
async function explainSamples(client: pg.Client) {
  const literal = (v: unknown): string => {
    if (v === null || v === undefined) return "NULL";
    if (v instanceof Date) return client.escapeLiteral(v.toISOString());
    if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(", ")}]`;
    return client.escapeLiteral(String(v));
  };
  let i = 0;
  for (const [key, { text, values }] of samples) {
    if (!/^\s*(WITH|SELECT)/i.test(text)) continue;
    const name = `explain_${++i}`;
    await client.query(`PREPARE ${name} AS ${text}`);
    const exec = `EXECUTE ${name}(${values.map(literal).join(", ")})`;
    // What PostgreSQL chooses by itself (plan_cache_mode auto) after many executions, as on the
    // app's pooled connections: a custom plan is planned again on every execution.
    await client.query(`SET plan_cache_mode = auto`);
    for (let k = 0; k < 12; k++) await client.query(exec);
    const chosen = await client.query<{ generic_plans: string; custom_plans: string }>(
      `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1`,
      [name],
    );
    log(`  ${key}: ${JSON.stringify(chosen.rows[0])} after 12 executions`);
    for (const mode of ["force_custom_plan", "force_generic_plan"]) {
      await client.query(`SET plan_cache_mode = ${mode}`);
      await client.query(exec); // warm
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${exec}`,
      );
      log(`  EXPLAIN ${mode} ${key}`);
      for (const r of rows) log(`      ${r["QUERY PLAN"]}`);
    }
    await client.query(`DEALLOCATE ${name}`);
  }
}

const byStatement = process.argv.includes("--statements");

/** Blocks this database has found in shared_buffers and read from the OS so far. */
async function blocksOf(client: pg.Client) {
  // The statistics are flushed by each backend at most once a second.
  await new Promise((r) => setTimeout(r, 1100));
  const { rows } = await client.query<{ hit: string; read: string }>(
    `SELECT blks_hit::text AS hit, blks_read::text AS read FROM pg_stat_database
     WHERE datname = current_database()`,
  );
  return { hit: Number(rows[0]!.hit), read: Number(rows[0]!.read) };
}

/** The server's own count of the statements since the last reset, per request. */
async function printStatements(client: pg.Client, requests: number) {
  const { rows } = await client.query<{ calls: string; exec: number; plan: number; query: string }>(
    `SELECT calls::text, total_exec_time AS exec, total_plan_time AS plan,
            left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 90) AS query
     FROM pg_stat_statements
     WHERE query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_database%'
     ORDER BY total_exec_time + total_plan_time DESC LIMIT 6`,
  );
  for (const r of rows)
    log(
      `    server: ${(Number(r.calls) / requests).toFixed(2)} per request, executing ` +
        `${(r.exec / Number(r.calls)).toFixed(3)} ms, planning ${(r.plan / Number(r.calls)).toFixed(3)} ms each: ${r.query}`,
    );
}

async function main() {
  const claims = argNumber("claims", 100_000);
  const residents = argNumber("residents", Math.ceil(claims / 3.33));
  const requests = argNumber("requests", 3_000);
  const concurrency = argNumber("concurrency", 8);
  // `--statements`: each route's statements as the server counts them (pg_stat_statements): the
  // time executing and planning them, against the server's CPU for the route.
  if (byStatement) process.env.PG_SHARED_PRELOAD_LIBRARIES = "pg_stat_statements";
  if (!existsSync(path.resolve("build/server/index.js")))
    throw new Error("no production build in ./build: run `npm run build` first");
  log(`Portal profile: ${fmt(requests)} requests per route, ${concurrency} at a time`);
  log(`machine: ${machine()}`);
  const database = await scaleDatabase({
    name: "bench_portal_profile",
    residents,
    claims,
    asOf: lastWeekday(),
  });
  const client = new pg.Client({ connectionString: database.url });
  const entries: unknown[] = [];
  try {
    await client.connect();
    const backend = (await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`))
      .rows[0]!;
    postmaster = Number(
      readFileSync(`/proc/${backend.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1],
    );
    await describeData((sql) => client.query(sql));
    const size = await client.query<{ size: string; buffers: string }>(
      `SELECT pg_size_pretty(pg_database_size(current_database())) AS size,
              current_setting('shared_buffers') AS buffers`,
    );
    log(`database: ${size.rows[0]!.size}, shared_buffers ${size.rows[0]!.buffers}`);
    if (byStatement) {
      await client.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
      await client.query(`ALTER SYSTEM SET pg_stat_statements.track_planning = on`);
      await client.query(`SELECT pg_reload_conf()`);
    }
    const people = await logIn(client, 5_000);
    await client.query(`VACUUM ANALYZE`);
    await client.query(`CHECKPOINT`);
    log(`sessions: ${fmt(people.length)}; vacuumed`);

    // `--builds a,b`: production builds to compare on the same data, measured in turns.
    const buildsArg = process.argv[process.argv.indexOf("--builds") + 1];
    const buildDirs = (process.argv.includes("--builds") && buildsArg ? buildsArg : "build")
      .split(",")
      .map((d) => path.resolve(d));
    const handlers: { dir: string; handle: ReturnType<typeof createRequestHandler> }[] = [];
    for (const dir of buildDirs) {
      const build = (await import(path.join(dir, "server/index.js"))) as ServerBuild;
      entries.push(build.entry.module);
      handlers.push({ dir, handle: createRequestHandler(build, "production") });
    }
    const base = process.env.PUBLIC_URL!;
    countStatements();
    const routes = [
      { name: "start page /", at: () => ({ path: "/", cookie: undefined as string | undefined }) },
      { name: "My claims /claims", at: (i: number) => ({ path: "/claims", ...person(i) }) },
      {
        name: "claim page /claims/<id>",
        at: (i: number) => {
          const p = people[i % people.length]!;
          return { path: `/claims/${p.claims[i % p.claims.length]}`, cookie: p.cookie };
        },
      },
    ];
    function person(i: number) {
      return { cookie: people[i % people.length]!.cookie };
    }
    async function run(
      handle: ReturnType<typeof createRequestHandler>,
      at: (i: number) => { path: string; cookie?: string },
      n: number,
      from = 0,
    ) {
      let next = 0;
      let bad = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < n) {
            const i = from + next++;
            const t = at(i);
            const res = await handle(
              new Request(`${base}${t.path}`, { headers: t.cookie ? { Cookie: t.cookie } : {} }),
              { cspNonce: "bench" },
            );
            await res.text();
            if (res.status !== 200) bad++;
          }
        }),
      );
      return bad;
    }
    for (const h of handlers) for (const r of routes) await run(h.handle, r.at, 500, 100_000); // warm-up
    // `--dump`: one answer per route and build as HTML in /tmp, to read what a page sends.
    if (process.argv.includes("--dump"))
      for (const [hi, h] of handlers.entries())
        for (const [ri, r] of routes.entries()) {
          const t = r.at(7);
          const res = await h.handle(
            new Request(`${base}${t.path}`, { headers: t.cookie ? { Cookie: t.cookie } : {} }),
            { cspNonce: "bench" },
          );
          const file = `/tmp/portal-profile-${ri}-${hi}.html`;
          const body = await res.text();
          writeFileSync(file, body);
          log(`${r.name}: ${fmt(Buffer.byteLength(body))} bytes in ${file}`);
        }
    const inspector = new Session();
    inspector.connect();
    await inspector.post("Profiler.enable");
    const rounds = argNumber("rounds", 2);
    for (let round = 1; round <= rounds; round++)
      for (const r of routes)
        for (const h of handlers) {
          // As in bench/portal.ts: every session last seen more than a minute ago (each of its
          // 5,000 residents comes back after more than a minute), just after a checkpoint.
          // `--fresh`: all seen just now instead, so no request moves its session's deadline on.
          const seen = process.argv.includes("--fresh") ? "now()" : "now() - interval '2 minutes'";
          await client.query(`UPDATE "Session" SET "lastSeenAt" = ${seen} WHERE kind = 'resident'`);
          await client.query(`CHECKPOINT`);
          const profiling = process.argv.includes("--cpu-prof");
          if (profiling) await inspector.post("Profiler.start");
          // Read before the statements are reset and counted, so these reads are not among them.
          const blocks0 = byStatement ? await blocksOf(client) : null;
          statements.clear();
          if (byStatement) await client.query(`SELECT pg_stat_statements_reset()`);
          counting = true;
          const pg0 = postgresCpu();
          const cpu0 = process.cpuUsage();
          const t0 = performance.now();
          const bad = await run(h.handle, r.at, requests);
          const wall = performance.now() - t0;
          const cpu = process.cpuUsage(cpu0);
          // A process that ended in between is left out; one that began counts from zero.
          let pgMs = 0;
          const byRole = new Map<string, number>();
          for (const [pid, { ms, role }] of postgresCpu()) {
            const used = ms - (pg0.get(pid)?.ms ?? 0);
            pgMs += used;
            byRole.set(role, (byRole.get(role) ?? 0) + used);
          }
          counting = false;
          const label = `${r.name} [${path.relative(process.cwd(), h.dir) || h.dir}] round ${round}`;
          if (profiling) {
            const { profile } = await inspector.post("Profiler.stop");
            const file = `/tmp/portal-profile-${routes.indexOf(r)}-${handlers.indexOf(h)}.cpuprofile`;
            writeFileSync(file, JSON.stringify(profile));
            printTop(profile, `${label} (${file})`);
          }
          const per = (x: number) => (x / requests).toFixed(2);
          log(
            `${label.padEnd(40)} web ${per((cpu.user + cpu.system) / 1000)} ms, PostgreSQL ` +
              `${per(pgMs)} ms CPU per request; ${fmt((requests * 1000) / wall)} req/s; non-200 ${bad}`,
          );
          if (blocks0) {
            const blocks1 = await blocksOf(client);
            log(
              `    buffers per request: ${per(blocks1.hit - blocks0.hit)} found in shared_buffers, ` +
                `${per(blocks1.read - blocks0.read)} read from the OS`,
            );
          }
          log(
            `    PostgreSQL by process: ${
              [...byRole]
                .filter(([, ms]) => ms > 0)
                .map(([role, ms]) => `${role} ${per(ms)} ms`)
                .join(", ") || "none measurable"
            }`,
          );
          if (byStatement) await printStatements(client, requests);
          const all = [...statements.entries()].sort((a, b) => b[1].ms - a[1].ms);
          for (const [text, s] of all)
            log(
              `    ${(s.n / requests).toFixed(2)} per request, ${(s.ms / s.n).toFixed(2)} ms each: ${text}`,
            );
        }
    if (process.argv.includes("--explain")) await explainSamples(client);
  } finally {
    await client.end().catch(() => {});
    for (const e of entries) await (e as { disconnectDb?: () => Promise<void> }).disconnectDb?.();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
