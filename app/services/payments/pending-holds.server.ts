import type { Tx } from "~/infra/db.server";
import { recordEvents } from "../events/events.server";

/**
 * Lifts the payment-pending holds these checkouts placed on these claims, each with its event.
 * The caller refreshes the claims' next action dates afterwards.
 */
export async function releasePending(
  tx: Tx,
  released: { checkoutId: string; claimId: string; on: string }[],
) {
  if (released.length === 0) return;
  const rows = await tx.$queryRaw<
    {
      id: string;
      claimId: string;
      residentId: string;
      creditorId: string;
      kind: string;
      on: string;
    }[]
  >`
    WITH wanted AS (
      SELECT * FROM unnest(${released.map((r) => r.claimId)}::uuid[],
                           ${released.map((r) => `Online payment ${r.checkoutId}`)}::text[],
                           ${released.map((r) => r.on)}::date[]) AS w(claim, reason, d))
    UPDATE "Hold" h SET "releasedOn" = w.d FROM wanted w, "Claim" c
    WHERE h."claimId" = w.claim AND h.kind = 'PAYMENT_PENDING' AND h."releasedOn" IS NULL
      AND h.reason = w.reason AND c.id = h."claimId"
    RETURNING h.id::text, h."claimId"::text, c."residentId"::text, c."creditorId"::text,
              h.kind::text, to_char(w.d, 'YYYY-MM-DD') AS "on"`;
  rows.sort((a, b) => a.claimId.localeCompare(b.claimId) || a.id.localeCompare(b.id));
  await recordEvents(
    tx,
    rows.map((r) => ({
      type: "hold.released" as const,
      claimId: r.claimId,
      residentId: r.residentId,
      creditorId: r.creditorId,
      actor: "stripe",
      on: r.on,
      data: { holdId: r.id, kind: r.kind, reason: "payment finished" },
    })),
  );
}
