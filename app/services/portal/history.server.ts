import { statementOf, type ClaimSnapshot } from "~/domain/claim";
import type { SnapshotPayment } from "~/domain/snapshot-payment";
import type { BalanceCategory } from "~/domain/balance";
import type { IsoDate } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { query } from "~/infra/sql.server";
import { loadClaims } from "../claims/load-claims.server";
import { cachedLawBook } from "../law/legal-figures.server";

/*
 * The resident's own history (issue 15): the bills paid or closed lately, and a receipt for every
 * payment. Everything is scoped by the resident in the statement itself: someone else's payment
 * looks exactly like one that does not exist.
 */

/** How far back *Paid and closed* reaches. */
export const HISTORY_YEARS = 2;

export type ClosedClaim = {
  id: string;
  description: string;
  currency: string;
  status: "PAID" | "CANCELLED" | "WRITTEN_OFF";
  closedOn: IsoDate;
  typeName: string;
  typeNames: Record<string, string>;
  creditorName: string;
  /** What the resident paid on it, net of anything given back (minor units). */
  paid: number;
};

/**
 * The claims of the resident `resident` (an SQL expression) closed within two years of `now` (an
 * SQL timestamptz; each creditor's calendar), the most recently closed first, with what was paid
 * on each, as one JSON array. Its own aliases, so it can sit inside a statement over `c`.
 */
export function paidAndClosedSql(resident: string, now: string) {
  return `COALESCE((SELECT json_agg(k.row ORDER BY k."closedOn" DESC, k."createdAt" DESC, k.id)
  FROM (
    SELECT kc."closedOn", kc."createdAt", kc.id,
           json_build_object('id', kc.id::text, 'description', kc.description,
             'currency', kc.currency, 'status', kc.status::text,
             'closedOn', to_char(kc."closedOn", 'YYYY-MM-DD'),
             'typeName', kct.name, 'typeNames', kct.names, 'creditorName', kcr.name,
             'paid', COALESCE((SELECT SUM(pm.amount - COALESCE((SELECT SUM(rf.amount)
                                 FROM "Refund" rf WHERE rf."paymentId" = pm.id), 0))
                               FROM "Payment" pm WHERE pm."claimId" = kc.id), 0)::int) AS row
    FROM "Claim" kc
    JOIN "Creditor" kcr ON kcr.id = kc."creditorId"
    JOIN "ClaimType" kct ON kct.id = kc."claimTypeId"
    WHERE kc."residentId" = ${resident} AND kc.status <> 'OPEN' AND kc."closedOn" IS NOT NULL
      AND kc."closedOn" >= ((${now}) AT TIME ZONE kcr."timeZone")::date
                           - make_interval(years => ${HISTORY_YEARS})) k), '[]')`;
}

const CLOSED_SQL = `SELECT ${paidAndClosedSql("$1::uuid", "$2::timestamptz")} AS list`;

/**
 * The resident's claims paid or closed in the last two years (on each creditor's calendar), the
 * most recently closed first, with what was paid on each.
 */
export async function listPaidAndClosed(residentId: string, now: Date): Promise<ClosedClaim[]> {
  const [row] = await query<{ list: ClosedClaim[] }>(undefined, CLOSED_SQL, [residentId, now]);
  return row!.list;
}

/** A claim's payments as its page lists them, each with the receipt it belongs to. */
export function paymentHistoryOf(claim: ClaimSnapshot) {
  return claim.payments.map((p) => ({
    id: p.id,
    receivedOn: p.receivedOn,
    amount: p.amount,
    method: p.method,
    refunded: p.refunds.reduce((s, r) => s + r.amount, 0),
  }));
}

type PaymentRow = {
  id: string;
  claimId: string;
  amount: number;
  currency: string;
  receivedOn: IsoDate;
  method: string;
  providerRef: string;
  allocations: Partial<Record<BalanceCategory, number>>;
  creditAmount: number;
  interestWaived: number;
  grp: string;
  bankReference: string | null;
  refunded: number;
};

/*
 * What the resident did as one payment: a card checkout is booked as one payment row per claim
 * (`stripe:<intent>:<claim>`, all with the checkout's id), a bank transfer to a plan as one per
 * claim (`bank:<entry>:<claim>`), any other transfer as one row (`bank:<entry>`). The group is the
 * checkout, else the provider reference without its claim; only the resident's own claims count.
 */
