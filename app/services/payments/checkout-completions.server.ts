import type Stripe from "stripe";
import { todayIn } from "~/domain/calendar-date";
import { checkMove } from "~/domain/state-machine";
import { CHECKOUT_MACHINE } from "~/domain/case-transitions";
import { isUuid } from "~/domain/ids";
import type { Tx } from "~/infra/db.server";
import { loadClaims } from "../claims/load-claims.server";
import { refreshNextActions } from "../claims/next-action.server";
import type { LawBook } from "../law/legal-figures.server";
import { recordPayments, type PaymentInput } from "./ledger.server";
import { queueReceipts, receiptOf } from "./receipts.server";
import { releasePending } from "./pending-holds.server";
import { raiseTask } from "./staff-tasks.server";

export type Outcome = "processed" | "ignored" | "deferred";

/** The office's day of an event, for what belongs to no one claim. */
export const dayOf = (event: Stripe.Event) =>
  todayIn("Europe/Stockholm", new Date(event.created * 1000));

/**
 * The day a checkout's money is counted on a claim: the claim's creditor's day when the provider
 * confirmed it, the same clock its checkout priced the claim by (decision 0099).
 */
const bookingDayOf = (event: Stripe.Event, item: { timeZone: string }) =>
  todayIn(item.timeZone, new Date(event.created * 1000));

const checkoutIdOf = (session: Stripe.Checkout.Session) => {
  const id = session.metadata?.checkoutId ?? session.client_reference_id ?? null;
  return id && isUuid(id) ? id : null;
};

type Locked = {
  id: string;
  providerSessionId: string | null;
  status: "OPEN" | "PAID" | "FAILED" | "EXPIRED" | "MISMATCH";
  amount: number;
  currency: string;
  items: {
    claimId: string;
    amount: number;
    /** What the claim owed in all on `pricedOn`, as the checkout computed it (null: older). */
    owed: number | null;
    pricedOn: string | null;
    timeZone: string;
  }[];
};

/** The checkouts these sessions are about, locked in id order, with what each asked for. */
async function lockCheckouts(tx: Tx, sessions: Stripe.Checkout.Session[]) {
  const ids = sessions.map(checkoutIdOf).filter((id): id is string => id !== null);
  const sessionIds = sessions.filter((s) => !checkoutIdOf(s)).map((s) => s.id);
  const rows = await tx.$queryRaw<Omit<Locked, "items">[]>`
    SELECT id::text, "providerSessionId", status::text AS status, amount, currency
    FROM "Checkout"
    WHERE id = ANY(${ids}::uuid[]) OR "providerSessionId" = ANY(${sessionIds}::text[])
    ORDER BY id FOR UPDATE`;
  const items = await tx.$queryRaw<({ checkoutId: string } & Locked["items"][number])[]>`
    SELECT i."checkoutId"::text, i."claimId"::text, i.amount, i.owed,
           to_char(i."pricedOn", 'YYYY-MM-DD') AS "pricedOn", cr."timeZone"
    FROM "CheckoutItem" i
    JOIN "Claim" c ON c.id = i."claimId" JOIN "Creditor" cr ON cr.id = c."creditorId"
    WHERE i."checkoutId" = ANY(${rows.map((r) => r.id)}::uuid[]) ORDER BY i.id`;
  const locked = rows.map((r) => ({ ...r, items: [] as Locked["items"] }));
  const byId = new Map(locked.map((c) => [c.id, c]));
  for (const item of items) byId.get(item.checkoutId)?.items.push(item);
  const bySession = new Map(locked.map((c) => [c.providerSessionId, c]));
  return (session: Stripe.Checkout.Session) => {
    const id = checkoutIdOf(session);
    return (id ? byId.get(id) : bySession.get(session.id)) ?? null;
  };
}

/**
 * Checkout completions, one or a burst of them, in a fixed number of statements per round: each
 * is checked against what its checkout asked (amount and currency) and booked on its claims by
 * the ledger, or, when it differs, left to a person (a mismatch task) and the pause lifted. A
 * checkout already finished is ignored; one not known yet is deferred. Completions of one
 * checkout, or of claims already booked in this round, wait for the next round, so every claim
 * is allocated against what the payment before it left owing.
 */
