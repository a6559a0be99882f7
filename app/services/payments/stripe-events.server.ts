import type Stripe from "stripe";
import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import type { Tx } from "~/infra/db.server";
import { CHECKOUT_MACHINE } from "~/domain/case-transitions";
import { checkMove } from "~/domain/state-machine";
import { refreshNextActions } from "../claims/next-action.server";
import type { LawBook } from "../law/legal-figures.server";
import { completeCheckouts, dayOf, type Outcome } from "./checkout-completions.server";
import { recordRefund } from "./ledger.server";
import { releasePending } from "./pending-holds.server";
import { raiseTask } from "./staff-tasks.server";

export type { Outcome } from "./checkout-completions.server";

const pendingOf = (checkoutId: string, claimIds: string[], on: string) =>
  claimIds.map((claimId) => ({ checkoutId, claimId, on }));

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
  checkMove(CHECKOUT_MACHINE, checkout.status, status === "FAILED" ? "fail" : "expire", "system");
  await tx.checkout.update({ where: { id: checkout.id, status: "OPEN" }, data: { status } });
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
        ? (await completeCheckouts(tx, law, [event])).get(event.id)!
        : "ignored";
    case "checkout.session.async_payment_succeeded":
      return (await completeCheckouts(tx, law, [event])).get(event.id)!;
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

/** A paid checkout: what a burst of callbacks mostly is, booked together by completeCheckouts. */
export const isCompletion = (event: Stripe.Event) =>
  (event.type === "checkout.session.completed" && event.data.object.payment_status === "paid") ||
  event.type === "checkout.session.async_payment_succeeded";
