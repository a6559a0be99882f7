import path from "node:path";
import { hourIn, todayIn, type IsoDate } from "~/domain/calendar-date";
import { uuidV5 } from "~/integrations/digital-mail/uuid-v5";
import { dropPrintBatch } from "~/integrations/letters/drop-directory.server";
import { renderLetterPdf } from "~/integrations/letters/pdf.server";
import { writePrintBatch, type PrintLetter } from "~/integrations/letters/print-batch.server";
import { printSftpSettings, uploadPrintBatch } from "~/integrations/letters/sftp.server";
import { db, pgTransaction } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { log } from "~/infra/log.server";
import { query } from "~/infra/sql.server";
import { recordEvent } from "../events/events.server";
import { loadLawBook } from "../law/legal-figures.server";
import { deadlineOn } from "./dispatch.server";
import { letterOf, noticesForLetters, recipientOf } from "./letter-of.server";
import { markDispatched } from "./notice-moves.server";

/*
 * The day's printed letters of a creditor: every pending notice chosen for paper, rendered as
 * its PDF (dated today, its deadline counted from today plus the postal days), in one archive
 * with a manifest, handed to the print house over SFTP when one is configured, else into the
 * directory staff fetch from (or `--out`). The letters count as dispatched in the same
 * transaction as the batch is recorded, after the hand-over: a letter is in exactly one batch,
 * and a batch that could not be handed over changes nothing (its letters wait for the next).
 */

const BATCH_NAMESPACE = "5f1b7c2e-3a9d-4e8b-9c0d-1a2b3c4d5e6f";

export type PrintBatchResult = {
  batchId: string;
  letters: number;
  fileName: string;
  sha256: string;
  size: number;
  deliveredTo: string;
};

export async function makePrintBatch(opts: {
  creditorSlug: string;
  actor: string;
  asOf?: IsoDate;
  /** Hand the batch over into this directory (the command line's --out). */
  outDir?: string;
  now?: Date;
}): Promise<PrintBatchResult | null> {
  const creditor = await db().creditor.findUnique({ where: { slug: opts.creditorSlug } });
  if (!creditor) throw new Error(`no creditor ${opts.creditorSlug}`);
  const asOf = opts.asOf ?? todayIn(creditor.timeZone, opts.now ?? new Date());
  const law = await loadLawBook();
  return pgTransaction(async (client) => {
    const ids = (
      await query<{ id: string }>(
        client,
        `SELECT n.id::text FROM "Notice" n JOIN "Claim" c ON c.id = n."claimId"
         WHERE n.status = 'PENDING' AND n.channel = 'PRINT' AND c."creditorId" = $1::uuid
         ORDER BY n.id FOR UPDATE OF n SKIP LOCKED`,
        [creditor.id],
      )
    ).map((r) => r.id);
    if (ids.length === 0) return null;
    // The same letters on the same day make the same batch (and the same file): a hand-over
    // repeated after a crash is recognised by the print house's side, never printed twice.
    const batchId = uuidV5(`${creditor.id}:${asOf}:${ids.join(",")}`, BATCH_NAMESPACE);
    const notices = await noticesForLetters(client, ids);
    async function* letters(): AsyncIterable<PrintLetter> {
      for (const n of notices) {
        const pdf = await renderLetterPdf(letterOf(n, asOf, deadlineOn(n, asOf, "PRINT")));
        const r = recipientOf(n);
        yield { noticeId: n.id, pdf, recipient: { ...r } };
      }
    }
    const config = env();
    const batch = await writePrintBatch({
      creditorSlug: creditor.slug,
      batchId,
      date: asOf,
      letters: letters(),
      outDir: config.PRINT_BATCH_DIR,
    });
    let deliveredTo: string;
    if (config.PRINT_SFTP_URL) {
      const settings = printSftpSettings({
        PRINT_SFTP_URL: config.PRINT_SFTP_URL,
        PRINT_SFTP_HOST_KEY: config.PRINT_SFTP_HOST_KEY!,
        ...(config.PRINT_SFTP_PRIVATE_KEY
          ? { PRINT_SFTP_PRIVATE_KEY: config.PRINT_SFTP_PRIVATE_KEY }
          : {}),
        ...(config.PRINT_SFTP_PASSWORD ? { PRINT_SFTP_PASSWORD: config.PRINT_SFTP_PASSWORD } : {}),
      });
      const uploaded = await uploadPrintBatch(settings, batch.path, batch.sha256);
      deliveredTo = `sftp:${settings.host}${uploaded.remotePath}`;
    } else if (opts.outDir) {
      const dropped = await dropPrintBatch(batch.path, batch.sha256, opts.outDir);
      deliveredTo = `directory:${path.resolve(dropped.path)}`;
    } else {
      deliveredTo = `directory:${path.resolve(batch.path)}`;
    }
    await query(
      client,
      `INSERT INTO "PrintBatch" (id, "creditorId", day, "fileName", sha256, size, letters,
                                 "deliveredTo", actor)
       VALUES ($1::uuid, $2::uuid, $3::date, $4, $5, $6, $7, $8, $9)`,
      [
        batchId,
        creditor.id,
        asOf,
        batch.fileName,
        batch.sha256,
        batch.size,
        batch.letters,
        deliveredTo,
        opts.actor,
      ],
    );
    await markDispatched(
      client,
      law,
      notices.map((n) => ({
        noticeId: n.id,
        on: asOf,
        channel: "PRINT" as const,
        why: n.channelReason ?? "paper",
        provider: "print",
        printBatchId: batchId,
      })),
    );
    await recordEvent(client, {
      type: "print_batch.created",
      creditorId: creditor.id,
      actor: opts.actor,
      on: asOf,
      data: { batchId, letters: batch.letters, sha256: batch.sha256, deliveredTo },
    });
    return {
      batchId,
      letters: batch.letters,
      fileName: batch.fileName,
      sha256: batch.sha256,
      size: batch.size,
      deliveredTo,
    };
  });
}

