import { CHECKOUT_MACHINE } from "~/domain/case-transitions";
import { checkMove } from "~/domain/state-machine";
import { recordEvent } from "../events/events.server";
import { createHash } from "node:crypto";
import { isUuid } from "~/domain/ids";
import { Prisma } from "~/generated/prisma/client.ts";
import { addDays, todayIn } from "~/domain/calendar-date";
import { allocatePayment, type AllocationOrder } from "~/domain/balance";
import { createCheckoutSession } from "~/integrations/stripe/stripe.server";
import { db } from "~/infra/db.server";
import type { Lang } from "~/i18n/config";
import { dbDate } from "~/infra/db-dates.server";
import { log } from "~/infra/log.server";
import { statementOf, type ClaimSnapshot } from "~/domain/claim";
import { groupByCurrency } from "~/domain/currency-groups";
import { loadClaims } from "../claims/load-claims.server";
import { refreshNextActions } from "../claims/next-action.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";

/** Below this a part payment is not offered (unless less than it is owed): 100 kr. */
export const MIN_PART_PAYMENT = 10_000;

export type PreviewItem = {
  claimId: string;
  creditorName: string;
  claimTypeName: string;
  names: Record<string, string>;
  currency: string;
  /** The claim's whole balance on `pricedOn`. */
  owed: number;
  /** The day (the creditor's) the amounts are computed for: the day the money is counted. */
  pricedOn: string;
  amount: number;
  /** What the money pays, line by line, in the policy's allocation order. */
  covers: { kind: string; amount: number }[];
  remaining: number;
};

export type PreviewError =
  "not_found" | "mixed_currency" | "amount_too_small" | "amount_too_large" | "nothing_owed";

/** Bills asked together in several currencies: each currency's bills, to be paid on their own. */
export type PayableGroup = { currency: string; total: number; claimIds: string[] };

export type PaymentPreview =
  | { ok: true; items: PreviewItem[]; total: number; currency: string }
  | { ok: false; error: PreviewError; min?: number; max?: number; groups?: PayableGroup[] };

const categoryOf = (kind: string) =>
  kind === "PRINCIPAL" ? "principal" : kind === "INTEREST" ? "interest" : "costs";

/** Takes `amounts` per category off the lines in order: fees oldest first, then interest, then principal. */
function takeFromLines(lines: { kind: string; amount: number }[], amounts: Record<string, number>) {
  const left = { ...amounts };
  const taken: { kind: string; amount: number }[] = [];
  const rest: { kind: string; amount: number }[] = [];
  for (const line of lines) {
    const key = categoryOf(line.kind);
    const take = Math.min(line.amount, Math.max(0, left[key] ?? 0));
    left[key] = (left[key] ?? 0) - take;
    if (take > 0) taken.push({ kind: line.kind, amount: take });
    if (line.amount - take > 0) rest.push({ kind: line.kind, amount: line.amount - take });
  }
  return { taken, rest };
}

/** The lines a payment takes, listed in the order the money goes to them (the policy's). */
function inAllocationOrder<L extends { kind: string }>(lines: L[], order: AllocationOrder): L[] {
  const rank = (l: L) => order.indexOf(categoryOf(l.kind) as AllocationOrder[number]);
  // A stable sort: within a category, the lines keep their own order (fees oldest first).
  return [...lines].sort((a, b) => rank(a) - rank(b));
}

function previewItem(row: ClaimSnapshot, law: LawBook, today: string, amount: number): PreviewItem {
  const statement = statementOf(row, law, today);
  const b = statement.balance;
  const order = row.policy.allocationOrder as unknown as AllocationOrder;
  const { allocated } = allocatePayment(
    amount,
    { costs: b.fees, interest: b.interest, principal: b.principal },
    order,
  );
  // What earlier payments settled is no longer owed: "covers" names only what is still open.
  const settled: Record<string, number> = {};
  for (const p of statement.payments) {
    for (const [k, v] of Object.entries(p.allocations)) settled[k] = (settled[k] ?? 0) + (v ?? 0);
  }
  const open = takeFromLines(statement.lines, settled).rest;
  return {
    claimId: row.id,
    creditorName: row.creditor.name,
    claimTypeName: row.claimType.name,
    names: row.claimType.names,
    currency: row.currency,
    owed: b.total,
    pricedOn: today,
    amount,
    covers: inAllocationOrder(takeFromLines(open, allocated).taken, order),
    remaining: b.total - amount,
  };
}

/**
 * What a resident's payment would cover, before they pay: for one claim any amount from the
 * minimum to the full balance; for several claims, each in full. Only the resident's own open
 * claims can be paid.
 */
