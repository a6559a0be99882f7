import type { NoticeContent } from "~/integrations/mail/notice-content";
import type { PlanMailContent } from "~/integrations/mail/render-plan.server";
import type { ReceiptContent } from "~/integrations/mail/render-receipt.server";
import type { StaffSecurityMailContent } from "~/integrations/mail/render-staff-security.server";
import { todayIn, type IsoDate } from "~/domain/calendar-date";
import type { LetterContent } from "~/integrations/letters/letter-content";
import { renderLetterMail } from "~/integrations/mail/render-letter.server";
import { db } from "~/infra/db.server";
import { loadLawBook } from "../law/legal-figures.server";
import { deadlineOn } from "./dispatch.server";
import { letterOf, noticesForLetters, type NoticeForLetter } from "./letter-of.server";
import { markDispatched, markUndelivered } from "./notice-moves.server";
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
  /** A decision letter (an objection decided, a plan granted, ...) as mail. */
  renderLetter?: (letter: LetterContent) => RenderedMail;
  /** The day mail sent now counts as sent (a replay of past days gives one; else today). */
  asOf?: IsoDate;
  renderReceipt?: (content: ReceiptContent) => RenderedMail;
  renderPlan?: (content: PlanMailContent) => RenderedMail;
  renderStaffSecurity?: (content: StaffSecurityMailContent) => RenderedMail;
  now?: () => Date;
  limit?: number;
}): Promise<{ sent: number; failed: number }> {
  const now = opts.now ?? (() => new Date());
  let sent = 0;
  let failed = 0;
  const law = await loadLawBook();
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
        });
        const notices = new Map(
          (
            await noticesForLetters(
              tx,
              rows.flatMap((r) => (r.noticeId ? [r.noticeId] : [])),
            )
          ).map((n) => [n.id, n]),
        );
        for (const row of rows) {
          // A notice's mail dispatches it: dated today, its deadline counted from today.
          const notice = row.noticeId ? notices.get(row.noticeId) : undefined;
          const asOf = notice ? (opts.asOf ?? todayIn(notice.creditor.timeZone, now())) : null;
          try {
            let mail: RenderedMail;
            if (row.kind === "receipt" && row.content && opts.renderReceipt) {
              mail = opts.renderReceipt(row.content as unknown as ReceiptContent);
            } else if (row.kind === "plan" && row.content && opts.renderPlan) {
              mail = opts.renderPlan(row.content as unknown as PlanMailContent);
            } else if (row.kind === "staff_security" && row.content && opts.renderStaffSecurity) {
              mail = opts.renderStaffSecurity(row.content as unknown as StaffSecurityMailContent);
            } else if (notice && asOf) {
              const deadline = deadlineOn(notice, asOf, "EMAIL");
              mail = isDecision(notice)
                ? (opts.renderLetter ?? renderLetterMail)(letterOf(notice, asOf, deadline))
                : opts.render({
                    ...(notice.content as NoticeContent),
                    sentOn: asOf,
                    deadline,
                  });
            } else {
              throw new Error(`outbox row of kind ${row.kind} has nothing to render`);
            }
            const { messageId } = await opts.send({ to: row.to, ...mail });
            await tx.outbox.update({
              where: { id: row.id },
              data: { status: "SENT", sentAt: now(), messageId, attempts: { increment: 1 } },
            });
            if (notice && asOf)
              await markDispatched(tx, law, [
                {
                  noticeId: notice.id,
                  on: asOf,
                  channel: "EMAIL",
                  why: notice.channelReason ?? "email",
                  provider: "smtp",
                  providerMessageId: messageId,
                },
              ]);
            sent += 1;
          } catch (error) {
            const attempts = row.attempts + 1;
            // The SMTP server refused it for good (a 5xx, as for an address that does not
            // exist), or it failed ten times: the notice did not arrive.
            const permanent = ((error as { responseCode?: number }).responseCode ?? 0) >= 500;
            const giveUp = attempts >= MAX_ATTEMPTS || permanent;
            await tx.outbox.update({
              where: { id: row.id },
              data: {
                attempts,
                lastError: String(error instanceof Error ? error.message : error).slice(0, 500),
                status: giveUp ? "FAILED" : "PENDING",
                nextAttemptAt: new Date(now().getTime() + retryDelayMs(attempts)),
              },
            });
            if (giveUp && notice && asOf)
              await markUndelivered(tx, law, {
                noticeId: notice.id,
                move: "fail",
                reason: `email: ${String(error instanceof Error ? error.message : error).slice(0, 300)}`,
                on: asOf,
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

const isDecision = (n: NoticeForLetter) => (n.content as { decision?: boolean }).decision === true;
