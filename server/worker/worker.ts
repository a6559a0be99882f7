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
import { runRetention } from "../../app/services/operations/retention.server.ts";

export type WorkerOptions = {
  databaseUrl: string;
  publicUrl: string;
  smtpUrl?: string;
  mailFrom: string;
  /** Local hour from which each creditor's daily sweep runs. */
  sweepHour?: number;
  concurrency?: number;
};

/**
 * The background worker: a PostgreSQL-backed queue (graphile-worker) runs the daily escalation
 * sweeps and delivers the mail outbox. Its cron only wakes the tasks; the tasks themselves decide
 * what is due, so a missed hour or a second worker changes nothing.
 */
export async function startWorker(opts: WorkerOptions): Promise<Runner> {
  const mailer = opts.smtpUrl ? createMailer({ url: opts.smtpUrl, from: opts.mailFrom }) : null;
  const taskList: TaskList = {
    daily_sweeps: async (_payload, helpers) => {
      const summaries = await runDueDailySweeps({
        now: new Date(),
        sweepHour: opts.sweepHour ?? 6,
        publicUrl: opts.publicUrl,
      });
      if (summaries.some((s) => s.notices > 0)) {
        await helpers.addJob("deliver_outbox", {}, { jobKey: "deliver_outbox" });
      }
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
    deliver_outbox: async () => {
      if (!mailer) {
        log.warn("SMTP_URL is not set: notices stay in the outbox");
        return;
      }
      const result = await deliverOutbox({
        send: (m) => mailer.send(m),
        render: renderNoticeMail,
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
      "* * * * * deliver_outbox",
      // Events deferred because their subject was not known yet are tried again.
      "* * * * * process_webhooks",
    ].join("\n"),
  });
  // At start too: a worker that starts at 06:30 should not wait until 07:00.
  await runner.addJob("daily_sweeps", {}, { jobKey: "daily_sweeps" });
  await runner.addJob("deliver_outbox", {}, { jobKey: "deliver_outbox" });
  return {
    ...runner,
    async stop() {
      await runner.stop();
      await pool.end();
    },
  };
}
