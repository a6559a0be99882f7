import { compareDates, isIsoDate, todayIn } from "~/domain/calendar-date";
import { db } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { refreshNextActions } from "../claims/next-action.server";
import { loadLawBook } from "../law/legal-figures.server";
import { event } from "./decisions.server";
import type { StaffContext } from "./queues.server";
import { reasonGiven } from "~/domain/reason-limits";

/** Staff pause or resume a claim (manual, hardship, debt respite with an end date, deferral). */
export async function staffPlaceHold(
  staff: StaffContext,
  input: {
    claimId: string;
    kind: "MANUAL" | "HARDSHIP" | "DEBT_RESPITE" | "DEFERRAL";
    reason: string;
    endsOn?: string;
    now: Date;
  },
) {
  if (!reasonGiven(input.reason)) return { ok: false as const, error: "reason_required" };
  if (input.kind === "DEBT_RESPITE" && !input.endsOn)
    return { ok: false as const, error: "end_required" };
  // A real date (2026-02-30 is none): a malformed one reached the database as an invalid date.
  if (input.endsOn !== undefined && !isIsoDate(input.endsOn))
    return { ok: false as const, error: "bad_end" };
  const claim = await db().claim.findFirst({
    where: { id: input.claimId, creditorId: { in: staff.creditorIds } },
    include: { creditor: true },
  });
  if (!claim) return { ok: false as const, error: "not_found" };
  const today = todayIn(claim.creditor.timeZone, input.now);
  // A hold that has ended by the time it is placed pauses nothing: it would say "paused" and the
  // claim would go on.
  if (input.endsOn !== undefined && compareDates(input.endsOn, today) <= 0)
    return { ok: false as const, error: "bad_end" };
  const law = await loadLawBook();
  await db().$transaction(async (tx) => {
    const hold = await tx.hold.create({
      data: {
        claimId: claim.id,
        kind: input.kind,
        reason: input.reason.trim(),
        startsOn: dbDate(today),
        endsOn: input.endsOn ? dbDate(input.endsOn) : null,
      },
    });
    await event(tx, staff, claim, "hold.placed", today, {
      holdId: hold.id,
      kind: input.kind,
      reason: input.reason.trim(),
      endsOn: input.endsOn ?? null,
    });
    await refreshNextActions(tx, [claim.id], law, today);
  });
  return { ok: true as const };
}

export async function staffReleaseHold(
  staff: StaffContext,
  input: { holdId: string; reason: string; now: Date },
) {
  if (!reasonGiven(input.reason)) return { ok: false as const, error: "reason_required" };
  const hold = await db().hold.findFirst({
    where: { id: input.holdId, releasedOn: null, claim: { creditorId: { in: staff.creditorIds } } },
    include: { claim: { include: { creditor: true } } },
  });
  // A dispute's hold ends only by deciding the dispute.
  if (!hold || hold.kind === "DISPUTE") return { ok: false as const, error: "not_found" };
  const today = todayIn(hold.claim.creditor.timeZone, input.now);
  const law = await loadLawBook();
  const released = await db().$transaction(async (tx) => {
    // Only if still in force: two lifts of one hold at once (a double click, two staff) must
    // not both record it.
    const { count } = await tx.hold.updateMany({
      where: { id: hold.id, releasedOn: null },
      data: { releasedOn: dbDate(today) },
    });
    if (count === 0) return false;
    await event(tx, staff, hold.claim, "hold.released", today, {
      holdId: hold.id,
      kind: hold.kind,
      reason: input.reason.trim(),
    });
    await refreshNextActions(tx, [hold.claimId], law, today);
    return true;
  });
  return released ? { ok: true as const } : { ok: false as const, error: "already_released" };
}