export async function previewPayment(input: {
  residentId: string;
  claims: { claimId: string; amount?: number }[];
  /** A payment-plan instalment: each claim's amount as given, however small (at most what it owes). */
  exact?: boolean;
  now: Date;
}): Promise<PaymentPreview> {
  const ids = input.claims.map((c) => c.claimId).filter((id) => isUuid(id));
  if (ids.length === 0 || ids.length !== input.claims.length)
    return { ok: false, error: "not_found" };
  const [rows, law] = await Promise.all([
    loadClaims(undefined, { residentId: input.residentId, claimIds: ids, open: true }),
    loadLawBook(),
  ]);
  if (rows.length !== ids.length) return { ok: false, error: "not_found" };
  const currencies = new Set(rows.map((r) => r.currency));
  if (currencies.size > 1) {
    // Never a dead end: the answer says how to pay each currency's bills on their own.
    const owed = (row: ClaimSnapshot) =>
      statementOf(row, law, todayIn(row.creditor.timeZone, input.now)).balance.total;
    const inOrder = ids.map((id) => rows.find((r) => r.id === id)!);
    const groups = groupByCurrency(inOrder, owed).map((g) => ({
      currency: g.currency,
      total: g.total,
      claimIds: g.items.map((r) => r.id),
    }));
    return { ok: false, error: "mixed_currency", groups };
  }
  const items: PreviewItem[] = [];
  for (const requested of input.claims) {
    const row = rows.find((r) => r.id === requested.claimId)!;
    const today = todayIn(row.creditor.timeZone, input.now);
    const owed = statementOf(row, law, today).balance.total;
    if (owed <= 0) return { ok: false, error: "nothing_owed" };
    const amount = input.claims.length === 1 || input.exact ? (requested.amount ?? owed) : owed;
    const min = input.exact ? 1 : Math.min(MIN_PART_PAYMENT, owed);
    if (amount < min) return { ok: false, error: "amount_too_small", min, max: owed };
    if (amount > owed) return { ok: false, error: "amount_too_large", min, max: owed };
    items.push(previewItem(row, law, today, amount));
  }
  return {
    ok: true,
    items,
    total: items.reduce((s, i) => s + i.amount, 0),
    currency: rows[0]!.currency,
  };
}

export type StartCheckout =
  | { ok: true; url: string; checkoutId: string }
  | { ok: false; error: PreviewError | "provider_unavailable"; min?: number; max?: number };

/**
 * Starts an online payment: records what is asked, pauses escalation of the claims (a
 * payment-pending hold, ending by itself if the payment never completes), and asks the payment
 * provider for a checkout page. The same confirmed form (its request id) always gives the same
 * checkout, here and at the provider, so a double click makes one payment.
 */
export async function startCheckout(input: {
  residentId: string;
  claims: { claimId: string; amount?: number }[];
  exact?: boolean;
  requestId: string;
  locale: Lang;
  publicUrl: string;
  email?: string | null;
  now: Date;
}): Promise<StartCheckout> {
  const preview = await previewPayment(input);
  if (!preview.ok) return preview;
  const idempotencyKey = createHash("sha256")
    .update(`${input.residentId}:${input.requestId}`)
    .digest("hex");
  const law = await loadLawBook();
  let checkout = await db().checkout.findUnique({ where: { idempotencyKey } });
  if (!checkout) {
    try {
      checkout = await db().$transaction(async (tx) => {
        const created = await tx.checkout.create({
          data: {
            status: checkMove(CHECKOUT_MACHINE, null, "start", "resident"),
            residentId: input.residentId,
            provider: "stripe",
            idempotencyKey,
            amount: preview.total,
            currency: preview.currency,
            // What each claim owed on the day the amounts were computed: an item asking all of
            // it settles the claim when its payment is booked (decision 0099).
            items: {
              create: preview.items.map((i) => ({
                claimId: i.claimId,
                amount: i.amount,
                owed: i.owed,
                pricedOn: dbDate(i.pricedOn),
              })),
            },
          },
        });
        for (const item of preview.items) {
          const claim = await tx.claim.findUniqueOrThrow({
            where: { id: item.claimId },
            include: { creditor: { select: { timeZone: true } } },
          });
          const today = todayIn(claim.creditor.timeZone, input.now);
          await tx.hold.create({
            data: {
              claimId: item.claimId,
              kind: "PAYMENT_PENDING",
              reason: `Online payment ${created.id}`,
              startsOn: dbDate(today),
              // A checkout page expires within a day; the hold must not outlive it by much.
              endsOn: dbDate(addDays(today, 2)),
            },
          });
          await recordEvent(tx, {
            claimId: item.claimId,
            residentId: claim.residentId,
            creditorId: claim.creditorId,
            type: "payment.started",
            actor: `resident:${input.residentId}`,
            on: today,
            data: { checkoutId: created.id, amount: item.amount },
          });
          await refreshNextActions(tx, [item.claimId], law, today);
        }
        return created;
      });
    } catch (error) {
      // The same form sent twice at once: the other request created it; use that one.
      if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002"))
        throw error;
      checkout = await db().checkout.findUniqueOrThrow({ where: { idempotencyKey } });
    }
  }
  if (checkout.url) return { ok: true, url: checkout.url, checkoutId: checkout.id };

  try {
    const session = await createCheckoutSession({
      idempotencyKey,
      amount: checkout.amount,
      currency: checkout.currency as "SEK" | "NOK",
      description: preview.items.map((i) => `${i.claimTypeName} – ${i.creditorName}`).join(", "),
      successUrl: new URL(`/payments/${checkout.id}`, input.publicUrl).toString(),
      cancelUrl: new URL(`/payments/${checkout.id}?cancelled=1`, input.publicUrl).toString(),
      locale: input.locale,
      metadata: { checkoutId: checkout.id },
      ...(input.email ? { customerEmail: input.email } : {}),
    });
    await db().checkout.update({
      where: { id: checkout.id },
      data: { providerSessionId: session.id, url: session.url },
    });
    return { ok: true, url: session.url, checkoutId: checkout.id };
  } catch (error) {
    log.error("checkout session failed", {
      checkoutId: checkout.id,
      error: String(error),
      detail: String((error as { detail?: unknown }).detail ?? ""),
    });
    return { ok: false, error: "provider_unavailable" };
  }
}

/** A resident's own checkout with its claims as they stand now; null when it is not theirs. */
export async function getResidentCheckout(residentId: string, checkoutId: string) {
  if (!isUuid(checkoutId)) return null;
  return db().checkout.findFirst({
    where: { id: checkoutId, residentId },
    include: {
      items: {
        include: {
          claim: {
            select: {
              id: true,
              status: true,
              currency: true,
              claimType: { select: { name: true, names: true } },
              creditor: { select: { name: true } },
            },
          },
        },
      },
    },
  });
}
