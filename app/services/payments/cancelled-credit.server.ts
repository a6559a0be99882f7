/**
 * Credit left unbooked on cancelled claims. Since 7 December 2026 a claim cancelled by an upheld
 * objection owes nothing, and what was paid on it is booked as credit with a refund task in the
 * same transaction (decisions.server.ts, settleAfterCancelling). Claims cancelled before kept
 * their payments allocated to charges no one owes: no credit, no task, so nobody was asked to pay
 * the resident back. The worker books it once at start (and again at each start: a claim whose
 * credit is booked has nothing left allocated, so it is not found again).
 */
import { todayIn } from "~/domain/calendar-date";
import { db, pgTransaction } from "~/infra/db.server";
import { loadLawBook } from "../law/legal-figures.server";
import { loadClaims } from "../claims/load-claims.server";
import { bookFreedCredit } from "./ledger.server";

export const CANCELLED_CREDIT_ACTOR = "system:cancelled-credit";

/**
 * Books the credit of every cancelled claim whose payments are still allocated (of one creditor
 * with `creditorId`).
 */
export async function bookCreditOfCancelledClaims(
  now: Date,
  opts: { creditorId?: string } = {},
): Promise<{ claims: number; credit: number }> {
  const candidates = await db().$queryRaw<{ id: string }[]>`
    SELECT c.id::text FROM "Claim" c
    WHERE c.status = 'CANCELLED'
      AND (${opts.creditorId ?? null}::uuid IS NULL OR c."creditorId" = ${opts.creditorId ?? null}::uuid)
      AND EXISTS (SELECT 1 FROM "Payment" p, jsonb_each_text(p.allocations) a
                  WHERE p."claimId" = c.id AND a.value::int > 0)
    ORDER BY c.id`;
  if (candidates.length === 0) return { claims: 0, credit: 0 };
  const law = await loadLawBook();
  let claims = 0;
  let credit = 0;
  // One claim a transaction, locked as a payment or a decision locks it.
  for (const { id } of candidates) {
    const booked = await pgTransaction(async (tx) => {
      const [claim] = await loadClaims(tx, { ids: [id] }, { lock: "update" });
      if (!claim || claim.status !== "CANCELLED") return 0;
      return bookFreedCredit(
        tx,
        law,
        claim,
        todayIn(claim.creditor.timeZone, now),
        CANCELLED_CREDIT_ACTOR,
      );
    });
    if (booked > 0) {
      claims += 1;
      credit += booked;
    }
  }
  return { claims, credit };
}
