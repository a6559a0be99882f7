// The load generator of bench/portal.ts, in its own thread so that it does not share the web
// server's event loop: autocannon with `connections` keep-alive connections for `seconds`, each
// request with the next (cookie, path) pair, so every request is another resident's.
import autocannon from "autocannon";
import { parentPort, workerData } from "node:worker_threads";

const { url, targets, connections, seconds } = workerData;
let next = 0;
const opts = { url, connections, duration: seconds };
// Inside a worker thread autocannon leaves its result unaggregated (histograms encoded).
const raw = await autocannon({
  ...opts,
  requests: [
    {
      setupRequest(req) {
        const t = targets[next++ % targets.length];
        return {
          ...req,
          path: t.path,
          headers: { ...req.headers, ...(t.cookie ? { cookie: t.cookie } : {}) },
        };
      },
    },
  ],
});
const result = autocannon.aggregateResult([raw], opts);
parentPort.postMessage({
  requests: raw.totalCompletedRequests,
  perSecond: raw.totalCompletedRequests / raw.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  duration: result.duration,
});
