import { splitOverClaims } from "~/domain/payment-plan";
import type { BankPayment } from "~/integrations/bank-files/types";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { statementOf } from "~/domain/claim";
import type { LawBook } from "../law/legal-figures.server";
import { recordPayment } from "./ledger.server";
import { loadPlanRows } from "../plans/plan-core.server";
import { raiseTask } from "./staff-tasks.server";

/**
 * A bank payment with a payment plan's reference: spread over the plan's open claims, oldest
 * first, each part recorded like any payment (so it counts towards the plan's instalments); what
 * the claims no longer owe lands on the last claim as credit, with a refund task. Null when the
 * reference is not a plan's. In the bank-file import's transaction, on its pg connection.
 */
export async function importPlanEntry(
  tx: Conn,
  law: LawBook,
  p: BankPayment,
  reference: string,
  entryKey: string,
  actor: string,
): Promise<{
  status: "MATCHED" | "OVERPAID" | "MISMATCH";
  claimId: string;
  paymentId: string | null;
} | null> {
  const [plan] = await query<{ id: string; creditorId: string; currency: string }>(
    tx,
    `SELECT id::text, "creditorId"::text, currency FROM "PaymentPlan" WHERE reference = $1::text`,
    [reference],
  );
  if (!plan) return null;
  const rows = await loadPlanRows(tx, plan.id);
  const last = rows.at(-1);
  if (!last) return null;
  if (p.currency !== plan.currency) {
    await raiseTask(tx, {
      kind: "PAYMENT_MISMATCH",
      sourceKey: `bank:${entryKey}`,
      creditorId: plan.creditorId,
      claimId: last.id,
      data: {
        entryKey,
        amount: p.amount,
        currency: p.currency,
        expected: plan.currency,
        planId: plan.id,
      },
    });
    return { status: "MISMATCH", claimId: last.id, paymentId: null };
  }
  const open = rows
    .filter((r) => r.status === "OPEN")
    .map((r) => ({
      id: r.id,
      dueOn: r.dueOn,
      owed: statementOf(r, law, p.bookedOn).balance.total,
    }));
  const parts = splitOverClaims(p.amount, open);
  const spread = parts.reduce((s, x) => s + x.amount, 0);
  if (spread < p.amount) {
    const onLast = parts.find((x) => x.id === last.id);
    if (onLast) onLast.amount += p.amount - spread;
    else parts.push({ id: last.id, amount: p.amount - spread });
  }
  let credit = 0;
  let firstPayment: string | null = null;
  for (const part of parts) {
    const outcome = await recordPayment(tx, law, {
      claimId: part.id,
      amount: part.amount,
      currency: p.currency,
      receivedOn: p.bookedOn,
      method: "bank_transfer",
      providerRef: `bank:${entryKey}:${part.id}`,
      actor,
    });
    if (outcome.kind === "recorded") credit += outcome.credit;
    if (outcome.kind !== "currency_mismatch") firstPayment ??= outcome.paymentId;
  }
  return {
    status: credit > 0 ? "OVERPAID" : "MATCHED",
    claimId: parts[0]?.id ?? last.id,
    paymentId: firstPayment,
  };
}
