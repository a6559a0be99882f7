import { run, type Runner, type TaskList } from "graphile-worker";
import pg from "pg";
import { createMailer } from "../../app/integrations/mail/smtp.server.ts";
import { renderNoticeMail } from "../../app/integrations/mail/render-notice.server.ts";
import { renderReceiptMail } from "../../app/integrations/mail/render-receipt.server.ts";
import { renderPlanMail } from "../../app/integrations/mail/render-plan.server.ts";
import { renderStaffSecurityMail } from "../../app/integrations/mail/render-staff-security.server.ts";
import { processPendingWebhooks } from "../../app/services/payments/webhooks.server.ts";
import { log } from "../../app/infra/log.server.ts";
import { watchPool } from "../metrics.ts";
import { deliverOutbox } from "../../app/services/letters/outbox.server.ts";
import { runDueDailySweeps } from "../../app/services/escalation/scheduled-sweeps.server.ts";
import { dispatchLetters } from "../../app/services/letters/dispatch.server.ts";
import { runDuePrintBatches } from "../../app/services/letters/print-batches.server.ts";
import { readReceipts } from "../../app/services/letters/receipts.server.ts";
import { renderLetterMail } from "../../app/integrations/mail/render-letter.server.ts";
import { runRetention } from "../../app/services/operations/retention.server.ts";
import { recountFigures } from "../../app/services/backoffice/figures-queries.server.ts";
import { deleteExpiredSessions } from "../../app/infra/session.server.ts";
import { bookCreditOfCancelledClaims } from "../../app/services/payments/cancelled-credit.server.ts";

export type WorkerOptions = {
  databaseUrl: string;
  publicUrl: string;
  smtpUrl?: string;
  mailFrom: string;
  /** Local hour from which each creditor's daily sweep runs. */
  sweepHour?: number;
  /** Local hour from which each creditor's paper letters of the day are batched for print. */
  printHour?: number;
  /** False where only the command line sends letters (a setup replaying past days). */
  sendLetters?: boolean;
  concurrency?: number;
};

/**
 * The background worker: a PostgreSQL-backed queue (graphile-worker) runs the daily escalation
 * sweeps, sends the letters they write (digital mailbox, email through the outbox, paper in the
 * hourly print batch), reads the mailboxes' receipts, delivers the mail outbox and removes
 * expired sessions. Its cron only wakes the tasks; the tasks themselves decide
 * what is due, so a missed hour or a second worker changes nothing.
 */
