import type Stripe from "stripe";
import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import type { Tx } from "~/infra/db.server";
import { loadClaimStates } from "../claims/batch-claim-states.server";
import { refreshNextActions } from "../claims/next-action.server";
import type { LawBook } from "../law/legal-figures.server";
import { recordPayment, recordPayments, recordRefund, type PaymentInput } from "./ledger.server";
import { queueReceipts, receiptOf } from "./receipts.server";
import { raiseTask } from "./staff-tasks.server";

export type Outcome = "processed" | "ignored" | "deferred";

const dayOf = (event: Stripe.Event) => todayIn("Europe/Stockholm", new Date(event.created * 1000));

/** The checkout an event is about, locked: a completion and an expiry at once are taken in turn. */
async function checkoutOf(tx: Tx, session: Stripe.Checkout.Session) {
  const id = session.metadata?.checkoutId ?? session.client_reference_id ?? null;
  const [found] =
    id && isUuid(id)
      ? await tx.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM "Checkout" WHERE id = ${id}::uuid FOR UPDATE`
      : await tx.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM "Checkout" WHERE "providerSessionId" = ${session.id} FOR UPDATE`;
  if (!found) return null;
  return tx.checkout.findUniqueOrThrow({ where: { id: found.id }, include: { items: true } });
}

/**
 * Lifts the payment-pending holds these checkouts placed on these claims, each with its event,
 * in one statement. The caller refreshes the claims' next action dates afterwards.
 */
async function releasePending(
  tx: Tx,
  released: { checkoutId: string; claimId: string; on: string }[],
) {
  if (released.length === 0) return;
  await tx.$executeRaw`
    WITH wanted AS (
      SELECT * FROM unnest(${released.map((r) => r.claimId)}::uuid[],
                           ${released.map((r) => `Online payment ${r.checkoutId}`)}::text[],
                           ${released.map((r) => r.on)}::date[]) AS w(claim, reason, d)),
    released AS (
      UPDATE "Hold" h SET "releasedOn" = w.d FROM wanted w
      WHERE h."claimId" = w.claim AND h.kind = 'PAYMENT_PENDING' AND h."releasedOn" IS NULL
        AND h.reason = w.reason
      RETURNING h.id, h."claimId", h.kind, w.d)
    INSERT INTO "Event" ("claimId", "residentId", "creditorId", type, actor, data, "occurredOn")
    SELECT r."claimId", c."residentId", c."creditorId", 'hold.released', 'stripe',
           jsonb_build_object('holdId', r.id, 'kind', r.kind, 'reason', 'payment finished'), r.d
    FROM released r JOIN "Claim" c ON c.id = r."claimId"
    ORDER BY r."claimId", r.id`;
}

const pendingOf = (checkoutId: string, claimIds: string[], on: string) =>
  claimIds.map((claimId) => ({ checkoutId, claimId, on }));

async function completed(
  tx: Tx,
  law: LawBook,
  event: Stripe.Event,
  session: Stripe.Checkout.Session,
): Promise<Outcome> {
  const checkout = await checkoutOf(tx, session);
  if (!checkout) return "deferred";
  if (checkout.status === "PAID" || checkout.status === "MISMATCH") return "ignored";
  const on = dayOf(event);
  const claimIds = checkout.items.map((i) => i.claimId);
  // What was paid must be what was asked; anything else is for a person, not the ledger.
  if (
    session.amount_total !== checkout.amount ||
    session.currency?.toUpperCase() !== checkout.currency
  ) {
    await tx.checkout.update({ where: { id: checkout.id }, data: { status: "MISMATCH" } });
    await raiseTask(tx, {
      kind: "PAYMENT_MISMATCH",
      sourceKey: `stripe:${event.id}`,
      claimId: claimIds[0] ?? null,
      data: {
        checkoutId: checkout.id,
        asked: { amount: checkout.amount, currency: checkout.currency },
        paid: { amount: session.amount_total, currency: session.currency },
      },
    });
    await releasePending(tx, pendingOf(checkout.id, claimIds, on));
    await refreshNextActions(tx, claimIds, law, on);
    return "processed";
  }
  const intent =
    typeof session.payment_intent === "string"
      ? session.payment_intent
      : (session.payment_intent?.id ?? session.id);
  for (const item of checkout.items) {
    await recordPayment(tx, law, {
      claimId: item.claimId,
      amount: item.amount,
      currency: checkout.currency,
      receivedOn: on,
      method: "card",
      providerRef: `stripe:${intent}:${item.claimId}`,
      actor: "stripe",
      checkoutId: checkout.id,
      deferRefresh: true,
    });
  }
  await tx.checkout.update({ where: { id: checkout.id }, data: { status: "PAID" } });
  await releasePending(tx, pendingOf(checkout.id, claimIds, on));
  // One load of the claims as they now stand serves both the next action dates and the receipt.
  const states = await loadClaimStates(tx, claimIds);
  await refreshNextActions(tx, claimIds, law, on, states);
  await queueReceipts(tx, [receiptOf(law, checkout, states, on)]);
  return "processed";
}

