import type { Prisma } from "~/generated/prisma/client.ts";
import type { ReceiptContent } from "~/integrations/mail/render-receipt.server";
import type { Tx } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { claimStateInclude, statementOf } from "./claim-state.server";
import type { LawBook } from "./legal-figures.server";
import { residentLanguage } from "./notice-content.server";

/** Queues the emailed receipt of a paid checkout, with what is left on each claim afterwards. */
export async function queueReceipt(tx: Tx, law: LawBook, checkoutId: string, paidOn: string) {
  const checkout = await tx.checkout.findUniqueOrThrow({
    where: { id: checkoutId },
    include: { items: true },
  });
  const rows = await tx.claim.findMany({
    where: { id: { in: checkout.items.map((i) => i.claimId) } },
    include: claimStateInclude,
  });
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
