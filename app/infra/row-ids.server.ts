import { randomFillSync } from "node:crypto";
import { v7 } from "uuid";

// Random bytes for 256 ids at a time: `uuid`'s own source asks the Web Crypto API for 16 bytes
// per id, which costs 5–7 µs a call on Node 20 (1.5–2 s of a sweep's 300,000 ids); Node's own
// `randomUUID()` pools its randomness the same way.
const pool = new Uint8Array(16 * 256);
let used = pool.length;

function randomBytes16(): Uint8Array {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 16;
  return pool.subarray(used - 16, used);
}

/**
 * A new row's id: a UUID version 7 (RFC 9562), whose first 48 bits are the time in milliseconds
 * and the rest random. Rows written together get neighbouring ids, so their primary-key (and
 * id-keyed unique) indexes grow at their right-hand edge instead of each touching a random page
 * (decision 0119).
 */
export function newRowId(): string {
  return v7({ random: randomBytes16() });
}
