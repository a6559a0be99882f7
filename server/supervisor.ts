import { fork, type ChildProcess } from "node:child_process";

export type Supervised = {
  /** The running child's process id, if one runs now. */
  readonly pid: number | undefined;
  /** How many times the child was started. */
  readonly starts: number;
  stop(): Promise<void>;
};

/**
 * Runs a TypeScript module as a child process and starts it again whenever it stops: after 1 s,
 * then twice as long each time it stops again, at most `maxDelayMs`; a child that ran a minute
 * counts as healthy and the next restart is quick again. Each stop and restart is said in one
 * line, so an outage leaves a trail instead of a silently missing part.
 */
export function supervise(opts: {
  name: string;
  modulePath: string;
  say: (line: string) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Node flags for the child (server/node-flags.ts). */
  nodeFlags?: readonly string[];
}): Supervised {
  const minDelay = opts.minDelayMs ?? 1_000;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  let delay = minDelay;
  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;
  let starts = 0;
  let exited: Promise<void> = Promise.resolve();

  function start() {
    timer = undefined;
    const startedAt = Date.now();
    starts += 1;
    const current = fork(opts.modulePath, [], {
      execArgv: [...(opts.nodeFlags ?? []), "--import", "tsx"],
      stdio: "inherit",
    });
    child = current;
    exited = new Promise((resolve) => {
      current.on("exit", (code, signal) => {
        child = undefined;
        resolve();
        if (stopping) return;
        if (Date.now() - startedAt > 60_000) delay = minDelay;
        opts.say(
          `${opts.name} stopped (${signal ?? `exit code ${code}`}); starting it again in ${delay / 1000} s`,
        );
        timer = setTimeout(start, delay);
        delay = Math.min(delay * 2, maxDelay);
      });
    });
  }
  start();

  return {
    get pid() {
      return child?.pid;
    },
    get starts() {
      return starts;
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      const running = child;
      if (!running) return;
      running.kill("SIGTERM");
      const killer = setTimeout(() => running.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
