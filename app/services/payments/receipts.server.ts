import type { Prisma } from "~/generated/prisma/client.ts";
import type { ReceiptContent } from "~/integrations/mail/render-receipt.server";
import type { Tx } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { statementOf, type ClaimSnapshot } from "~/domain/claim";
import type { LawBook } from "../law/legal-figures.server";
import { residentLanguage } from "~/domain/claim";

type PaidCheckout = {
  id: string;
  amount: number;
  currency: string;
  items: { claimId: string; amount: number }[];
};

/**
 * The emailed receipt of a paid checkout, with what is left on each claim afterwards: `rows` are
 * the checkout's claims as they stand after its payments. None when the resident has no email.
 */
export function receiptOf(
  law: LawBook,
  checkout: PaidCheckout,
  rows: ClaimSnapshot[],
  paidOn: string,
): { to: string; content: ReceiptContent } | null {
  const first = rows.find((r) => r.id === checkout.items[0]?.claimId);
  if (!first?.resident.email) return null;
  const language = residentLanguage(first);
  return {
    to: first.resident.email,
    content: {
      language,
      residentName: first.resident.name,
      paidOn,
      currency: checkout.currency,
      total: checkout.amount,
      items: checkout.items.map((item) => {
        const row = rows.find((r) => r.id === item.claimId)!;
        const names = row.claimType.names as Record<string, string>;
        return {
          creditorName: row.creditor.name,
          claimTypeName: names[language] ?? row.claimType.name,
          amount: item.amount,
          remaining: statementOf(row, law, paidOn).balance.total,
        };
      }),
      receiptUrl: new URL(`/payments/${checkout.id}`, env().PUBLIC_URL).toString(),
    },
  };
}

/** Queues receipts for delivery by the worker, in one statement. */
export async function queueReceipts(
  tx: Tx,
  receipts: ({ to: string; content: ReceiptContent } | null)[],
) {
  const data = receipts
    .filter((r) => r !== null)
    .map((r) => ({
      kind: "receipt",
      to: r.to,
      content: r.content as unknown as Prisma.InputJsonValue,
    }));
  if (data.length > 0) await tx.outbox.createMany({ data });
}
