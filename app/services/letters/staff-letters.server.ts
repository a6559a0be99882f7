import { stat } from "node:fs/promises";
import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { renderLetterPdf } from "~/integrations/letters/pdf.server";
import { query } from "~/infra/sql.server";
import { recordEvent } from "../events/events.server";
import { letterOf, noticesForLetters } from "./letter-of.server";
import { printBatchFile } from "./print-batches.server";

/*
 * What staff see of letters: the ones that did not arrive (a work queue), every letter of a case,
 * a dispatched letter as the PDF that left, and a print batch's archive. Every query is scoped by
 * the staff member's creditors; another creditor's letter or batch is not there. Opening a letter
 * or a batch is written to the audit log.
 */

type Scope = { staffId: string; creditorIds: readonly string[] };

export type UndeliveredLetter = {
  id: string;
  claimId: string;
  externalId: string;
  residentName: string;
  kind: string;
  status: "FAILED" | "RETURNED";
  channel: string | null;
  reason: string | null;
  /** The day it failed or came back (the day it was written, if no event says). */
  since: string;
};

const UNDELIVERED_FROM = `
  FROM "Notice" n JOIN "Claim" c ON c.id = n."claimId" JOIN "Resident" r ON r.id = c."residentId"
  LEFT JOIN LATERAL (
    SELECT max(e."occurredOn") AS on FROM "Event" e
    WHERE e."claimId" = n."claimId" AND e.type IN ('notice.failed', 'notice.returned')
      AND e.data->>'noticeId' = n.id::text
  ) e ON true
  WHERE n.status IN ('FAILED', 'RETURNED') AND c."creditorId" = ANY($1::uuid[])`;

/** Failed and returned letters of the staff member's creditors, oldest first. */
export async function undeliveredLetters(staff: Scope, take: number): Promise<UndeliveredLetter[]> {
  return query<UndeliveredLetter>(
    undefined,
    `SELECT n.id::text, n."claimId"::text, c."externalId", r.name AS "residentName",
            n.kind::text, n.status::text, n.channel::text, n."failedReason" AS reason,
            to_char(COALESCE(e.on, n."sentOn"), 'YYYY-MM-DD') AS since
     ${UNDELIVERED_FROM}
     ORDER BY COALESCE(e.on, n."sentOn"), n.id LIMIT $2`,
    [staff.creditorIds, take],
  );
}

/** How many letters did not arrive, and since when the oldest. */
export async function countUndelivered(staff: Scope) {
  const [row] = await query<{ count: number; oldest: string | null }>(
    undefined,
    `SELECT count(*)::int AS count,
            to_char(min(COALESCE(e.on, n."sentOn")), 'YYYY-MM-DD') AS oldest
     ${UNDELIVERED_FROM}`,
    [staff.creditorIds],
  );
  return { count: row?.count ?? 0, oldest: row?.oldest ?? null };
}

export type CaseLetter = {
  id: string;
  kind: string;
  status: string;
  channel: string | null;
  channelReason: string | null;
  writtenOn: string;
  dispatchedOn: string | null;
  deliveredOn: string | null;
  deadline: string | null;
  /** Days to pay, counted from the day it leaves (plus postal days on paper). */
  deadlineDays: number | null;
  failedReason: string | null;
  resendOfId: string | null;
  printBatchId: string | null;
};

/** Every letter of a claim of the staff member's creditors, oldest first. */
export async function caseLetters(staff: Scope, claimId: string): Promise<CaseLetter[]> {
  if (!isUuid(claimId)) return [];
  const date = (col: string) => `to_char(n.${col}, 'YYYY-MM-DD')`;
  return query<CaseLetter>(
    undefined,
    `SELECT n.id::text, n.kind::text, n.status::text, n.channel::text, n."channelReason",
            ${date('"sentOn"')} AS "writtenOn", ${date('"dispatchedOn"')} AS "dispatchedOn",
            ${date('"deliveredOn"')} AS "deliveredOn", ${date("deadline")} AS deadline,
            n."deadlineDays", n."failedReason", n."resendOfId"::text, n."printBatchId"::text
     FROM "Notice" n JOIN "Claim" c ON c.id = n."claimId"
     WHERE n."claimId" = $1::uuid AND c."creditorId" = ANY($2::uuid[])
     ORDER BY n."sentOn", n."createdAt", n.id`,
    [claimId, staff.creditorIds],
  );
}

/**
 * A letter that has left, as the PDF that left (dated the day it left, with its deadline); null
 * when it is not the staff member's, or has not left yet. The look goes into the audit log.
 */
export async function staffLetterPdf(staff: Scope, noticeId: string) {
  if (!isUuid(noticeId)) return null;
  const [n] = await noticesForLetters(undefined, [noticeId], { creditorIds: staff.creditorIds });
  if (!n || !n.dispatchedOn) return null;
  const pdf = await renderLetterPdf(letterOf(n));
  await recordEvent(undefined, {
    type: "staff.viewed_letter",
    claimId: n.claimId,
    residentId: n.residentId,
    creditorId: n.creditorId,
    actor: `staff:${staff.staffId}`,
    on: todayIn(n.creditor.timeZone, new Date()),
    data: { noticeId: n.id },
  });
  return { pdf, fileName: `${n.externalId}-${n.kind.toLowerCase()}-${n.dispatchedOn}.pdf` };
}

/** A print batch's archive on disk, for staff of its creditor; null when not theirs or gone. */
export async function staffPrintBatch(staff: Scope, batchId: string) {
  if (!isUuid(batchId)) return null;
  const file = await printBatchFile(staff.creditorIds, batchId);
  if (!file) return null;
  const size = await stat(file.path).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );
  if (size === null) return null;
  const [owner] = await query<{ creditorId: string; timeZone: string }>(
    undefined,
    `SELECT b."creditorId"::text, cr."timeZone" FROM "PrintBatch" b
     JOIN "Creditor" cr ON cr.id = b."creditorId" WHERE b.id = $1::uuid`,
    [batchId],
  );
  await recordEvent(undefined, {
    type: "staff.downloaded_print_batch",
    creditorId: owner!.creditorId,
    actor: `staff:${staff.staffId}`,
    on: todayIn(owner!.timeZone, new Date()),
    data: { batchId },
  });
  return { ...file, size };
}
