import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { NOTICE_MACHINE } from "~/domain/notice-transitions";
import { isUuid } from "~/domain/ids";
import type { Channel } from "~/domain/letters";
import { postalCodeFits, PostalAddressSchema, type PostalAddress } from "~/domain/postal-address";
import { checkMove, IllegalMoveError, type Role } from "~/domain/state-machine";
import { db, type Tx } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { recordEvents } from "../events/events.server";
import { changeAddress } from "../identity/contact-preferences.server";
import { refreshNextActions } from "../claims/next-action.server";
import { loadLawBook } from "../law/legal-figures.server";
import { assignChannel, STAFF_CHOICE } from "./dispatch.server";
import { lockNotices, markUndelivered } from "./notice-moves.server";
import { reasonGiven } from "~/domain/reason-limits";

/*
 * Staff's side of a letter that did not arrive: recording a letter the post brought back, and
 * sending a failed or returned letter again (to a corrected address, or by a channel staff
 * choose). Each is one transaction: the notice is locked (only within the staff member's
 * creditors; any other is not there), the move is checked against NOTICE_MACHINE, the rows and
 * the event are written, and the claim's next look is refreshed.
 */

export type LetterStaff = {
  staffId: string;
  role: "AGENT" | "SUPERVISOR" | "ADMIN";
  creditorIds: readonly string[];
};

export type LetterActionError =
  | "not_found"
  | "reason_required"
  | "wrong_state"
  | "not_allowed"
  | "no_address"
  | "no_email_consent"
  | "bad_address";

export type LetterActionResult<T = object> =
  ({ ok: true } & T) | { ok: false; error: LetterActionError };

const roleOf = (staff: LetterStaff) => staff.role.toLowerCase() as Role;
const actorOf = (staff: LetterStaff) => `staff:${staff.staffId}`;

/** The notice, locked, if it belongs to one of the staff member's creditors. */
async function lockScoped(tx: Tx, staff: LetterStaff, noticeId: string) {
  if (!isUuid(noticeId) || staff.creditorIds.length === 0) return null;
  const [scoped] = await query<{
    timeZone: string;
    country: string;
    email: string | null;
    emailNotices: boolean;
    hasAddress: boolean;
  }>(
    tx,
    `SELECT cr."timeZone", cr.country::text, r.email, r."emailNotices", (r."addressCipher" IS NOT NULL) AS "hasAddress"
     FROM "Notice" n JOIN "Claim" c ON c.id = n."claimId"
     JOIN "Creditor" cr ON cr.id = c."creditorId" JOIN "Resident" r ON r.id = c."residentId"
     WHERE n.id = $1::uuid AND c."creditorId" = ANY($2::uuid[])
     FOR UPDATE OF n`,
    [noticeId, staff.creditorIds],
  );
  if (!scoped) return null;
  const [notice] = await lockNotices(tx, [noticeId]);
  return notice ? { notice, ...scoped } : null;
}

function refused(error: unknown): { ok: false; error: LetterActionError } {
  if (!(error instanceof IllegalMoveError)) throw error;
  if (error.code === "reason_required") return { ok: false, error: "reason_required" };
  if (error.code === "not_allowed") return { ok: false, error: "not_allowed" };
  return { ok: false, error: "wrong_state" };
}

class Refused extends Error {
  constructor(readonly result: { ok: false; error: LetterActionError }) {
    super(result.error);
  }
}

