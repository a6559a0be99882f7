import type { IsoDate } from "~/domain/calendar-date";
import { rowsOf, sql, type Conn, type Tx } from "~/infra/db.server";
import type { LawBook } from "../law/legal-figures.server";
import { loadClaimStates } from "./batch-claim-states.server";
import { decisionOf, nextActionOn, statementOf, type ClaimStateRow } from "./claim-state.server";

export async function allocateEventIds(conn: Conn, count: number): Promise<string[]> {
  if (count === 0) return [];
  const rows = await rowsOf<{ id: string }>(
    conn,
    sql`
    SELECT nextval(pg_get_serial_sequence('"Event"', 'id'))::text AS id
    FROM generate_series(1, ${count}::int)`,
  );
  return rows.map((r) => r.id);
}

/**
 * Recomputes when the sweep must next look at these claims. Every change outside the sweep
 * (intake, payment, hold, decision) calls it in its own transaction, so the sweep never misses a
 * claim that became due. A caller that has just loaded the claims' state passes it in `states`
 * (it must be current: loaded after the change, in the same transaction).
 */
export async function refreshNextActions(
  tx: Tx,
  claimIds: string[],
  law: LawBook,
  today: IsoDate,
  states?: ClaimStateRow[],
) {
  if (claimIds.length === 0) return;
  const rows = states ?? (await loadClaimStates(tx, claimIds));
  const dates = rows.map((row) =>
    nextActionOn(decisionOf(row, statementOf(row, law, today), law, today), today),
  );
  // One statement for all of them, as the sweep writes.
  await tx.$executeRaw`
    UPDATE "Claim" c SET "nextActionOn" = v.d, "updatedAt" = now()
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${dates}::date[]) AS v(id, d)
    WHERE c.id = v.id`;
}