async function ended(
  tx: Tx,
  law: LawBook,
  event: Stripe.Event,
  session: Stripe.Checkout.Session,
  status: "FAILED" | "EXPIRED",
): Promise<Outcome> {
  const checkout = await checkoutOf(tx, session);
  if (!checkout) return "deferred";
  if (checkout.status !== "OPEN") return "ignored";
  await tx.checkout.update({ where: { id: checkout.id }, data: { status } });
  const claimIds = checkout.items.map((i) => i.claimId);
  await releasePending(tx, pendingOf(checkout.id, claimIds, dayOf(event)));
  await refreshNextActions(tx, claimIds, law, dayOf(event));
  return "processed";
}

/** Spreads a refund over the payments of one payment intent, last claim first. */
async function spreadRefund(
  tx: Tx,
  law: LawBook,
  payments: { id: string; amount: number; refunds: { amount: number }[] }[],
  amount: number,
  refKey: string,
  on: string,
) {
  let left = amount;
  for (const p of [...payments].reverse()) {
    if (left <= 0) break;
    const refundable = p.amount - p.refunds.reduce((t, r) => t + r.amount, 0);
    const take = Math.min(left, refundable);
    if (take <= 0) continue;
    await recordRefund(tx, law, {
      paymentId: p.id,
      amount: take,
      providerRef: `stripe:${refKey}:${p.id}`,
      refundedOn: on,
      actor: "stripe",
    });
    left -= take;
  }
}

/**
 * A refund as Stripe reports it on the charge. When the event lists the charge's refunds, each
 * is recorded once under its own id, so duplicates and any order give the same ledger. Without
 * the list only the cumulative `amount_refunded` is known: the part not yet recorded is new, so
 * the money ends the same, though reordered events may split it into other rows.
 */
async function refunded(
  tx: Tx,
  law: LawBook,
  event: Stripe.Event,
  charge: Stripe.Charge,
): Promise<Outcome> {
  const intent =
    typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
  if (!intent) return "ignored";
  // Lock the claims first, then read what was refunded: two workers handling two refund events
  // of one charge must not both start from the same total.
  await tx.$queryRaw`
    SELECT c.id FROM "Claim" c JOIN "Payment" p ON p."claimId" = c.id
    WHERE p."providerRef" LIKE ${`stripe:${intent}:%`} ORDER BY c.id FOR UPDATE OF c`;
  const load = () =>
    tx.payment.findMany({
      where: { providerRef: { startsWith: `stripe:${intent}:` } },
      include: { refunds: true },
      orderBy: { createdAt: "asc" },
    });
  let payments = await load();
  if (payments.length === 0) return "deferred"; // the payment's own event has not been processed yet
  const listed = charge.refunds?.data;
  if (listed && listed.length > 0) {
    for (const r of listed) {
      if (r.status && r.status !== "succeeded" && r.status !== "pending") continue;
      const seen = await tx.refund.count({
        where: { providerRef: { startsWith: `stripe:${r.id}:` } },
      });
      if (seen > 0) continue;
      await spreadRefund(
        tx,
        law,
        payments,
        r.amount,
        r.id,
        todayIn("Europe/Stockholm", new Date(r.created * 1000)),
      );
      payments = await load();
    }
    return "processed";
  }
  const recorded = payments.reduce((s, p) => s + p.refunds.reduce((t, r) => t + r.amount, 0), 0);
  const delta = charge.amount_refunded - recorded;
  if (delta > 0)
    await spreadRefund(
      tx,
      law,
      payments,
      delta,
      `${charge.id}:${charge.amount_refunded}`,
      dayOf(event),
    );
  return "processed";
}

/**
 * What one stored Stripe event does to the ledger. Each handler checks the current state, so a
 * repeated or out-of-order event changes nothing twice; "deferred" means its subject (a payment,
 * a checkout) is not known yet and the event should be tried again later.
 */
export async function handleStripeEvent(
  tx: Tx,
  law: LawBook,
  event: Stripe.Event,
): Promise<Outcome> {
  switch (event.type) {
    case "checkout.session.completed":
      return event.data.object.payment_status === "paid"
        ? completed(tx, law, event, event.data.object)
        : "ignored";
    case "checkout.session.async_payment_succeeded":
      return completed(tx, law, event, event.data.object);
    case "checkout.session.async_payment_failed":
      return ended(tx, law, event, event.data.object, "FAILED");
    case "checkout.session.expired":
      return ended(tx, law, event, event.data.object, "EXPIRED");
    case "charge.refunded":
      return refunded(tx, law, event, event.data.object);
    case "charge.dispute.created": {
      const dispute = event.data.object;
      await raiseTask(tx, {
        kind: "CARD_DISPUTE",
        sourceKey: `stripe:${dispute.id}`,
        data: {
          dispute: dispute.id,
          charge: dispute.charge,
          amount: dispute.amount,
          reason: dispute.reason,
        },
      });
      return "processed";
    }
    default:
      return "ignored";
  }
}