/**
 * The worker's hourly round: from `printHour` on each creditor's clock, the paper letters waiting
 * are batched and handed over. A batch that cannot be handed over (the print house is down)
 * leaves its letters waiting for the next round, and is logged.
 */
export async function runDuePrintBatches(opts: {
  now: Date;
  printHour: number;
}): Promise<PrintBatchResult[]> {
  const due = await query<{ slug: string; timeZone: string }>(
    undefined,
    `SELECT DISTINCT cr.slug, cr."timeZone" FROM "Notice" n
     JOIN "Claim" c ON c.id = n."claimId" JOIN "Creditor" cr ON cr.id = c."creditorId"
     WHERE n.status = 'PENDING' AND n.channel = 'PRINT' ORDER BY cr.slug`,
    [],
  );
  const made: PrintBatchResult[] = [];
  for (const creditor of due) {
    if (hourIn(creditor.timeZone, opts.now) < opts.printHour) continue;
    try {
      const batch = await makePrintBatch({
        creditorSlug: creditor.slug,
        actor: "system",
        now: opts.now,
      });
      if (batch) made.push(batch);
    } catch (error) {
      log.warn("print batch not handed over; its letters wait for the next round", {
        creditor: creditor.slug,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return made;
}

/** The print batches of a staff member's creditors, newest first. */
export async function listPrintBatches(creditorIds: readonly string[]) {
  return query<{
    id: string;
    creditorName: string;
    day: string;
    fileName: string;
    letters: number;
    size: number;
    sha256: string;
    deliveredTo: string;
    createdAt: Date;
  }>(
    undefined,
    `SELECT b.id::text, cr.name AS "creditorName", to_char(b.day, 'YYYY-MM-DD') AS day,
            b."fileName", b.letters, b.size, b.sha256, b."deliveredTo", b."createdAt"
     FROM "PrintBatch" b JOIN "Creditor" cr ON cr.id = b."creditorId"
     WHERE b."creditorId" = ANY($1::uuid[]) ORDER BY b."createdAt" DESC LIMIT 100`,
    [creditorIds],
  );
}

/** A print batch's archive, for staff of its creditor; null when it is not theirs or is gone. */
export async function printBatchFile(creditorIds: readonly string[], batchId: string) {
  const [row] = await query<{ fileName: string }>(
    undefined,
    `SELECT "fileName" FROM "PrintBatch" WHERE id = $1::uuid AND "creditorId" = ANY($2::uuid[])`,
    [batchId, creditorIds],
  );
  if (!row) return null;
  return { fileName: row.fileName, path: path.join(env().PRINT_BATCH_DIR, row.fileName) };
}