export async function completeCheckouts(
  tx: Tx,
  law: LawBook,
  events: Stripe.Event[],
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  let pending = events.map((event) => ({
    event,
    session: event.data.object as Stripe.Checkout.Session,
  }));
  while (pending.length > 0) {
    const checkoutOf = await lockCheckouts(
      tx,
      pending.map((p) => p.session),
    );
    const later: typeof pending = [];
    const paid: { event: Stripe.Event; checkout: Locked; intent: string }[] = [];
    const mismatched: typeof paid = [];
    const seenCheckouts = new Set<string>();
    const seenClaims = new Set<string>();
    for (const p of pending) {
      const checkout = checkoutOf(p.session);
      if (!checkout) {
        outcomes.set(p.event.id, "deferred");
        continue;
      }
      if (seenCheckouts.has(checkout.id) || checkout.items.some((i) => seenClaims.has(i.claimId))) {
        later.push(p);
        continue;
      }
      if (checkout.status === "PAID" || checkout.status === "MISMATCH") {
        outcomes.set(p.event.id, "ignored");
        continue;
      }
      seenCheckouts.add(checkout.id);
      for (const i of checkout.items) seenClaims.add(i.claimId);
      const intent =
        typeof p.session.payment_intent === "string"
          ? p.session.payment_intent
          : (p.session.payment_intent?.id ?? p.session.id);
      const taken = { event: p.event, checkout, intent };
      // What was paid must be what was asked; anything else is for a person, not the ledger.
      const asked =
        p.session.amount_total === checkout.amount &&
        p.session.currency?.toUpperCase() === checkout.currency;
      checkMove(CHECKOUT_MACHINE, checkout.status, asked ? "complete" : "mismatch", "system");
      (asked ? paid : mismatched).push(taken);
    }
    await book(tx, law, paid, mismatched);
    for (const t of [...paid, ...mismatched]) outcomes.set(t.event.id, "processed");
    pending = later;
  }
  return outcomes;
}

async function book(
  tx: Tx,
  law: LawBook,
  paid: { event: Stripe.Event; checkout: Locked; intent: string }[],
  mismatched: typeof paid,
) {
  if (paid.length + mismatched.length === 0) return;
  for (const m of mismatched) {
    const session = m.event.data.object as Stripe.Checkout.Session;
    await raiseTask(tx, {
      kind: "PAYMENT_MISMATCH",
      sourceKey: `stripe:${m.event.id}`,
      claimId: m.checkout.items[0]?.claimId ?? null,
      data: {
        checkoutId: m.checkout.id,
        asked: { amount: m.checkout.amount, currency: m.checkout.currency },
        paid: { amount: session.amount_total, currency: session.currency },
      },
    });
  }
  const inputs: PaymentInput[] = paid.flatMap(({ event, checkout, intent }) =>
    checkout.items.map((item) => ({
      claimId: item.claimId,
      amount: item.amount,
      currency: checkout.currency,
      receivedOn: bookingDayOf(event, item),
      method: "card" as const,
      providerRef: `stripe:${intent}:${item.claimId}`,
      actor: "stripe",
      checkoutId: checkout.id,
      // Asked as the claim's whole balance of its priced day: it settles the claim (0099).
      settles:
        item.owed !== null && item.pricedOn !== null
          ? { pricedOn: item.pricedOn, owed: item.owed }
          : null,
    })),
  );
  await recordPayments(tx, law, inputs, { deferRefresh: true });
  await tx.$executeRaw`
    UPDATE "Checkout" c SET status = v.status::"CheckoutStatus", "updatedAt" = now()
    FROM unnest(${[...paid, ...mismatched].map((t) => t.checkout.id)}::uuid[],
                ${[...paid.map(() => "PAID"), ...mismatched.map(() => "MISMATCH")]}::text[])
      AS v(id, status)
    WHERE c.id = v.id AND c.status IN ('OPEN', 'FAILED', 'EXPIRED')`;
  const all = [...paid, ...mismatched];
  // Each claim on its creditor's day, the day its payment was booked.
  const claimDays = all.flatMap((t) =>
    t.checkout.items.map((i) => ({
      checkoutId: t.checkout.id,
      claimId: i.claimId,
      on: bookingDayOf(t.event, i),
    })),
  );
  await releasePending(tx, claimDays);
  // One load of the claims as they now stand serves both the next action dates and the receipts.
  const claimIds = [...new Set(claimDays.map((d) => d.claimId))];
  const states = new Map((await loadClaims(tx, { ids: claimIds })).map((r) => [r.id, r]));
  for (const on of new Set(claimDays.map((d) => d.on))) {
    const ids = [...new Set(claimDays.filter((d) => d.on === on).map((d) => d.claimId))];
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
    paid.map((t) =>
      receiptOf(
        law,
        t.checkout,
        t.checkout.items.map((i) => states.get(i.claimId)!),
        bookingDayOf(t.event, t.checkout.items[0]!),
      ),
    ),
  );
}
