import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { FLAG_KINDS, flagLockKey, type FlagKind } from "~/domain/vulnerability";
import { REASON_MAX, reasonGiven } from "~/domain/reason-limits";
import { db } from "~/infra/db.server";
import { refreshResidentNextActions } from "../claims/next-action.server";
import { recordEvent } from "../events/events.server";
import { loadLawBook } from "../law/legal-figures.server";
import type { StaffContext } from "./queues.server";

export type RaiseFlagResult =
  | { ok: true; flagId: string; alreadyOpen: boolean }
  | { ok: false; error: "reason_required" | "too_long" | "not_found" };

/**
 * Staff flag a resident they serve: a call about hardship, debt respite (gjeldsordning,
 * skuldsanering) begun, a concern for the resident's welfare. As a resident's own request for
 * help does, an open flag holds back every claim of the resident from enforcement until a person
 * resolves it (safeguard 5): each open claim's next look is worked out again. One open flag of a
 * kind at a time: raising one that is open writes nothing. The note stays with the flag; the log
 * records who raised which kind, and when.
 */
export async function raiseFlag(
  staff: StaffContext,
  input: { residentId: string; kind: FlagKind; note: string; now: Date },
): Promise<RaiseFlagResult> {
  const note = input.note.trim();
  if (!reasonGiven(note)) return { ok: false, error: "reason_required" };
  if (note.length > REASON_MAX) return { ok: false, error: "too_long" };
  if (!isUuid(input.residentId) || !FLAG_KINDS.includes(input.kind))
    return { ok: false, error: "not_found" };
  const law = await loadLawBook();
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${flagLockKey(input.residentId)}))`;
    // Only a resident the staff member serves: one with a claim of one of their creditors.
    const served = await tx.claim.findFirst({
      where: { residentId: input.residentId, creditorId: { in: staff.creditorIds } },
      select: { creditor: { select: { timeZone: true } } },
    });
    if (!served) return { ok: false as const, error: "not_found" as const };
    const open = await tx.vulnerabilityFlag.findFirst({
      where: { residentId: input.residentId, kind: input.kind, resolvedAt: null },
    });
    if (open) return { ok: true as const, flagId: open.id, alreadyOpen: true };
    const flag = await tx.vulnerabilityFlag.create({
      data: {
        residentId: input.residentId,
        kind: input.kind,
        note,
        raisedBy: `staff:${staff.staffId}`,
        raisedAt: input.now,
      },
    });
    await recordEvent(tx, {
      residentId: input.residentId,
      type: "vulnerability.flagged",
      actor: `staff:${staff.staffId}`,
      on: todayIn(served.creditor.timeZone, input.now),
      data: { flagId: flag.id, kind: input.kind },
    });
    // Every open claim of the resident, whichever creditor's: a flag is the resident's.
    await refreshResidentNextActions(tx, input.residentId, law, input.now);
    return { ok: true as const, flagId: flag.id, alreadyOpen: false };
  });
}
