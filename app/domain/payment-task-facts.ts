/**
 * What a payment task's stored data says, whichever automation raised it: the bank import
 * (unmatched or wrong-currency entries), the Stripe handlers (amount mismatches, card disputes)
 * or the ledger (credit from an over-payment). The shapes differ per source, so every field is
 * optional here and read defensively: a task is shown even when its data is older or odd.
 */
export type TaskResolution = {
  action: string;
  note: string;
  by: string;
  at: string;
  claimId?: string | null;
  paymentId?: string | null;
  refundId?: string | null;
};

export type TaskFacts = {
  amount: number | null;
  currency: string | null;
  /** What was asked or owed, when the money differs from it (mismatches). */
  expected: { amount: number | null; currency: string | null } | null;
  reference: string | null;
  payerName: string | null;
  bookedOn: string | null;
  message: string | null;
  entryKey: string | null;
  checkoutId: string | null;
  paymentId: string | null;
  dispute: { id: string | null; reason: string | null; charge: string | null } | null;
  resolution: TaskResolution | null;
};

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null;
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const int = (v: unknown): number | null =>
  typeof v === "number" && Number.isInteger(v) ? v : null;
const upper = (v: unknown) => str(v)?.toUpperCase() ?? null;

export function taskFacts(kind: string, raw: unknown): TaskFacts {
  const d = obj(raw) ?? {};
  const paid = obj(d.paid);
  const asked = obj(d.asked);
  const res = obj(d.resolution);
  const facts: TaskFacts = {
    amount: int(d.amount) ?? int(d.credit) ?? int(paid?.amount),
    currency: upper(d.currency) ?? upper(paid?.currency),
    expected: asked
      ? { amount: int(asked.amount), currency: upper(asked.currency) }
      : str(d.expected)
        ? { amount: null, currency: upper(d.expected) }
        : null,
    reference: str(d.reference),
    payerName: str(d.payerName),
    bookedOn: str(d.bookedOn),
    message: str(d.message),
    entryKey: str(d.entryKey),
    checkoutId: str(d.checkoutId),
    paymentId: str(d.paymentId),
    dispute:
      kind === "CARD_DISPUTE"
        ? { id: str(d.dispute), reason: str(d.reason), charge: str(d.charge) }
        : null,
    resolution:
      res && str(res.action) && str(res.at)
        ? {
            action: str(res.action)!,
            note: str(res.note) ?? "",
            by: str(res.by) ?? "",
            at: str(res.at)!,
            claimId: str(res.claimId),
            paymentId: str(res.paymentId),
            refundId: str(res.refundId),
          }
        : null,
  };
  return facts;
}