const isCompletion = (event: Stripe.Event) =>
  (event.type === "checkout.session.completed" && event.data.object.payment_status === "paid") ||
  event.type === "checkout.session.async_payment_succeeded";

/**
 * Many checkout completions in a fixed number of statements: what a burst of callbacks mostly is.
 * Takes the plain cases (checkout known and open, paid exactly what was asked, no claim in two of
 * them) and answers their outcomes by event id, with the same effect as `handleStripeEvent` on
 * each in turn; every other event is left to `handleStripeEvent`.
 */
export async function handleCompletions(
  tx: Tx,
  law: LawBook,
  events: Stripe.Event[],
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  const candidates = events.flatMap((event) => {
    if (!isCompletion(event)) return [];
    const session = event.data.object as Stripe.Checkout.Session;
    const id = session.metadata?.checkoutId ?? session.client_reference_id ?? null;
    return id && isUuid(id) ? [{ event, session, checkoutId: id }] : [];
  });
  if (candidates.length === 0) return outcomes;
  const ids = [...new Set(candidates.map((c) => c.checkoutId))].sort();
  const checkouts = await tx.$queryRaw<
    { id: string; status: string; amount: number; currency: string }[]
  >`SELECT id::text, status::text, amount, currency FROM "Checkout"
    WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
  const items = await tx.$queryRaw<{ checkoutId: string; claimId: string; amount: number }[]>`
    SELECT "checkoutId"::text, "claimId"::text, amount FROM "CheckoutItem"
    WHERE "checkoutId" = ANY(${ids}::uuid[]) ORDER BY id`;
  const byId = new Map(checkouts.map((c) => [c.id, { ...c, items: [] as typeof items }]));
  for (const item of items) byId.get(item.checkoutId)?.items.push(item);

  const taken: {
    event: Stripe.Event;
    checkout: NonNullable<ReturnType<typeof byId.get>>;
    on: string;
    intent: string;
  }[] = [];
  const seenCheckouts = new Set<string>();
  const seenClaims = new Set<string>();
  for (const { event, session, checkoutId } of candidates) {
    const checkout = byId.get(checkoutId);
    // Unknown yet, asked twice in this batch, or not paid as asked: one by one, as always.
    if (!checkout || seenCheckouts.has(checkoutId)) continue;
    seenCheckouts.add(checkoutId);
    if (checkout.status === "PAID" || checkout.status === "MISMATCH") {
      outcomes.set(event.id, "ignored");
      continue;
    }
    if (
      session.amount_total !== checkout.amount ||
      session.currency?.toUpperCase() !== checkout.currency ||
      checkout.items.some((i) => seenClaims.has(i.claimId))
    )
      continue;
    for (const i of checkout.items) seenClaims.add(i.claimId);
    const intent =
      typeof session.payment_intent === "string"
        ? session.payment_intent
        : (session.payment_intent?.id ?? session.id);
    taken.push({ event, checkout, on: dayOf(event), intent });
  }
  if (taken.length === 0) return outcomes;

  const inputs: PaymentInput[] = taken.flatMap(({ checkout, on, intent }) =>
    checkout.items.map((item) => ({
      claimId: item.claimId,
      amount: item.amount,
      currency: checkout.currency,
      receivedOn: on,
      method: "card" as const,
      providerRef: `stripe:${intent}:${item.claimId}`,
      actor: "stripe",
      checkoutId: checkout.id,
    })),
  );
  await recordPayments(tx, law, inputs, { deferRefresh: true });
  await tx.$executeRaw`
    UPDATE "Checkout" SET status = 'PAID', "updatedAt" = now()
    WHERE id = ANY(${taken.map((t) => t.checkout.id)}::uuid[])`;
  await releasePending(
    tx,
    taken.flatMap((t) =>
      pendingOf(
        t.checkout.id,
        t.checkout.items.map((i) => i.claimId),
        t.on,
      ),
    ),
  );
  const claimIds = [...seenClaims];
  const states = new Map((await loadClaimStates(tx, claimIds)).map((r) => [r.id, r]));
  for (const on of new Set(taken.map((t) => t.on))) {
    const ids = taken
      .filter((t) => t.on === on)
      .flatMap((t) => t.checkout.items.map((i) => i.claimId));
    await refreshNextActions(
      tx,
      ids,
      law,
      on,
      ids.map((id) => states.get(id)!),
    );
  }
  await queueReceipts(
    tx,
    taken.map((t) =>
      receiptOf(
        law,
        t.checkout,
        t.checkout.items.map((i) => states.get(i.claimId)!),
        t.on,
      ),
    ),
  );
  for (const t of taken) outcomes.set(t.event.id, "processed");
  return outcomes;
}
