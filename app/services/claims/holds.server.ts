import { recordEvent } from "../events/events.server";
import type { HoldKind } from "~/generated/prisma/client.ts";
import { compareDates, isIsoDate, type IsoDate } from "~/domain/calendar-date";
import { db } from "~/infra/db.server";
import { dbDate, isoOf } from "~/infra/db-dates.server";
import { refreshNextActions } from "./next-action.server";
import { loadLawBook } from "../law/legal-figures.server";

export const HOLD_KINDS: readonly HoldKind[] = [
  "DISPUTE",
  "PLAN_REQUEST",
  "ACTIVE_PLAN",
  "PAYMENT_PENDING",
  "DEFERRAL",
  "HARDSHIP",
  "DEBT_RESPITE",
  "MANUAL",
];

export type HoldResult = { ok: true; holdId: string } | { ok: false; error: string };

async function claimOf(creditorSlug: string, externalId: string) {
  return db().claim.findFirst({
    where: { externalId, creditor: { slug: creditorSlug } },
    include: { creditor: true },
  });
}

/**
 * Pauses a claim's escalation from `startsOn` (until `endsOn`, if given). The hold, its event and
 * the claim's next look are written together: a paused claim is never swept past its hold.
 */
export async function placeHold(input: {
  creditorSlug: string;
  externalId: string;
  kind: string;
  reason: string;
  startsOn: IsoDate;
  endsOn?: IsoDate;
  actor: string;
}): Promise<HoldResult> {
  if (!HOLD_KINDS.includes(input.kind as HoldKind)) {
    return { ok: false, error: `kind must be one of ${HOLD_KINDS.join(", ")}` };
  }
  if (!isIsoDate(input.startsOn) || (input.endsOn && !isIsoDate(input.endsOn))) {
    return { ok: false, error: "dates must be YYYY-MM-DD" };
  }
  if (input.endsOn && compareDates(input.endsOn, input.startsOn) < 0) {
    return { ok: false, error: "the hold cannot end before it starts" };
  }
  if (!input.reason.trim()) return { ok: false, error: "a reason is required" };
  const claim = await claimOf(input.creditorSlug, input.externalId);
  if (!claim) return { ok: false, error: `no claim ${input.externalId} for ${input.creditorSlug}` };
  const law = await loadLawBook();
  const hold = await db().$transaction(async (tx) => {
    const created = await tx.hold.create({
      data: {
        claimId: claim.id,
        kind: input.kind as HoldKind,
        reason: input.reason.trim(),
        startsOn: dbDate(input.startsOn),
        endsOn: input.endsOn ? dbDate(input.endsOn) : null,
      },
    });
    await recordEvent(tx, {
      claimId: claim.id,
      residentId: claim.residentId,
      creditorId: claim.creditorId,
      type: "hold.placed",
      actor: input.actor,
      on: input.startsOn,
      data: { holdId: created.id, kind: input.kind, endsOn: input.endsOn ?? null },
    });
    await refreshNextActions(tx, [claim.id], law, input.startsOn);
    return created;
  });
  return { ok: true, holdId: hold.id };
}

/** Lifts a claim's open holds on `on`; the engine then gives a fresh deadline before any step. */
export async function releaseHolds(input: {
  creditorSlug: string;
  externalId: string;
  on: IsoDate;
  reason: string;
  actor: string;
}): Promise<{ ok: true; released: number } | { ok: false; error: string }> {
  if (!isIsoDate(input.on)) return { ok: false, error: "the date must be YYYY-MM-DD" };
  const claim = await claimOf(input.creditorSlug, input.externalId);
  if (!claim) return { ok: false, error: `no claim ${input.externalId} for ${input.creditorSlug}` };
  const law = await loadLawBook();
  const released = await db().$transaction(async (tx) => {
    const open = await tx.hold.findMany({ where: { claimId: claim.id, releasedOn: null } });
    const current = open.filter((h) => !h.endsOn || compareDates(isoOf(h.endsOn), input.on) >= 0);
    let lifted = 0;
    for (const h of current) {
      // Only if still in force: a lift running at the same moment may have lifted it already.
      const { count } = await tx.hold.updateMany({
        where: { id: h.id, releasedOn: null },
        data: { releasedOn: dbDate(input.on) },
      });
      if (count === 0) continue;
      lifted++;
      await recordEvent(tx, {
        claimId: claim.id,
        residentId: claim.residentId,
        creditorId: claim.creditorId,
        type: "hold.released",
        actor: input.actor,
        on: input.on,
        data: { holdId: h.id, kind: h.kind, reason: input.reason },
      });
    }
    await refreshNextActions(tx, [claim.id], law, input.on);
    return lifted;
  });
  return { ok: true, released };
}
