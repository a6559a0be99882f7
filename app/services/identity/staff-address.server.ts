import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { NOTICE_MACHINE } from "~/domain/notice-transitions";
import {
  MAX_ADDRESS_LINES,
  PostalAddressSchema,
  type PostalAddress,
} from "~/domain/postal-address";
import type { Role } from "~/domain/state-machine";
import { db, type Conn } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { query } from "~/infra/sql.server";
import { changeAddress } from "./contact-preferences.server";
import { openAddress } from "./residents.server";

/*
 * A resident's postal address as staff see and correct it from a case (the population register
 * or the resident on the phone gave a new one). Scoped like every staff look: the resident is
 * reached through a claim of one of the staff member's creditors, and another creditor's is not
 * there. A correction goes through `changeAddress` (paper letters not yet printed go to the new
 * address; `resident.address_changed` with who, when and where the address came from).
 */

export type AddressStaff = {
  staffId: string;
  role: "AGENT" | "SUPERVISOR" | "ADMIN";
  creditorIds: readonly string[];
};

/** Whoever may send a letter again (NOTICE_MACHINE's `resend`) may correct the address. */
export function mayCorrectAddress(role: AddressStaff["role"]): boolean {
  return (NOTICE_MACHINE.moves.resend.by as readonly Role[]).includes(role.toLowerCase() as Role);
}

export const SOURCE_MIN = 5;
export const SOURCE_MAX = 200;

/** The form's fields, as typed: one string per address line (empty lines are left out). */
export type AddressForm = {
  lines: string[];
  postalCode: string;
  city: string;
  country: string;
  source: string;
};

/** A field of the form that is wrong: `line1`…`line4`, `postalCode`, `city`, `country`, `source`. */
export type AddressFormField =
  `line${1 | 2 | 3 | 4}` | "postalCode" | "city" | "country" | "source";

export type CorrectAddressResult =
  | { ok: true }
  | { ok: false; error: "not_found" | "not_allowed" }
  | { ok: false; error: "invalid"; fields: AddressFormField[] };

export type AddressOnCase = {
  address: PostalAddress | null;
  /** The last change recorded, if any: when, by whom, and where staff said it came from. */
  lastChange: {
    on: IsoDate;
    by: "staff" | "resident" | "other";
    staffName: string | null;
    source: string | null;
  } | null;
};

const lineField = (i: number) => `line${i + 1}` as AddressFormField;

/**
 * The form checked with the one postal-address schema: the address to save, or every field that
 * is wrong. A country is required here (the form always sends one).
 */
export function checkAddressForm(
  form: AddressForm,
):
  { ok: true; address: PostalAddress; source: string } | { ok: false; fields: AddressFormField[] } {
  const fields = new Set<AddressFormField>();
  // Empty lines are left out; `kept` maps the schema's line index back to the form's field.
  const kept = form.lines.flatMap((l, i) => (l.trim() === "" ? [] : [i]));
  const parsed = PostalAddressSchema.safeParse({
    lines: kept.map((i) => form.lines[i]!),
    postalCode: form.postalCode,
    city: form.city,
    // Required here: an empty one fails the schema's pattern.
    country: form.country.trim(),
  });
  for (const issue of parsed.error?.issues ?? []) {
    const [key, index] = issue.path;
    if (key === "lines") {
      // A line of its own, or the list: none given (line 1), or too many (the last).
      const line =
        typeof index === "number" ? kept[index]! : kept.length === 0 ? 0 : MAX_ADDRESS_LINES - 1;
      fields.add(lineField(line));
    } else if (key === "postalCode" || key === "city" || key === "country") fields.add(key);
  }
  const source = form.source.trim();
  if (source.length < SOURCE_MIN || source.length > SOURCE_MAX) fields.add("source");
  if (!parsed.success || fields.size > 0)
    return { ok: false, fields: fields.size > 0 ? [...fields] : ["line1"] };
  return { ok: true, address: { ...parsed.data, country: parsed.data.country! }, source };
}

/** The claim's resident and creditor, if the claim is one of the staff member's creditors'. */
async function scopedResident(conn: Conn | undefined, staff: AddressStaff, claimId: string) {
  if (!isUuid(claimId) || staff.creditorIds.length === 0) return null;
  const [row] = await query<{
    residentId: string;
    creditorId: string;
    timeZone: string;
    addressCipher: string | null;
  }>(
    conn,
    `SELECT c."residentId"::text, c."creditorId"::text, cr."timeZone", r."addressCipher"
     FROM "Claim" c JOIN "Creditor" cr ON cr.id = c."creditorId"
     JOIN "Resident" r ON r.id = c."residentId"
     WHERE c.id = $1::uuid AND c."creditorId" = ANY($2::uuid[])`,
    [claimId, staff.creditorIds],
  );
  return row ?? null;
}

/** The address on record of the claim's resident (decrypted), and its last change; null: not theirs. */
export async function residentAddressOnCase(
  staff: AddressStaff,
  claimId: string,
): Promise<AddressOnCase | null> {
  const found = await scopedResident(undefined, staff, claimId);
  if (!found) return null;
  const [last] = await query<{
    occurredOn: Date;
    actor: string;
    data: { by?: string; source?: string };
    staffName: string | null;
  }>(
    undefined,
    `SELECT e."occurredOn", e.actor, e.data, s.name AS "staffName"
     FROM "Event" e LEFT JOIN "Staff" s ON e.actor = 'staff:' || s.id::text
     WHERE e."residentId" = $1::uuid AND e.type = 'resident.address_changed'
     ORDER BY e.id DESC LIMIT 1`,
    [found.residentId],
  );
  return {
    address: openAddress(found.addressCipher),
    lastChange: last
      ? {
          on: isoOf(last.occurredOn),
          by: last.data.by === "staff" || last.data.by === "resident" ? last.data.by : "other",
          staffName: last.staffName,
          source: last.data.source ?? null,
        }
      : null,
  };
}

/**
 * Staff correct the postal address of the claim's resident. Bad input changes nothing and names
 * every wrong field; another creditor's claim is `not_found`.
 */
export async function correctResidentAddress(input: {
  staff: AddressStaff;
  claimId: string;
  form: AddressForm;
  now?: Date;
}): Promise<CorrectAddressResult> {
  const { staff } = input;
  const found = await scopedResident(undefined, staff, input.claimId);
  if (!found) return { ok: false, error: "not_found" };
  if (!mayCorrectAddress(staff.role)) return { ok: false, error: "not_allowed" };
  const checked = checkAddressForm(input.form);
  if (!checked.ok) return { ok: false, error: "invalid", fields: checked.fields };
  await db().$transaction(async (tx) => {
    // The resident row is locked so two corrections at once are written one after the other.
    await query(tx, `SELECT 1 FROM "Resident" WHERE id = $1::uuid FOR UPDATE`, [found.residentId]);
    await changeAddress(
      found.residentId,
      {
        address: checked.address,
        on: todayIn(found.timeZone, input.now ?? new Date()),
        actor: `staff:${staff.staffId}`,
        by: "staff",
        source: checked.source,
        creditorId: found.creditorId,
        claimId: input.claimId,
      },
      tx,
    );
  });
  return { ok: true };
}