export async function startWorker(opts: WorkerOptions): Promise<Runner> {
  const sendLetters = opts.sendLetters ?? true;
  const mailer = opts.smtpUrl ? createMailer({ url: opts.smtpUrl, from: opts.mailFrom }) : null;
  const taskList: TaskList = {
    daily_sweeps: async (_payload, helpers) => {
      const summaries = await runDueDailySweeps({
        now: new Date(),
        sweepHour: opts.sweepHour ?? 6,
        publicUrl: opts.publicUrl,
      });
      if (sendLetters && summaries.some((s) => s.notices > 0)) {
        await helpers.addJob("dispatch_letters", {}, { jobKey: "dispatch_letters" });
      }
    },
    // Pending letters (the sweep's, and decisions written by staff and residents' requests) go
    // out by their channel; email ones into the outbox, which is then woken.
    dispatch_letters: async (_payload, helpers) => {
      const result = await dispatchLetters();
      if (result.email > 0)
        await helpers.addJob("deliver_outbox", {}, { jobKey: "deliver_outbox" });
      if (result.digital + result.email + result.print + result.failed > 0)
        log.info("letters dispatched", result);
    },
    print_batches: async () => {
      const batches = await runDuePrintBatches({
        now: new Date(),
        printHour: opts.printHour ?? 14,
      });
      for (const b of batches)
        log.info("print batch handed over", { letters: b.letters, to: b.deliveredTo });
    },
    letter_receipts: async () => {
      const result = await readReceipts();
      if (result.delivered + result.read + result.undelivered > 0)
        log.info("letter receipts read", result);
    },
    process_webhooks: async (_payload, helpers) => {
      const result = await processPendingWebhooks();
      if (result.processed > 0)
        await helpers.addJob("deliver_outbox", {}, { jobKey: "deliver_outbox" });
      if (result.failed > 0)
        throw new Error(`${result.failed} webhook event(s) failed; they stay pending`);
    },
    // Personal data of claims closed longer ago than their creditor's retention period.
    retention: async () => {
      const run = await runRetention({
        asOf: new Date().toISOString().slice(0, 10),
        actor: "system",
      });
      if (run.claims + run.residents > 0) log.info("retention: personal data anonymised", run);
    },
    // Sessions past their idle deadline: their rows go (decision 0117).
    expired_sessions: async () => {
      const removed = await deleteExpiredSessions(new Date());
      if (removed > 0) log.info("expired sessions removed", { sessions: removed });
    },
    // Credit that claims cancelled before 7 December 2026 never booked, with its refund tasks
    // (cancelled-credit.server.ts); at each start, finding nothing once it is done.
    cancelled_credit: async () => {
      const booked = await bookCreditOfCancelledClaims(new Date());
      if (booked.claims > 0) log.info("credit of cancelled claims booked", booked);
    },
    // The figures page's counts (docs/decisions/0104), read by month from a materialized view.
    figures: async () => {
      await recountFigures();
    },
    deliver_outbox: async () => {
      if (!mailer) {
        log.warn("SMTP_URL is not set: notices stay in the outbox");
        return;
      }
      const result = await deliverOutbox({
        send: (m) => mailer.send(m),
        render: renderNoticeMail,
        renderLetter: renderLetterMail,
        renderReceipt: renderReceiptMail,
        renderPlan: renderPlanMail,
        renderStaffSecurity: renderStaffSecurityMail,
      });
      if (result.sent + result.failed > 0) log.info("outbox delivered", result);
    },
  };
  // The queue's own pool, owned here: graphile-worker ends a pool it made itself without waiting
  // and drops its error listener at once, so a connection the database closed at shutdown (as
  // embedded PostgreSQL does on Ctrl-C) raised an unhandled error and crashed the process.
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, connectionTimeoutMillis: 5_000 });
  pool.on("error", (error) => log.warn("queue connection closed", { error: error.message }));
  watchPool("worker-queue", pool);
  const runner = await run({
    pgPool: pool,
    concurrency: opts.concurrency ?? 2,
    noHandleSignals: true,
    pollInterval: 2_000,
    taskList,
    // Every hour for the sweeps (each creditor's day is claimed once); every minute for mail
    // whose retry time has come.
    crontab: [
      "0 * * * * daily_sweeps ?fill=1h",
      // Once a day, at 03:00; a worker that was down catches up on start (fill).
      "0 3 * * * retention ?fill=1d",
      // The figures, counted again every hour (the page can ask for it sooner).
      "15 * * * * figures",
      ...(sendLetters ? ["* * * * * dispatch_letters", "5 * * * * print_batches ?fill=1h"] : []),
      "* * * * * deliver_outbox",
      "*/5 * * * * letter_receipts",
      "*/10 * * * * expired_sessions",
      // Events deferred because their subject was not known yet are tried again.
      "* * * * * process_webhooks",
    ].join("\n"),
  });
  // At start too: a worker that starts at 06:30 should not wait until 07:00.
  await runner.addJob("daily_sweeps", {}, { jobKey: "daily_sweeps" });
  if (sendLetters) await runner.addJob("dispatch_letters", {}, { jobKey: "dispatch_letters" });
  await runner.addJob("deliver_outbox", {}, { jobKey: "deliver_outbox" });
  await runner.addJob("figures", {}, { jobKey: "figures" });
  await runner.addJob("cancelled_credit", {}, { jobKey: "cancelled_credit" });
  return {
    ...runner,
    async stop() {
      await runner.stop();
      await pool.end();
    },
  };
}
