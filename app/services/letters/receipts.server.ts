import { todayIn } from "~/domain/calendar-date";
import {
  letterIntegrations,
  type LetterIntegrations,
} from "~/integrations/digital-mail/configured.server";
import type { DigitalMailbox } from "~/integrations/digital-mail/types";
import { db } from "~/infra/db.server";
import { log } from "~/infra/log.server";
import { query } from "~/infra/sql.server";
import { loadLawBook } from "../law/legal-figures.server";
import { markDelivered, markUndelivered } from "./notice-moves.server";

/*
 * What became of digital letters: each mailbox's receipts, read from where the last read stopped
 * and applied with the new position in one transaction (a receipt read twice changes nothing: a
 * delivered letter is not delivered again). Delivered (or printed by the mailbox's own print
 * service) and read are events; failed and returned stop the claim and go to staff.
 */

export async function readReceipts(
  opts: { integrations?: LetterIntegrations; now?: Date } = {},
): Promise<{ delivered: number; read: number; undelivered: number }> {
  const integrations = opts.integrations ?? letterIntegrations();
  const counts = { delivered: 0, read: 0, undelivered: 0 };
  const mailboxes = [integrations.eformidling, integrations.kivra].filter(
    (m): m is DigitalMailbox => m !== null,
  );
  const law = await loadLawBook();
  for (const mailbox of mailboxes) {
    try {
      await readFrom(mailbox, law, counts, opts.now ?? new Date());
    } catch (error) {
      log.warn("receipts could not be read; tried again later", {
        provider: mailbox.provider,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return counts;
}

async function readFrom(
  mailbox: DigitalMailbox,
  law: Awaited<ReturnType<typeof loadLawBook>>,
  counts: { delivered: number; read: number; undelivered: number },
  now: Date,
) {
  for (let page = 0; page < 50; page++) {
    const [row] = await query<{ cursor: string | null }>(
      undefined,
      `SELECT cursor FROM "ReceiptCursor" WHERE provider = $1`,
      [mailbox.provider],
    );
    const { receipts, cursor } = await mailbox.receipts(row?.cursor ?? null);
    if (receipts.length === 0 && cursor === (row?.cursor ?? null)) return;
    await db().$transaction(async (tx) => {
      const known = new Map(
        (
          await query<{ id: string; timeZone: string }>(
            tx,
            `SELECT n.id::text, cr."timeZone" FROM "Notice" n
             JOIN "Claim" c ON c.id = n."claimId" JOIN "Creditor" cr ON cr.id = c."creditorId"
             WHERE n.id = ANY($1::uuid[])`,
            [receipts.map((r) => r.letterId)],
          )
        ).map((n) => [n.id, n.timeZone]),
      );
      for (const r of receipts) {
        const timeZone = known.get(r.letterId);
        if (!timeZone) continue; // another system's message, or not ours
        const on = todayIn(timeZone, r.at ?? now);
        if (r.status === "delivered" || r.status === "printed") {
          await markDelivered(tx, { noticeId: r.letterId, on, read: false });
          counts.delivered += 1;
        } else if (r.status === "read") {
          await markDelivered(tx, { noticeId: r.letterId, on, read: true });
          counts.read += 1;
        } else {
          const moved = await markUndelivered(tx, law, {
            noticeId: r.letterId,
            move: r.status === "returned" ? "return" : "fail",
            reason: `${mailbox.provider}: ${r.detail ?? r.status}`,
            on,
          }).catch(() => false);
          if (moved) counts.undelivered += 1;
        }
      }
      await query(
        tx,
        `INSERT INTO "ReceiptCursor" (provider, cursor, "updatedAt") VALUES ($1, $2, now())
         ON CONFLICT (provider) DO UPDATE SET cursor = EXCLUDED.cursor, "updatedAt" = now()`,
        [mailbox.provider, cursor],
      );
    });
    if (receipts.length === 0) return;
  }
}
