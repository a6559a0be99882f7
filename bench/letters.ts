// Letters benchmark: `npx tsx bench/letters.ts [--letters N] [--workers W]` (N 100,000; W the cores).
// Renders N varied letters (bench/letters-data.ts) as PDF/A in W worker threads and streams them
// into one print batch archive (zip with manifests), then does the same with the same letters as
// plain text, the baseline. Prints letters/s in total and per worker, the CPU time per letter, the
// archive's size and bytes per letter, and the peak RSS; plus one core's render rate measured on
// the main thread alone. Archives go to bench/out/ and are removed at the end.
// It prints figures; it asserts nothing.
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { renderLetterText } from "../app/integrations/letters/letter-text.server.ts";
import { renderLetterPdf } from "../app/integrations/letters/pdf.server.ts";
import {
  writePrintBatch,
  type PrintLetter,
} from "../app/integrations/letters/print-batch.server.ts";
import { benchLetter } from "./letters-data.ts";

const CHUNK = 25;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = Number((i >= 0 ? process.argv[i + 1] : String(fallback))?.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MiB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

type Mode = "pdf" | "text";
type Reply = {
  id: number;
  letters: {
    noticeId: string;
    bytes: ArrayBuffer;
    pages: number;
    recipient: PrintLetter["recipient"];
  }[];
};

/** Letters in order, rendered by the workers, at most two chunks per worker in flight. */
async function* rendered(
  workers: Worker[],
  n: number,
  mode: Mode,
  progress: (done: number) => void,
): AsyncGenerator<PrintLetter> {
  const pending = new Map<number, Promise<Reply>>();
  const chunks = Math.ceil(n / CHUNK);
  let asked = 0;
  const ask = () => {
    const id = asked++;
    const worker = workers[id % workers.length]!;
    pending.set(
      id,
      new Promise<Reply>((resolve) => {
        const onMessage = (reply: Reply) => {
          if (reply.id !== id) return;
          worker.off("message", onMessage);
          resolve(reply);
        };
        worker.on("message", onMessage);
      }),
    );
    worker.postMessage({ id, from: id * CHUNK, count: Math.min(CHUNK, n - id * CHUNK), mode });
  };
  for (let k = 0; k < chunks; k++) {
    while (asked < chunks && asked < k + 2 * workers.length) ask();
    const reply = await pending.get(k)!;
    pending.delete(k);
    for (const l of reply.letters) {
      yield {
        noticeId: l.noticeId,
        pdf: Buffer.from(l.bytes),
        pages: l.pages,
        recipient: l.recipient,
      };
    }
    progress(Math.min(n, (k + 1) * CHUNK));
  }
}

async function run(mode: Mode, n: number, workerCount: number, outDir: string) {
  const workers = Array.from(
    { length: workerCount },
    () => new Worker(new URL("./letters-worker.mjs", import.meta.url)),
  );
  const cpu = process.cpuUsage();
  const start = performance.now();
  // A line every tenth of the run: a long run that is stopped still says how it went, and the
  // memory in use shows whether the batch holds on to letters it has written.
  const every = Math.max(CHUNK, Math.ceil(n / 10 / CHUNK) * CHUNK);
  const progress = (done: number) => {
    if (done % every !== 0 || done === n) return;
    const used = process.cpuUsage(cpu);
    log(
      `  ${mode}: ${fmt(done)} letters in ${fmt((performance.now() - start) / 1000, 1)} s; ` +
        `CPU ${fmt((used.user + used.system) / 1000 / done, 2)} ms/letter; RSS now ${mib(process.memoryUsage().rss)}`,
    );
  };
  const batch = await writePrintBatch({
    creditorSlug: "bench",
    batchId: mode,
    date: "2026-11-20",
    letters: rendered(workers, n, mode, progress),
    outDir,
    entryExtension: mode === "pdf" ? "pdf" : "txt",
  });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  await Promise.all(workers.map((w) => w.terminate()));
  return { batch, seconds, cpuMs: (used.user + used.system) / 1000, rss: peakRss() };
}

/** One core alone: the main thread renders `count` letters in a row, after a warm-up. */
async function oneCore(mode: Mode, count: number): Promise<number> {
  for (let i = 0; i < 20; i++) {
    if (mode === "pdf") await renderLetterPdf(benchLetter(i));
    else renderLetterText(benchLetter(i));
  }
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    if (mode === "pdf") await renderLetterPdf(benchLetter(i));
    else renderLetterText(benchLetter(i));
  }
  return count / ((performance.now() - start) / 1000);
}

async function main() {
  const n = arg("letters", 100_000);
  const workerCount = arg("workers", os.availableParallelism());
  const outDir = path.resolve("bench/out", `letters-${process.pid}`);
  log(
    `Letters benchmark: ${fmt(n)} letters, ${workerCount} rendering threads, ${os.availableParallelism()} cores`,
  );
  log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );

  const textOne = await oneCore("text", 2_000);
  const pdfOne = await oneCore("pdf", 200);
  log(
    `one core, main thread: PDF ${fmt(pdfOne, 1)} letters/s (${fmt(1000 / pdfOne, 2)} ms each); text ${fmt(textOne)} letters/s (${fmt(1000 / textOne, 3)} ms each)`,
  );

  try {
    for (const mode of ["text", "pdf"] as const) {
      const r = await run(mode, n, workerCount, outDir);
      const rate = r.batch.letters / r.seconds;
      log(
        `${mode === "pdf" ? "PDF/A + batch " : "text + batch  "}: ${fmt(r.batch.letters)} letters in ${fmt(r.seconds, 1)} s = ${fmt(rate, 1)} letters/s total, ` +
          `${fmt(rate / workerCount, 1)} per rendering thread; CPU ${fmt(r.cpuMs / r.batch.letters, 2)} ms/letter (all threads); ` +
          `archive ${mib(r.batch.size)} (${fmt(r.batch.size / r.batch.letters)} bytes/letter, ${fmt(r.batch.pages)} pages); peak RSS so far ${mib(r.rss)}`,
      );
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
}

await main();
