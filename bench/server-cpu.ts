// CPU time of one embedded PostgreSQL server (its postmaster and every backend it started) and of
// this process, from /proc. On a machine shared with other work a step's wall time says as much
// about the others as about the step; its CPU time does not (`bench/escalation.ts` prints both).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

function stat(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    return raw.slice(raw.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null; // ended meanwhile
  }
}

/**
 * Milliseconds of CPU used so far by the server whose data directory is `dataDir` (the
 * postmaster, its live children, and the children it has already reaped) plus this process;
 * null where there is no /proc or no embedded server (a `BENCH_DATABASE_URL` one).
 */
export function serverAndSelfCpuMs(dataDir: string): number | null {
  const split = serverCpuSplitMs(dataDir);
  return split === null ? null : split.server + split.self;
}

/** What a server process is, from its title: "postgres: walwriter", "postgres: user db ...". */
export function roleOf(pid: number): string {
  let title = "";
  try {
    title = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return "ended";
  }
  const rest = title.replace(/^postgres:\s*/, "");
  for (const role of [
    "autovacuum worker",
    "autovacuum launcher",
    "io worker",
    "walwriter",
    "checkpointer",
    "background writer",
    "logical replication launcher",
  ])
    if (rest.startsWith(role)) return role;
  return "backends";
}

/**
 * The same, apart: the server's milliseconds and this process's, and the server's by kind of
 * process (its backends, autovacuum, the WAL writer, the I/O workers...; `reaped` is what
 * processes that ended used, which the postmaster's children's times hold).
 */
export function serverCpuSplitMs(
  dataDir: string,
): { server: number; self: number; roles: Record<string, number> } | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync("/proc/self/stat") || !existsSync(pidFile)) return null;
  const postmaster = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  const own = stat(postmaster);
  if (!own) return null;
  // Fields after the name: 0 state, 1 ppid, ... 11 utime, 12 stime, 13 cutime, 14 cstime.
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  const roles: Record<string, number> = {
    postmaster: (Number(own[11]) + Number(own[12])) * TICK_MS,
    reaped: (Number(own[13]) + Number(own[14])) * TICK_MS,
  };
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = stat(Number(entry));
    if (!fields || Number(fields[1]) !== postmaster) continue;
    const child = Number(fields[11]) + Number(fields[12]);
    ticks += child;
    const role = roleOf(Number(entry));
    roles[role] = (roles[role] ?? 0) + child * TICK_MS;
  }
  const self = process.cpuUsage();
  return { server: ticks * TICK_MS, self: (self.user + self.system) / 1000, roles };
}
