import type { NoticeContent } from "~/integrations/mail/notice-content";
import type { PlanMailContent } from "~/integrations/mail/render-plan.server";
import type { ReceiptContent } from "~/integrations/mail/render-receipt.server";
import type { StaffSecurityMailContent } from "~/integrations/mail/render-staff-security.server";
import { db } from "~/infra/db.server";
import { log } from "~/infra/log.server";

export type RenderedMail = { subject: string; html: string; text: string };
export type MailSender = (msg: { to: string } & RenderedMail) => Promise<{ messageId: string }>;

// After this many failed attempts a message stops being retried and waits for a person.
export const MAX_ATTEMPTS = 10;

/** Back-off between attempts: 1, 2, 4 … minutes, at most six hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

/**
 * Sends what is due in the outbox. Each message is locked while it is sent, so two workers never
 * send the same one; a failure is recorded and retried later, and a message is never deleted.
 * Delivery is at least once: a crash between sending and recording may send a message twice.
 */
export async function deliverOutbox(opts: {
  send: MailSender;
  render: (content: NoticeContent) => RenderedMail;
  renderReceipt?: (content: ReceiptContent) => RenderedMail;
  renderPlan?: (content: PlanMailContent) => RenderedMail;
  renderStaffSecurity?: (content: StaffSecurityMailContent) => RenderedMail;
  now?: () => Date;
  limit?: number;
}): Promise<{ sent: number; failed: number }> {
  const now = opts.now ?? (() => new Date());
  let sent = 0;
  let failed = 0;
  for (;;) {
    const handled = await db().$transaction(
      async (tx) => {
        const due = await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM "Outbox"
          WHERE status = 'PENDING' AND "nextAttemptAt" <= ${now()}
          ORDER BY "nextAttemptAt" LIMIT ${opts.limit ?? 20}::int
          FOR UPDATE SKIP LOCKED`;
        if (due.length === 0) return 0;
        const rows = await tx.outbox.findMany({
          where: { id: { in: due.map((d) => d.id) } },
          include: { notice: true },
        });
        for (const row of rows) {
          try {
            let mail: RenderedMail;
            if (row.kind === "receipt" && row.content && opts.renderReceipt) {
              mail = opts.renderReceipt(row.content as unknown as ReceiptContent);
            } else if (row.kind === "plan" && row.content && opts.renderPlan) {
              mail = opts.renderPlan(row.content as unknown as PlanMailContent);
            } else if (row.kind === "staff_security" && row.content && opts.renderStaffSecurity) {
              mail = opts.renderStaffSecurity(row.content as unknown as StaffSecurityMailContent);
            } else if (row.notice) {
              mail = opts.render(row.notice.content as unknown as NoticeContent);
            } else {
              throw new Error(`outbox row of kind ${row.kind} has nothing to render`);
            }
            const { messageId } = await opts.send({ to: row.to, ...mail });
            await tx.outbox.update({
              where: { id: row.id },
              data: { status: "SENT", sentAt: now(), messageId, attempts: { increment: 1 } },
            });
            sent += 1;
          } catch (error) {
            const attempts = row.attempts + 1;
            const giveUp = attempts >= MAX_ATTEMPTS;
            await tx.outbox.update({
              where: { id: row.id },
              data: {
                attempts,
                lastError: String(error instanceof Error ? error.message : error).slice(0, 500),
                status: giveUp ? "FAILED" : "PENDING",
                nextAttemptAt: new Date(now().getTime() + retryDelayMs(attempts)),
              },
            });
            log.warn("mail delivery failed", { outboxId: row.id, attempts, giveUp });
            failed += 1;
          }
        }
        return rows.length;
      },
      { timeout: 120_000 },
    );
    if (handled === 0) break;
  }
  return { sent, failed };
}
