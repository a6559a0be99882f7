import type { IsoDate } from "~/domain/calendar-date";
import { nextLookOn, type ClaimSnapshot } from "~/domain/claim";
import type { LawBook } from "~/domain/law-book";
import type { Conn } from "~/infra/db.server";
import { writeClaimMoves } from "./claim-writer.server";
import { loadClaims } from "./load-claims.server";

/**
 * Recomputes when the sweep must next look at these claims. Every change outside the sweep
 * (intake, payment, hold, decision) calls it in its own transaction, so the sweep never misses a
 * claim that became due. A caller that has just loaded the claims passes them in `claims` (they
 * must be current: loaded after the change, in the same transaction).
 */
export async function refreshNextActions(
  tx: Conn,
  claimIds: string[],
  law: LawBook,
  today: IsoDate,
  claims?: ClaimSnapshot[],
) {
  if (claimIds.length === 0) return;
  const rows = claims ?? (await loadClaims(tx, { ids: claimIds }));
  await writeClaimMoves(
    tx,
    [],
    rows.map((row) => ({
      claim: row,
      on: nextLookOn(row, law, today),
    })),
  );
}
