import type Stripe from "stripe";
import { verifyWebhook, WebhookSignatureError } from "~/integrations/stripe/stripe.server";
import { db, pgPool, type Tx } from "~/infra/db.server";
import { log } from "~/infra/log.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { completeCheckouts } from "./checkout-completions.server";
import { handleStripeEvent, isCompletion } from "./stripe-events.server";

/**
 * A Stripe callback: the signature is checked on the raw body (every configured secret, a stale
 * timestamp refused), then the event is stored under its unique id and the worker is woken. A
 * bad signature stores nothing. Processing happens later, in `processPendingWebhooks`.
 */
export async function acceptStripeWebhook(
  rawBody: string,
  signature: string | null,
): Promise<{ status: 200 | 400; stored: boolean }> {
  let event: Stripe.Event;
  try {
    event = verifyWebhook(rawBody, signature);
  } catch (error) {
    if (error instanceof WebhookSignatureError) return { status: 400, stored: false };
    throw error;
  }
  const stored = await store(event.id, event.type, rawBody);
  if (stored) wakeWorkerSoon();
  return { status: 200, stored };
}

type Waiting = {
  eventId: string;
  type: string;
  payload: string;
  resolve(stored: boolean): void;
  reject(error: unknown): void;
};

const waiting: Waiting[] = [];
let inserting = 0;
/** Inserts in flight at once; the callbacks that arrive meanwhile wait for the next one. */
const MAX_INSERTS = 2;
const MAX_ROWS = 500;

/**
 * Stores an event under its unique id; true when it is new. Callbacks arriving together share
 * one multi-row INSERT (and one commit) instead of one each: under a burst the database does a
 * few large writes, not hundreds of small ones, and every caller is answered only after its own
 * row is committed. One plain statement on the pool: this is the hot path (see bench/webhooks.ts).
 */
function store(eventId: string, type: string, payload: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    waiting.push({ eventId, type, payload, resolve, reject });
    void insertWaiting();
  });
}

async function insertWaiting() {
  if (inserting >= MAX_INSERTS || waiting.length === 0) return;
  const batch = waiting.splice(0, MAX_ROWS);
  inserting += 1;
  try {
    await insertRows(batch);
  } catch (error) {
    // One bad row must not refuse the others: each on its own, then.
    if (batch.length === 1) batch[0]!.reject(error);
    else for (const row of batch) await insertRows([row]).catch(row.reject);
  } finally {
    inserting -= 1;
    void insertWaiting();
  }
}

async function insertRows(batch: Waiting[]) {
  const { rows } = await pgPool().query<{ eventId: string }>(
    `INSERT INTO "WebhookEvent" (id, provider, "eventId", type, payload)
     SELECT gen_random_uuid(), 'stripe', e, t, p::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[]) AS x(e, t, p)
     ON CONFLICT (provider, "eventId") DO NOTHING
     RETURNING "eventId"`,
    [batch.map((b) => b.eventId), batch.map((b) => b.type), batch.map((b) => b.payload)],
  );
  // The same event twice in one batch is stored once: the first caller is told it was new.
  const stored = new Set(rows.map((r) => r.eventId));
  for (const b of batch) b.resolve(stored.delete(b.eventId));
}

let wakeScheduled = false;

/**
 * Wakes the worker shortly, once for all the events accepted meanwhile: a burst of callbacks
 * makes a few jobs, not one each (each would update the same keyed job row, one at a time).
 * The event is stored either way; the worker's per-minute cron is the safety net.
 */
function wakeWorkerSoon() {
  if (wakeScheduled) return;
  wakeScheduled = true;
  setTimeout(() => {
    wakeScheduled = false;
    void wakeWorker();
  }, WAKE_DELAY_MS).unref();
}

const WAKE_DELAY_MS = 25;

/** Asks graphile-worker to process events now; without it, its per-minute cron does. */
async function wakeWorker() {
  try {
    await db()
      .$executeRaw`SELECT graphile_worker.add_job('process_webhooks', '{}'::json, job_key := 'process_webhooks')`;
  } catch {
    // No worker has created its queue yet: the events wait, stored, for the first one.
  }
}

/** Tries for an event whose subject is unknown (about a day at the worker's once a minute). */
const MAX_DEFERRALS = 1_500;

type Outcome = "processed" | "ignored" | "deferred" | "failed";

