// The open-loop load generator of bench/portal.ts (issue 18): requests leave at a fixed rate,
// whatever the server does, and each one's latency counts from the moment it was *scheduled* to
// leave, not from when a connection was free. A closed loop (autocannon's `connections`) sends
// the next request only when one is answered, so a slow server is asked less and its slow
// answers hide ("coordinated omission"); here a slow answer delays nothing that follows and
// shows in full. In its own thread, apart from the web server's event loop.
//
// workerData: { url, targets: [{path, cookie?}], rate (requests/s), seconds, connections }
// Posts: { scheduled, completed, perSecond, p50, p90, p99, max, non2xx, errors, sendLagMax,
//   meanBytes }
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parentPort, workerData } from "node:worker_threads";
import { Pool } from "undici";

const { url, targets, rate, seconds, connections } = workerData;
// Enough connections that requests never wait on this side for one: queueing is the server's.
const pool = new Pool(url, {
  connections,
  pipelining: 1,
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
});
const total = Math.max(1, Math.round(rate * seconds));
const latencies = new Float64Array(total);
let completed = 0;
let non2xx = 0;
let errors = 0;
let sendLagMax = 0;
let bytes = 0;

async function one(i, scheduled) {
  const t = targets[i % targets.length];
  try {
    const res = await pool.request({
      path: t.path,
      method: "GET",
      headers: t.cookie ? { cookie: t.cookie } : {},
    });
    // Read to the end, as a browser does: `dump()` gives up on a body over 128 KiB and closes
    // the connection, which both cut the measurement short and made the server open another.
    for await (const chunk of res.body) bytes += chunk.length;
    if (res.statusCode < 200 || res.statusCode >= 300) non2xx += 1;
  } catch {
    errors += 1;
  }
  latencies[completed] = performance.now() - scheduled;
  completed += 1;
}

const start = performance.now() + 20;
const pending = [];
for (let i = 0; i < total; i++) {
  const scheduled = start + (i * 1000) / rate;
  const wait = scheduled - performance.now();
  if (wait > 0.5) await sleep(wait);
  // Behind schedule (this thread was busy): send now; the latency still counts from `scheduled`.
  sendLagMax = Math.max(sendLagMax, performance.now() - scheduled);
  pending.push(one(i, scheduled));
}
await Promise.all(pending);
const elapsed = (performance.now() - start) / 1000;
await pool.close();

const sorted = latencies.subarray(0, completed).sort();
const at = (q) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0;
parentPort.postMessage({
  scheduled: total,
  completed,
  perSecond: completed / elapsed,
  p50: at(0.5),
  p90: at(0.9),
  p99: at(0.99),
  max: sorted.length ? sorted[sorted.length - 1] : 0,
  non2xx,
  errors,
  sendLagMax,
  meanBytes: completed ? bytes / completed : 0,
});
