import { todayIn, type IsoDate } from "~/domain/calendar-date";
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

/**
 * Recomputes the next look of every open claim of one resident, each on its own creditor's day:
 * for a change that is the resident's rather than one claim's (a vulnerability flag raised or
 * resolved), which every creditor's claims must see at once.
 */
export async function refreshResidentNextActions(
  tx: Conn,
  residentId: string,
  law: LawBook,
  now: Date,
) {
  const rows = await loadClaims(tx, { residentId, open: true });
  if (rows.length === 0) return;
  await writeClaimMoves(
    tx,
    [],
    rows.map((row) => ({
      claim: row,
      on: nextLookOn(row, law, todayIn(row.creditor.timeZone, now)),
    })),
  );
}
