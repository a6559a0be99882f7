import { todayIn } from "~/domain/calendar-date";
import { ENFORCEMENT_EXPORT_MACHINE } from "~/domain/case-transitions";
import { isUuid } from "~/domain/ids";
import { checkMove, IllegalMoveError } from "~/domain/state-machine";
import { db, type Tx } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { query } from "~/infra/sql.server";
import { writeClaimMoves } from "../claims/claim-writer.server";
import { loadClaims } from "../claims/load-claims.server";
import { refreshNextActions } from "../claims/next-action.server";
import { recordEvent } from "../events/events.server";
import { loadLawBook } from "../law/legal-figures.server";
import { writeDecisionNotices } from "../letters/decision-notices.server";
import { may, type ExportFailure, type ExportResult } from "./enforcement-batches.server";
import { staffActor, type StaffContext } from "./queues.server";
import { REASON_MAX, REASON_MIN } from "~/domain/reason-limits";

/*
 * What becomes of an enforcement export batch (docs/decisions/0097): staff record the authority's
 * receipt (its claims are FILED and each resident gets the ENFORCEMENT_FILED letter), or undo it
 * with a reason (its claims go back to ENFORCEMENT_APPROVED, for another batch). Each is a move of
 * the batch's table and of each claim's, in one transaction; the batch row is locked first, so two
 * at once count once.
 */

/** Locks a batch of the staff member's creditors and checks the move on it. */
async function lockExport(
  tx: Tx,
  staff: StaffContext,
  exportId: string,
  move: "record_receipt" | "undo",
  reason?: string,
) {
  const [row] = await query<{
    id: string;
    creditorId: string;
    timeZone: string;
    status: "EXPORTED" | "FILED" | "UNDONE";
  }>(
    tx,
    `SELECT e.id::text, e."creditorId"::text, cr."timeZone", e.status::text
     FROM "EnforcementExport" e JOIN "Creditor" cr ON cr.id = e."creditorId"
     WHERE e.id = $1::uuid AND e."creditorId" = ANY($2::uuid[]) FOR UPDATE OF e`,
    [exportId, staff.creditorIds],
  );
  if (!row) return { ok: false as const, error: "not_found" as const };
  try {
    checkMove(ENFORCEMENT_EXPORT_MACHINE, row.status, move, staffActor(staff).role, reason);
  } catch (error) {
    if (error instanceof IllegalMoveError)
      return { ok: false as const, error: "wrong_state" as const };
    throw error;
  }
  return { ok: true as const, row };
}

/** The batch's claims, locked: those still exported, and how many closed meanwhile. */
async function claimsOfExport(tx: Tx, exportId: string) {
  const ids = (
    await tx.enforcementFiling.findMany({ where: { exportId }, select: { claimId: true } })
  ).map((f) => f.claimId);
  const claims = await loadClaims(tx, { ids }, { lock: "update" });
  const exported = claims.filter((c) => c.status === "OPEN" && c.stage === "ENFORCEMENT_EXPORTED");
  return { exported, others: claims.length - exported.length };
}

/**
 * The authority received the batch: staff record its receipt or case number (required). Every
 * claim of the batch still exported is filed, and its resident gets a letter saying so; a claim
 * that closed meanwhile (paid, cancelled) stays as it is. One transaction.
 */
export async function recordExportReceipt(
  staff: StaffContext,
  exportId: string,
  receipt: string,
  now: Date,
  publicUrl = env().PUBLIC_URL,
): Promise<ExportResult<{ filed: number; closed: number }> | ExportFailure> {
  if (!may(staff)) return { ok: false, error: "role" };
  const number = receipt.trim();
  if (number.length === 0 || number.length > 100) return { ok: false, error: "receipt_required" };
  if (!isUuid(exportId)) return { ok: false, error: "not_found" };
  return db().$transaction(
    async (tx) => {
      const locked = await lockExport(tx, staff, exportId, "record_receipt");
      if (!locked.ok) return locked;
      const today = todayIn(locked.row.timeZone, now);
      const by = staffActor(staff);
      const { exported, others } = await claimsOfExport(tx, exportId);
      await writeClaimMoves(
        tx,
        exported.map((claim) => ({
          claim,
          move: "file" as const,
          by,
          on: today,
          data: { exportId, receipt: number },
        })),
        exported.map((claim) => ({ claim, on: null })),
      );
      // The resident hears of it now that the authority has it, not when the file was made.
      await writeDecisionNotices(
        tx,
        exported.map((claim) => ({
          claim,
          kind: "ENFORCEMENT_FILED" as const,
          on: today,
          by: by.role,
          publicUrl,
        })),
      );
      await tx.enforcementExport.update({
        where: { id: exportId },
        data: { status: "FILED", receipt: number, receiptBy: by.id, receiptAt: now },
      });
      await recordEvent(tx, {
        type: "enforcement_export.receipt_recorded",
        creditorId: locked.row.creditorId,
        actor: by.id,
        on: today,
        data: { exportId, receipt: number, filed: exported.length, closed: others },
      });
      return { ok: true as const, filed: exported.length, closed: others };
    },
    { timeout: 120_000 },
  );
}

/**
 * The batch did not reach the authority, or was wrong: staff undo it, with a reason. Its claims
 * still exported go back to ENFORCEMENT_APPROVED, out of the batch, to go in another one; the
 * file stays stored, as what was made. One transaction.
 */
export async function undoEnforcementExport(
  staff: StaffContext,
  exportId: string,
  reason: string,
  now: Date,
): Promise<ExportResult<{ returned: number; closed: number }> | ExportFailure> {
  if (!may(staff)) return { ok: false, error: "role" };
  const why = reason.trim();
  if (why.length < REASON_MIN || why.length > REASON_MAX)
    return { ok: false, error: "reason_required" };
  if (!isUuid(exportId)) return { ok: false, error: "not_found" };
  const law = await loadLawBook();
  return db().$transaction(
    async (tx) => {
      const locked = await lockExport(tx, staff, exportId, "undo", why);
      if (!locked.ok) return locked;
      const today = todayIn(locked.row.timeZone, now);
      const by = staffActor(staff);
      const { exported, others } = await claimsOfExport(tx, exportId);
      await writeClaimMoves(
        tx,
        exported.map((claim) => ({
          claim,
          move: "undo_export" as const,
          by,
          on: today,
          reason: why,
          data: { exportId },
        })),
      );
      await tx.enforcementFiling.updateMany({
        where: { exportId },
        data: { exportId: null, exportedAt: null },
      });
      await refreshNextActions(
        tx,
        exported.map((c) => c.id),
        law,
        today,
      );
      await tx.enforcementExport.update({
        where: { id: exportId },
        data: { status: "UNDONE", undoneBy: by.id, undoneAt: now, undoReason: why },
      });
      await recordEvent(tx, {
        type: "enforcement_export.undone",
        creditorId: locked.row.creditorId,
        actor: by.id,
        on: today,
        data: { exportId, reason: why, returned: exported.length, closed: others },
      });
      return { ok: true as const, returned: exported.length, closed: others };
    },
    { timeout: 120_000 },
  );
}
