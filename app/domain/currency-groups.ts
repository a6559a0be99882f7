/**
 * Bills in several currencies are paid one currency at a time (a payment has one currency):
 * *My claims*, the several-bills payment page and the payment's return page all group a
 * resident's bills the same way, currencies in alphabetical order, each with its total.
 */
export type CurrencyGroup<T> = { currency: string; total: number; items: T[] };

export function groupByCurrency<T extends { currency: string }>(
  items: readonly T[],
  amountOf: (item: T) => number,
): CurrencyGroup<T>[] {
  const groups = new Map<string, CurrencyGroup<T>>();
  for (const item of items) {
    let group = groups.get(item.currency);
    if (!group) {
      group = { currency: item.currency, total: 0, items: [] };
      groups.set(item.currency, group);
    }
    group.total += amountOf(item);
    group.items.push(item);
  }
  return [...groups.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

/** The several-bills payment page for these bills: `/pay?claim=…&claim=…`. */
export function payPathOf(claimIds: readonly string[]): string {
  const query = new URLSearchParams(claimIds.map((id) => ["claim", id]));
  return `/pay?${query.toString()}`;
}
