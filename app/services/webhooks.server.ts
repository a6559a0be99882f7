import type Stripe from "stripe";
import type { Prisma } from "~/generated/prisma/client.ts";
import { verifyWebhook, WebhookSignatureError } from "~/integrations/stripe/stripe.server";
import { db } from "~/infra/db.server";
import { log } from "~/infra/log.server";
import { loadLawBook } from "./legal-figures.server";
import { handleStripeEvent } from "./stripe-events.server";

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
  const { count } = await db().webhookEvent.createMany({
    data: [
      {
        provider: "stripe",
        eventId: event.id,
        type: event.type,
        payload: event as unknown as Prisma.InputJsonValue,
      },
    ],
    skipDuplicates: true,
  });
  if (count > 0) await wakeWorker();
  return { status: 200, stored: count > 0 };
}

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

/**
 * Processes stored events, each in its own transaction and locked while it runs, so two workers
 * never handle one event. An event whose subject is not known yet (a refund before its payment)
 * stays pending and is tried again later; handlers check current state, so a duplicate or
 * out-of-order event changes nothing twice.
 */
export async function processPendingWebhooks(limit = 500) {
  const law = await loadLawBook();
  const ids = await db().webhookEvent.findMany({
    where: { status: "PENDING" },
    // Fresh events first: one that keeps waiting for its subject must not hold up the rest.
    orderBy: [{ attempts: "asc" }, { receivedAt: "asc" }],
    take: limit,
    select: { id: true },
  });
  const counts = { processed: 0, ignored: 0, deferred: 0, failed: 0 };
  for (const { id } of ids) {
    try {
      const outcome = await db().$transaction(async (tx) => {
        const [locked] = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM "WebhookEvent" WHERE id = ${id}::uuid AND status = 'PENDING' FOR UPDATE SKIP LOCKED`;
        if (!locked) return null;
        const row = await tx.webhookEvent.findUniqueOrThrow({ where: { id } });
        const result = await handleStripeEvent(tx, law, row.payload as unknown as Stripe.Event);
        // An event whose subject never arrives stops being retried and waits for a person.
        const givingUp = result === "deferred" && row.attempts + 1 >= MAX_DEFERRALS;
        await tx.webhookEvent.update({
          where: { id },
          data:
            result === "deferred"
              ? givingUp
                ? {
                    status: "FAILED",
                    attempts: { increment: 1 },
                    error: "its payment or checkout never arrived",
                  }
                : { attempts: { increment: 1 } }
              : {
                  status: result === "processed" ? "PROCESSED" : "IGNORED",
                  processedAt: new Date(),
                  attempts: { increment: 1 },
                },
        });
        return result;
      });
      if (outcome) counts[outcome] += 1;
    } catch (error) {
      counts.failed += 1;
      log.error("webhook processing failed", { id, error: String(error) });
      await db().webhookEvent.update({
        where: { id },
        data: { attempts: { increment: 1 }, error: String(error).slice(0, 500) },
      });
    }
  }
  return counts;
}
