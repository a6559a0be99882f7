import type { BalanceCategory } from "./balance";
import type { IsoDate } from "./calendar-date";

/*
 * A claim's payment as the claim snapshot carries it (app/domain/claim.ts), and what it still pays
 * after its refunds. Its own module so that the write-off readings (write-off.ts), which the
 * policy and the claim both use, can read payments without depending on the claim.
 */

export type SnapshotPayment = {
  id: string;
  amount: number;
  currency: string;
  receivedOn: IsoDate;
  method: string;
  providerRef: string;
  /** Minor units per category this payment settled when it was booked. */
  allocations: Partial<Record<BalanceCategory, number>>;
  /** The part no outstanding amount could absorb (owed back to the resident). */
  creditAmount: number;
  /** Interest waived when this payment settled the claim (docs/decisions/0099). */
  interestWaived: number;
  checkoutId: string | null;
  /** Money given back on this payment, oldest first. */
  refunds: { amount: number; allocations: Record<string, number> }[];
};

/**
 * A payment as it stands after its refunds: what was given back no longer pays anything. Its
 * credit (the part no charge absorbed) is not part of what it pays; what of it is not given back
 * yet is `credit`, money to pay back that has a refund task. A payment whose money was given back
 * (beyond its credit) no longer settles anything, so its waiver falls away.
 */
export function netOfRefunds(p: SnapshotPayment) {
  const allocations: Partial<Record<BalanceCategory, number>> = { ...p.allocations };
  let reversed = 0;
  let creditBack = 0;
  for (const r of p.refunds) {
    for (const [k, v] of Object.entries(r.allocations)) {
      if (k === "credit") {
        creditBack += v;
        continue;
      }
      const key = k as BalanceCategory;
      allocations[key] = (allocations[key] ?? 0) - v;
      reversed += v;
    }
  }
  return {
    id: p.id,
    amount: p.amount - p.creditAmount - reversed,
    receivedOn: p.receivedOn,
    method: p.method,
    allocations,
    credit: Math.max(0, p.creditAmount - creditBack),
    waived: reversed > 0 ? 0 : (p.interestWaived ?? 0),
  };
}
