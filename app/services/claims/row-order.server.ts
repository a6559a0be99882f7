/*
 * The one order of a claim's rows wherever they are read: the Prisma include
 * (claim-state.server.ts), the batches' SQL (batch-claim-states.server.ts), the resident pages'
 * SQL (resident-claim-state.server.ts), the notices
 * (claims.server.ts), the back office's holds and the dispute form's charges. By the row's own
 * date, then when it was recorded, then by id: two rows on one day can never swap between the
 * resident's page and the creditor's view, or between a statement and the sweep's decision.
 */

/** The date column that orders each kind of row first. */
const DATE_OF = {
  charges: "chargedOn",
  payments: "receivedOn",
  holds: "startsOn",
  steps: "takenOn",
  notices: "sentOn",
} as const;

type Kind = keyof typeof DATE_OF;
type Asc = "asc";

/** The order as Prisma's `orderBy`. */
export function rowOrder<K extends Kind>(
  kind: K,
): [{ [D in (typeof DATE_OF)[K]]: Asc }, { createdAt: Asc }, { id: Asc }] {
  const first = { [DATE_OF[kind]]: "asc" } as { [D in (typeof DATE_OF)[K]]: Asc };
  return [first, { createdAt: "asc" }, { id: "asc" }];
}

/** Rows that have no date of their own (a payment's refunds): when recorded, then id. */
export const recordedOrder = (): [{ createdAt: Asc }, { id: Asc }] => [
  { createdAt: "asc" },
  { id: "asc" },
];

/** The order as an SQL ORDER BY list over the table alias `alias` ("" for none). */
export function rowOrderSql(kind: Kind | "recorded", alias: string): string {
  const p = alias ? `${alias}.` : "";
  const columns = kind === "recorded" ? [] : [`${p}"${DATE_OF[kind]}"`];
  return [...columns, `${p}"createdAt"`, `${p}id`].join(", ");
}
