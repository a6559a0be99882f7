/* global URL, Buffer, performance */
// The load generator of bench/webhooks.ts, in its own thread so that it does not share the web
// server's event loop. Sends each body once over keep-alive loopback connections, `inFlight` at
// a time, each signed at send time as Stripe signs (t=<unix seconds>,v1=<HMAC-SHA256>).
import { createHmac } from "node:crypto";
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { url, bodies, secret, inFlight, timeLimitMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
const target = new URL(url);

function sign(body) {
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          "Stripe-Signature": sign(body),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const latencies = [];
const statuses = {};
const deadline = performance.now() + timeLimitMs;
let next = 0;
async function lane() {
  while (next < bodies.length && performance.now() < deadline) {
    const body = bodies[next++];
    const start = performance.now();
    const status = await post(body);
    latencies.push(performance.now() - start);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
}
const t0 = performance.now();
await Promise.all(Array.from({ length: inFlight }, lane));
agent.destroy();
parentPort.postMessage({ latencies, statuses, ms: performance.now() - t0 });
