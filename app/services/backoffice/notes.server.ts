import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { db } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { recordEvent } from "../events/events.server";
import type { StaffContext } from "./queues.server";

/*
 * Case notes: a case worker's dated, signed note on a resident or one of their claims, for the
 * colleagues of the same creditor. Never edited or deleted (the table's trigger refuses it): a
 * correction is a new note that names the one it corrects. Never shown to the resident.
 */

export const NOTE_MAX = 2000;

export type NoteRefusal = "not_found" | "empty" | "too_long";

export type CaseNoteView = {
  id: string;
  creditorId: string;
  creditorName: string;
  claimId: string | null;
  claimExternalId: string | null;
  staffName: string;
  text: string;
  createdAt: string;
  timeZone: string;
  correctsId: string | null;
  correctedBy: string | null;
};

/** Adds a note, after checking the resident, the claim and the corrected note are the creditor's. */
export async function addCaseNote(
  staff: StaffContext,
  input: {
    residentId: string;
    creditorId: string;
    claimId?: string | null;
    correctsId?: string | null;
    text: string;
  },
  now: Date,
): Promise<{ ok: true; noteId: string } | { ok: false; error: NoteRefusal }> {
  const text = input.text.trim();
  if (text.length === 0) return { ok: false, error: "empty" };
  if (text.length > NOTE_MAX) return { ok: false, error: "too_long" };
  const claimId = input.claimId || null;
  const correctsId = input.correctsId || null;
  const ids = [input.residentId, input.creditorId, claimId, correctsId].filter((i) => i !== null);
  if (!ids.every(isUuid) || !staff.creditorIds.includes(input.creditorId))
    return { ok: false, error: "not_found" };
  return db().$transaction(async (tx) => {
    const claim = await tx.claim.findFirst({
      where: {
        residentId: input.residentId,
        creditorId: input.creditorId,
        ...(claimId ? { id: claimId } : {}),
      },
      select: { id: true, creditor: { select: { timeZone: true } } },
    });
    if (!claim) return { ok: false as const, error: "not_found" as const };
    if (correctsId) {
      const corrected = await tx.caseNote.findFirst({
        where: { id: correctsId, residentId: input.residentId, creditorId: input.creditorId },
      });
      if (!corrected) return { ok: false as const, error: "not_found" as const };
    }
    const note = await tx.caseNote.create({
      data: {
        creditorId: input.creditorId,
        residentId: input.residentId,
        claimId,
        staffId: staff.staffId,
        text,
        correctsId,
        createdAt: now,
      },
    });
    await recordEvent(tx, {
      type: "staff.added_note",
      residentId: input.residentId,
      creditorId: input.creditorId,
      claimId: claimId ?? undefined,
      actor: `staff:${staff.staffId}`,
      on: todayIn(claim.creditor.timeZone, now),
      data: { noteId: note.id, correctsId },
    });
    return { ok: true as const, noteId: note.id };
  });
}

/** A resident's notes (or one claim's) from the staff member's creditors, newest first. */
export async function caseNotes(
  staff: StaffContext,
  of: { residentId: string } | { claimId: string },
): Promise<CaseNoteView[]> {
  const [column, id] = "claimId" in of ? ["claimId", of.claimId] : ["residentId", of.residentId];
  if (!isUuid(id)) return [];
  const rows = await query<Omit<CaseNoteView, "createdAt"> & { createdAt: Date }>(
    undefined,
    `SELECT n.id::text, n."creditorId"::text, cr.name AS "creditorName", cr."timeZone",
            n."claimId"::text, c."externalId" AS "claimExternalId", s.name AS "staffName",
            n.text, n."createdAt", n."correctsId"::text,
            (SELECT k.id::text FROM "CaseNote" k WHERE k."correctsId" = n.id
              ORDER BY k."createdAt" DESC LIMIT 1) AS "correctedBy"
       FROM "CaseNote" n JOIN "Creditor" cr ON cr.id = n."creditorId"
       JOIN "Staff" s ON s.id = n."staffId"
       LEFT JOIN "Claim" c ON c.id = n."claimId"
      WHERE n."${column}" = $1::uuid AND n."creditorId" = ANY($2::uuid[])
      ORDER BY n."createdAt" DESC, n.id`,
    [id, staff.creditorIds],
  );
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
