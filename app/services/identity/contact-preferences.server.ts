import type { IsoDate } from "~/domain/calendar-date";
import type { PostalAddress } from "~/domain/postal-address";
import { db, type Tx } from "~/infra/db.server";
import { dbDate, isoOf } from "~/infra/db-dates.server";
import { query } from "~/infra/sql.server";
import { recordEvent } from "../events/events.server";
import { openAddress, sealAddress } from "./residents.server";

/*
 * How a resident is reached: the address paper letters go to, and whether they agreed to get
 * their notices by email (and at which address). The consent is the resident's own act, dated
 * and recorded as an event; withdrawing it takes effect for letters not yet sent (they are
 * routed again: digital mailbox or paper).
 */

export type ContactPreferences = {
  email: string | null;
  emailNotices: boolean;
  emailConsentOn: IsoDate | null;
  address: PostalAddress | null;
  /** What the national contact register said when it was last asked, if it was. */
  register: {
    register: string;
    mailbox: string | null;
    reserved: boolean;
    checkedOn: IsoDate;
  } | null;
};

export async function contactPreferences(residentId: string): Promise<ContactPreferences> {
  const r = await db().resident.findUniqueOrThrow({ where: { id: residentId } });
  const record = await db().contactRecord.findUnique({ where: { residentId } });
  return {
    email: r.email,
    emailNotices: r.emailNotices,
    emailConsentOn: r.emailConsentOn ? isoOf(r.emailConsentOn) : null,
    address: openAddress(r.addressCipher),
    register: record
      ? {
          register: record.register,
          mailbox: record.mailbox,
          reserved: record.reserved,
          checkedOn: record.checkedAt.toISOString().slice(0, 10),
        }
      : null,
  };
}

/** The resident agrees to notices by email at `email` (from `on`). */
export async function giveEmailConsent(
  residentId: string,
  input: { email: string; on: IsoDate; actor: string },
): Promise<void> {
  await db().$transaction(async (tx) => {
    await tx.resident.update({
      where: { id: residentId },
      data: { email: input.email, emailNotices: true, emailConsentOn: dbDate(input.on) },
    });
    await rerouteUnsent(tx, residentId);
    await recordEvent(tx, {
      residentId,
      type: "resident.email_consent_given",
      actor: input.actor,
      on: input.on,
      data: { email: input.email },
    });
  });
}

/** The resident withdraws it: letters not yet sent go by mailbox or paper instead. */
export async function withdrawEmailConsent(
  residentId: string,
  input: { on: IsoDate; actor: string },
): Promise<void> {
  await db().$transaction(async (tx) => {
    const r = await tx.resident.findUniqueOrThrow({ where: { id: residentId } });
    if (!r.emailNotices) return;
    await tx.resident.update({
      where: { id: residentId },
      data: { emailNotices: false, emailConsentOn: null },
    });
    await rerouteUnsent(tx, residentId);
    await recordEvent(tx, {
      residentId,
      type: "resident.email_consent_withdrawn",
      actor: input.actor,
      on: input.on,
      data: {},
    });
  });
}

/**
 * A new postal address, given by the resident or by staff (from the population register).
 * `source` is where staff got it, in their words; `creditorId` and `claimId` the case they acted
 * from, for the audit log.
 */
export async function changeAddress(
  residentId: string,
  input: {
    address: PostalAddress;
    on: IsoDate;
    actor: string;
    by: "resident" | "staff";
    source?: string;
    creditorId?: string;
    claimId?: string;
  },
  conn?: Tx,
): Promise<void> {
  const write = async (tx: Tx) => {
    await tx.resident.update({
      where: { id: residentId },
      data: { addressCipher: sealAddress(input.address) },
    });
    // Paper letters not yet printed go to the new address.
    await query(
      tx,
      `UPDATE "Notice" n SET "addressCipher" = $2
       FROM "Claim" c WHERE c.id = n."claimId" AND c."residentId" = $1::uuid
         AND n.status = 'PENDING' AND n.channel = 'PRINT'`,
      [residentId, sealAddress(input.address)],
    );
    await recordEvent(tx, {
      residentId,
      creditorId: input.creditorId ?? null,
      claimId: input.claimId ?? null,
      type: "resident.address_changed",
      actor: input.actor,
      on: input.on,
      data: input.source ? { by: input.by, source: input.source } : { by: input.by },
    });
  };
  if (conn) await write(conn);
  else await db().$transaction(write);
}

/**
 * Letters of the resident still waiting to leave are routed again at the next dispatch: a mail
 * not yet handed to SMTP is dropped from the outbox (it never left, so nothing counted from it).
 */
async function rerouteUnsent(tx: Tx, residentId: string) {
  await query(
    tx,
    `DELETE FROM "Outbox" o USING "Notice" n, "Claim" c
     WHERE o."noticeId" = n.id AND c.id = n."claimId" AND c."residentId" = $1::uuid
       AND n.status = 'PENDING' AND o.status = 'PENDING'`,
    [residentId],
  );
  await query(
    tx,
    `UPDATE "Notice" n SET channel = NULL, "channelReason" = NULL, "addressCipher" = NULL,
            "nextAttemptAt" = now()
     FROM "Claim" c WHERE c.id = n."claimId" AND c."residentId" = $1::uuid
       AND n.status = 'PENDING' AND n.channel IN ('EMAIL', 'PRINT')`,
    [residentId],
  );
}