/**
 * Processes stored events in batches: a batch is locked with SKIP LOCKED, so two workers never
 * handle one event, and runs in one transaction, each event inside its own savepoint, so an
 * event that fails is rolled back alone and the rest of the batch stands. An event whose subject
 * is not known yet (a refund before its payment) stays pending and is tried again later, at most
 * once per call; handlers check current state, so a duplicate or out-of-order event changes
 * nothing twice.
 */
export async function processPendingWebhooks(limit = 500, batchSize = 100) {
  const law = await loadLawBook();
  const counts = { processed: 0, ignored: 0, deferred: 0, failed: 0 };
  const seen: string[] = [];
  while (seen.length < limit) {
    const outcomes = await db().$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<{ id: string; payload: unknown; attempts: number }[]>`
          SELECT id::text, payload, attempts FROM "WebhookEvent"
          WHERE status = 'PENDING' AND id <> ALL(${seen}::uuid[])
          -- Fresh events first: one that keeps waiting for its subject must not hold up the rest.
          ORDER BY attempts, "receivedAt"
          LIMIT ${Math.min(batchSize, limit - seen.length)}
          FOR UPDATE SKIP LOCKED`;
        const results: { id: string; attempts: number; outcome: Outcome; error: string | null }[] =
          [];
        // Checkout completions, most of any burst, together first; if that fails as a whole,
        // each is handled on its own below like any other event.
        const fast = await completionsTogether(
          tx,
          law,
          rows.map((r) => r.payload as Stripe.Event),
        );
        for (const row of rows) {
          seen.push(row.id);
          const done = fast.get((row.payload as Stripe.Event).id);
          if (done) {
            results.push({ id: row.id, attempts: row.attempts, outcome: done, error: null });
            continue;
          }
          await tx.$executeRaw`SAVEPOINT webhook_event`;
          try {
            const outcome = await handleStripeEvent(tx, law, row.payload as Stripe.Event);
            await tx.$executeRaw`RELEASE SAVEPOINT webhook_event`;
            results.push({ id: row.id, attempts: row.attempts, outcome, error: null });
          } catch (error) {
            await tx.$executeRaw`ROLLBACK TO SAVEPOINT webhook_event`;
            log.error("webhook processing failed", { id: row.id, error: String(error) });
            const message = String(error).slice(0, 500);
            results.push({ id: row.id, attempts: row.attempts, outcome: "failed", error: message });
          }
        }
        if (results.length > 0) await recordOutcomes(tx, results);
        return results.map((r) => r.outcome);
      },
      { timeout: 120_000 },
    );
    if (outcomes.length === 0) break;
    for (const o of outcomes) counts[o] += 1;
  }
  return counts;
}

async function completionsTogether(tx: Tx, law: LawBook, events: Stripe.Event[]) {
  await tx.$executeRaw`SAVEPOINT webhook_completions`;
  try {
    const outcomes = await completeCheckouts(tx, law, events.filter(isCompletion));
    await tx.$executeRaw`RELEASE SAVEPOINT webhook_completions`;
    return outcomes;
  } catch (error) {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT webhook_completions`;
    log.warn("checkout completions together failed; one by one instead", { error: String(error) });
    return new Map<string, Outcome>();
  }
}

/** Every event of a batch marked in one statement. */
async function recordOutcomes(
  tx: Tx,
  results: { id: string; attempts: number; outcome: Outcome; error: string | null }[],
) {
  const status = results.map((r) =>
    r.outcome === "processed"
      ? "PROCESSED"
      : r.outcome === "ignored"
        ? "IGNORED"
        : // An event whose subject never arrives stops being retried and waits for a person.
          r.outcome === "deferred" && r.attempts + 1 >= MAX_DEFERRALS
          ? "FAILED"
          : "PENDING",
  );
  const error = results.map((r, i) =>
    status[i] === "FAILED" ? "its payment or checkout never arrived" : r.error,
  );
  await tx.$executeRaw`
    UPDATE "WebhookEvent" w
    SET status = v.status::"WebhookStatus", attempts = w.attempts + 1,
        error = COALESCE(v.error, w.error),
        "processedAt" = CASE WHEN v.status IN ('PROCESSED', 'IGNORED') THEN now() ELSE NULL END
    FROM unnest(${results.map((r) => r.id)}::uuid[], ${status}::text[], ${error}::text[])
      AS v(id, status, error)
    WHERE w.id = v.id`;
}
