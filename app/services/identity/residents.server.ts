import type { IsoDate } from "~/domain/calendar-date";
import { recordEvent } from "../events/events.server";
import type { Country, Prisma } from "~/generated/prisma/client.ts";
import type { NationalId } from "~/domain/national-id";
import { db, type Tx } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import {
  decryptNationalId,
  decryptPersonalData,
  encryptNationalId,
  encryptPersonalData,
  nationalIdHash,
} from "~/infra/pii.server";
import { isUsableAddress, type PostalAddress } from "~/domain/postal-address";

export function hashNationalId(country: Country, canonical: string): string {
  return nationalIdHash(country, canonical, env().NATIONAL_ID_HASH_KEY);
}

export async function findResidentByNationalId(country: Country, canonical: string) {
  return db().resident.findUnique({
    where: { nationalIdHash: hashNationalId(country, canonical) },
    select: { id: true, name: true, language: true },
  });
}

export type ResidentContact = {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  language?: string | undefined;
  address?: { lines: string[]; postalCode: string; city: string; country?: string | undefined };
};

/**
 * The resident a creditor's invoice names, created on first sight. An existing resident's data
 * is only completed, never overwritten: what the resident chose (language) outranks a billing file.
 */
export async function findOrCreateResident(
  tx: Tx,
  id: NationalId,
  contact: ResidentContact,
  actor: string,
  today: IsoDate,
): Promise<{ id: string; created: boolean }> {
  const country = id.country as Country;
  const hash = hashNationalId(country, id.canonical);
  const existing = await tx.resident.findUnique({ where: { nationalIdHash: hash } });
  if (existing) {
    const fill: Prisma.ResidentUpdateInput = {};
    if (!existing.email && contact.email) fill.email = contact.email;
    if (!existing.phone && contact.phone) fill.phone = contact.phone;
    if (!existing.language && contact.language) fill.language = contact.language;
    if (!existing.addressCipher && contact.address)
      fill.addressCipher = sealAddress({
        ...contact.address,
        country: contact.address.country ?? country,
      });
    if (Object.keys(fill).length > 0) {
      await tx.resident.update({ where: { id: existing.id }, data: fill });
      await recordEvent(tx, {
        residentId: existing.id,
        type: "resident.contact_completed",
        actor,
        on: today,
        data: { fields: Object.keys(fill).map((f) => (f === "addressCipher" ? "address" : f)) },
      });
    }
    return { id: existing.id, created: false };
  }
  const resident = await tx.resident.create({
    data: {
      country,
      nationalIdCipher: encryptNationalId(id.canonical, env().PII_ENCRYPTION_KEY),
      nationalIdHash: hash,
      name: contact.name,
      email: contact.email ?? null,
      phone: contact.phone ?? null,
      language: contact.language ?? null,
      addressCipher: contact.address
        ? sealAddress({ ...contact.address, country: contact.address.country ?? country })
        : null,
    },
  });
  await recordEvent(tx, {
    residentId: resident.id,
    type: "resident.registered",
    actor,
    on: today,
    data: {},
  });
  return { id: resident.id, created: true };
}

/** Decrypts a resident's identity number; callers must have a reason that is audited. */
export function revealNationalId(cipher: string): string {
  // Removed by the retention job (operations/retention.server.ts): nothing left to reveal.
  if (cipher === "") return "";
  return decryptNationalId(cipher, env().PII_ENCRYPTION_KEY);
}

/** A postal address as stored: AES-256-GCM of its JSON, like the identity number. */
export function sealAddress(address: PostalAddress): string {
  return encryptPersonalData(JSON.stringify(address), env().PII_ENCRYPTION_KEY);
}

/** The stored address, or null when there is none (or it was anonymised). */
export function openAddress(cipher: string | null | undefined): PostalAddress | null {
  if (!cipher) return null;
  const a = JSON.parse(decryptPersonalData(cipher, env().PII_ENCRYPTION_KEY)) as PostalAddress;
  return isUsableAddress(a) ? a : null;
}