/** Runs a letter action in one transaction; a refusal rolls everything back. */
async function inTransaction<T extends object>(
  work: (tx: Tx) => Promise<LetterActionResult<T>>,
): Promise<LetterActionResult<T>> {
  try {
    return await db().$transaction(async (tx): Promise<LetterActionResult<T>> => {
      const result = await work(tx);
      if (!result.ok) throw new Refused(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    return refused(error);
  }
}

/** The post brought a letter back (unknown address): the claim stops until it is sent again. */
export async function recordReturnedLetter(input: {
  noticeId: string;
  staff: LetterStaff;
  reason: string;
  on?: IsoDate;
}): Promise<LetterActionResult> {
  const reason = input.reason.trim();
  if (!reasonGiven(reason)) return { ok: false, error: "reason_required" };
  const law = await loadLawBook();
  return inTransaction<object>(async (tx) => {
    const found = await lockScoped(tx, input.staff, input.noticeId);
    if (!found) return { ok: false, error: "not_found" };
    await markUndelivered(tx, law, {
      noticeId: input.noticeId,
      move: "return",
      reason,
      on: input.on ?? todayIn(found.timeZone, new Date()),
      by: { role: roleOf(input.staff), id: actorOf(input.staff) },
    });
    return { ok: true };
  });
}

/**
 * A failed or returned letter sent again: a new pending notice with the same kind, content,
 * language and days to pay (`resendOfId` the old one; its step stays on the original, and the
 * dispatch gives that step its fresh deadline), the old one RESENT, a fee still waiting for the
 * old notice now waiting for the new one. A corrected address is saved on the resident first.
 * `channel` null lets dispatch choose again; a channel staff choose is kept by dispatch.
 */
export async function resendNotice(input: {
  noticeId: string;
  staff: LetterStaff;
  reason: string;
  channel?: Channel | null;
  /** Without a country: the creditor's. */
  address?: (Omit<PostalAddress, "country"> & { country?: string }) | null;
  on?: IsoDate;
}): Promise<LetterActionResult<{ newNoticeId: string }>> {
  const reason = input.reason.trim();
  if (!reasonGiven(reason)) return { ok: false, error: "reason_required" };
  const address = input.address ? PostalAddressSchema.safeParse(input.address) : null;
  if (address && !address.success) return { ok: false, error: "bad_address" };
  const channel = input.channel ?? null;
  const law = await loadLawBook();
  return inTransaction<{ newNoticeId: string }>(async (tx) => {
    const found = await lockScoped(tx, input.staff, input.noticeId);
    if (!found) return { ok: false, error: "not_found" };
    const { notice: old } = found;
    const on = input.on ?? todayIn(found.timeZone, new Date());
    const to = checkMove(NOTICE_MACHINE, old.status, "resend", roleOf(input.staff), reason);
    if (channel === "PRINT" && !input.address && !found.hasAddress)
      return { ok: false, error: "no_address" };
    if (channel === "EMAIL" && !(found.emailNotices && found.email))
      return { ok: false, error: "no_email_consent" };
    // Without a country the address is in the creditor's: its postal code must be written so.
    if (
      address?.success &&
      !postalCodeFits(address.data.postalCode, address.data.country ?? found.country)
    )
      return { ok: false, error: "bad_address" };
    if (address?.success)
      await changeAddress(
        old.residentId,
        {
          address: { ...address.data, country: address.data.country ?? found.country },
          on,
          actor: actorOf(input.staff),
          by: "staff",
        },
        tx,
      );
    const [created] = await query<{ id: string }>(
      tx,
      `INSERT INTO "Notice" (id, "claimId", "planId", kind, "sentOn", "deadlineDays", language,
                             status, content, "resendOfId", "nextAttemptAt")
       SELECT gen_random_uuid(), "claimId", "planId", kind, $2::date, "deadlineDays", language,
              'PENDING', content, id, now()
       FROM "Notice" WHERE id = $1::uuid
       RETURNING id::text`,
      [old.id, on],
    );
    const newNoticeId = created!.id;
    if (channel)
      await assignChannel(
        tx,
        { id: newNoticeId, email: found.email },
        channel,
        `${STAFF_CHOICE}: ${reason}`.slice(0, 500),
      );
    await query(
      tx,
      `UPDATE "Notice" SET status = $2::"NoticeStatus" WHERE id = $1::uuid AND status = $3::"NoticeStatus"`,
      [old.id, to, old.status],
    );
    // A fee announced by a letter that never left waits for the one that will (found through
    // the claim's index: pending marks are not indexed themselves).
    await query(
      tx,
      `UPDATE "Charge" SET "pendingNoticeId" = $2::uuid
       WHERE "claimId" = $3::uuid AND "pendingNoticeId" = $1::uuid`,
      [old.id, newNoticeId, old.claimId],
    );
    await recordEvents(tx, [
      {
        type: "notice.resent",
        claimId: old.claimId,
        residentId: old.residentId,
        creditorId: old.creditorId,
        actor: actorOf(input.staff),
        on,
        data: {
          noticeId: old.id,
          newNoticeId,
          channel,
          reason,
          addressCorrected: !!input.address,
        },
      },
    ]);
    await refreshNextActions(tx, [old.claimId], law, on);
    return { ok: true, newNoticeId };
  });
}
