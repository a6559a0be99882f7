import type { Prisma } from "~/generated/prisma/client.ts";
import type { ReceiptContent } from "~/integrations/mail/render-receipt.server";
import type { Tx } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { statementOf, type ClaimStateRow } from "./claim-state.server";
import type { LawBook } from "./legal-figures.server";
import { residentLanguage } from "./notice-content.server";

/**
 * Queues the emailed receipt of a paid checkout, with what is left on each claim afterwards:
 * `rows` are the checkout's claims as they stand after its payments.
 */
export async function queueReceipt(
  tx: Tx,
  law: LawBook,
  checkout: {
    id: string;
    amount: number;
    currency: string;
    items: { claimId: string; amount: number }[];
  },
  rows: ClaimStateRow[],
  paidOn: string,
) {
  const checkoutId = checkout.id;
  const first = rows[0];
  if (!first?.resident.email) return;
  const language = residentLanguage(first);
  const content: ReceiptContent = {
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
    receiptUrl: new URL(`/payments/${checkoutId}`, env().PUBLIC_URL).toString(),
  };
  await tx.outbox.create({
    data: {
      kind: "receipt",
      to: first.resident.email,
      content: content as unknown as Prisma.InputJsonValue,
    },
  });
}