const RECEIPT_SQL = `
  WITH mine AS (
    SELECT pm.*, COALESCE(pm."checkoutId"::text,
                          regexp_replace(pm."providerRef", ':' || pm."claimId"::text || '$', '')) AS grp
    FROM "Payment" pm JOIN "Claim" c ON c.id = pm."claimId"
    WHERE c."residentId" = $1::uuid
  )
  SELECT m.id::text, m."claimId"::text AS "claimId", m.amount, m.currency,
         to_char(m."receivedOn", 'YYYY-MM-DD') AS "receivedOn", m.method, m."providerRef",
         m.allocations, m."creditAmount", m."interestWaived", m.grp,
         (SELECT be.reference FROM "BankEntry" be
          WHERE m.grp LIKE 'bank:%' AND be."entryKey" = substr(m.grp, 6)) AS "bankReference",
         COALESCE((SELECT SUM(rf.amount) FROM "Refund" rf WHERE rf."paymentId" = m.id), 0)::int
           AS refunded
  FROM mine m
  WHERE m.grp = (SELECT grp FROM mine WHERE id = $2::uuid)
  ORDER BY m."receivedOn", m."createdAt", m.id`;

export type ReceiptReference =
  | { kind: "card"; value: string }
  | { kind: "KID" | "OCR"; value: string }
  | { kind: "other"; value: string };

/** The reference a resident recognises: the card payment's own, or the KID/OCR they paid with. */
function referenceOf(first: PaymentRow, claim: ClaimSnapshot) {
  if (first.method === "card") {
    // stripe:<payment intent>:<claim>, or stripe:<event> where staff booked it by hand.
    const [, value = first.providerRef] = first.providerRef.split(":");
    return { kind: "card", value } as const;
  }
  const kind = claim.creditor.country === "NO" ? "KID" : "OCR";
  const value = first.bankReference?.replace(/\s+/g, "") || claim.paymentReference;
  return value
    ? ({ kind, value } as const)
    : ({ kind: "other", value: first.providerRef } as const);
}

/**
 * What is left on a claim just after one of its payments: its statement on the payment's day,
 * counting the payments booked up to and including it (none given back yet) and the charges of
 * that day and before.
 */
function leftAfter(claim: ClaimSnapshot, paymentId: string, on: IsoDate, law: LawBookLike) {
  const upTo = claim.payments.findIndex((p) => p.id === paymentId);
  const then: ClaimSnapshot = {
    ...claim,
    charges: claim.charges.filter((c) => c.chargedOn <= on),
    payments: claim.payments
      .slice(0, upTo + 1)
      .map((p): SnapshotPayment => ({ ...p, refunds: [] })),
  };
  return statementOf(then, law, on).balance.total;
}
type LawBookLike = Parameters<typeof statementOf>[1];

/**
 * The receipt of a payment of the resident: its day, amount, method and reference, and for each
 * claim it paid what went to fees, interest and the original amount (in the order the claim's
 * policy allocates), and what was left on the claim afterwards. Null when it is not theirs.
 */
export async function getResidentReceipt(residentId: string, paymentId: string) {
  if (!isUuid(paymentId)) return null;
  const rows = await query<PaymentRow>(undefined, RECEIPT_SQL, [residentId, paymentId]);
  const first = rows[0];
  if (!first) return null;
  const [claims, law] = await Promise.all([
    loadClaims(undefined, { residentId, claimIds: [...new Set(rows.map((r) => r.claimId))] }),
    cachedLawBook(),
  ]);
  const byId = new Map(claims.map((c) => [c.id, c]));
  const firstClaim = byId.get(first.claimId)!;
  return {
    id: paymentId,
    paidOn: first.receivedOn,
    currency: first.currency,
    total: rows.reduce((s, r) => s + r.amount, 0),
    method: first.method,
    reference: referenceOf(first, firstClaim) as ReceiptReference,
    claims: rows.map((r) => {
      const claim = byId.get(r.claimId)!;
      const order = claim.policy.allocationOrder as BalanceCategory[];
      const left = leftAfter(claim, r.id, r.receivedOn, law);
      return {
        paymentId: r.id,
        claimId: r.claimId,
        description: claim.description,
        typeName: claim.claimType.name,
        typeNames: claim.claimType.names,
        creditorName: claim.creditor.name,
        amount: r.amount,
        lines: order
          .map((category) => ({ category, amount: r.allocations[category] ?? 0 }))
          .filter((l) => l.amount !== 0),
        credit: r.creditAmount,
        waived: r.interestWaived,
        refunded: r.refunded,
        left,
      };
    }),
  };
}
export type Receipt = NonNullable<Awaited<ReturnType<typeof getResidentReceipt>>>;

/** The receipt of a paid checkout of the resident (its first payment), or null. */
export async function receiptOfCheckout(residentId: string, checkoutId: string) {
  if (!isUuid(checkoutId)) return null;
  const [row] = await query<{ id: string }>(
    undefined,
    `SELECT pm.id::text FROM "Payment" pm JOIN "Claim" c ON c.id = pm."claimId"
     WHERE pm."checkoutId" = $2::uuid AND c."residentId" = $1::uuid
     ORDER BY pm."receivedOn", pm."createdAt", pm.id LIMIT 1`,
    [residentId, checkoutId],
  );
  return row?.id ?? null;
}
