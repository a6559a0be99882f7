import type { IsoDate } from "~/domain/calendar-date";
import type { LetterIntegrations } from "~/integrations/digital-mail/configured.server";
import { renderLetterMail } from "~/integrations/mail/render-letter.server";
import { renderNoticeMail } from "~/integrations/mail/render-notice.server";
import { renderPlanMail } from "~/integrations/mail/render-plan.server";
import { renderReceiptMail } from "~/integrations/mail/render-receipt.server";
import { db } from "~/infra/db.server";
import { dispatchLetters, type DispatchSummary } from "./dispatch.server";
import { deliverOutbox, type MailSender } from "./outbox.server";
import { makePrintBatch, type PrintBatchResult } from "./print-batches.server";

/*
 * A day's letters, all the way out, at once: what the worker does over the day (dispatch each
 * minute, the outbox, the afternoon print batch), done in one go for a given day. The command
 * line's `escalate` uses it after the sweep, and the demo data's replay of past days; in
 * production the worker's rounds do the same work as it comes.
 */

export type DaySent = {
  dispatch: DispatchSummary;
  /** Null when no mail sender is given: email letters wait in the outbox for the worker. */
  mail: { sent: number; failed: number } | null;
  batches: PrintBatchResult[];
};

export async function sendLettersOfDay(opts: {
  asOf: IsoDate;
  /** One creditor's letters, or every creditor's. */
  creditorSlug?: string | undefined;
  send: MailSender | null;
  actor: string;
  integrations?: LetterIntegrations;
  /** Print batches go into this directory (the command line's --out). */
  printOutDir?: string | undefined;
}): Promise<DaySent> {
  const creditors = await db().creditor.findMany({
    where: opts.creditorSlug ? { slug: opts.creditorSlug } : {},
    select: { id: true, slug: true },
    orderBy: { slug: "asc" },
  });
  const dispatch: DispatchSummary = { digital: 0, email: 0, print: 0, failed: 0, waiting: 0 };
  for (const c of creditors) {
    const one = await dispatchLetters({
      asOf: opts.asOf,
      creditorId: c.id,
      ...(opts.integrations ? { integrations: opts.integrations } : {}),
    });
    for (const k of Object.keys(dispatch) as (keyof DispatchSummary)[]) dispatch[k] += one[k];
  }
  const mail = opts.send
    ? await deliverOutbox({
        send: opts.send,
        asOf: opts.asOf,
        render: renderNoticeMail,
        renderLetter: renderLetterMail,
        renderReceipt: renderReceiptMail,
        renderPlan: renderPlanMail,
      })
    : null;
  const batches: PrintBatchResult[] = [];
  for (const c of creditors) {
    const batch = await makePrintBatch({
      creditorSlug: c.slug,
      actor: opts.actor,
      asOf: opts.asOf,
      outDir: opts.printOutDir,
    });
    if (batch) batches.push(batch);
  }
  return { dispatch, mail, batches };
}

/** One line for an operator: where the day's letters went. */
export function describeDaySent(sent: DaySent): string {
  const d = sent.dispatch;
  const parts = [
    `${d.digital} to digital mailboxes`,
    sent.mail ? `${sent.mail.sent} by email` : `${d.email} by email (waiting in the outbox)`,
    `${sent.batches.reduce((n, b) => n + b.letters, 0)} on paper in ${sent.batches.length} print batch(es)`,
  ];
  const problems = [
    d.failed + (sent.mail?.failed ?? 0) > 0
      ? `${d.failed + (sent.mail?.failed ?? 0)} could not reach the resident (for staff)`
      : "",
    d.waiting > 0 ? `${d.waiting} waiting for a register or mailbox that did not answer` : "",
  ].filter(Boolean);
  return `Letters: ${parts.join(", ")}${problems.length ? `; ${problems.join("; ")}` : ""}.`;
}
