import { z } from "zod/v4";

/** A postal address as a letter's window shows it (the name is the resident's own). */
export type PostalAddress = {
  /** Street, c/o, box: in the order they are written on the envelope (at most 4). */
  lines: string[];
  postalCode: string;
  city: string;
  /** ISO 3166 alpha-2. */
  country: string;
};

/** A stored address that says nothing is no address. */
export function isUsableAddress(a: PostalAddress | null | undefined): a is PostalAddress {
  return (
    !!a &&
    a.lines.some((l) => l.trim() !== "") &&
    a.postalCode.trim() !== "" &&
    a.city.trim() !== ""
  );
}

export const MAX_ADDRESS_LINES = 4;
export const ADDRESS_LINE_MAX = 70;
export const POSTAL_CODE_MAX = 10;
export const CITY_MAX = 60;

/**
 * The one check of an address given to us (the intake API, staff re-sending a letter or
 * correcting an address): 1–4 non-empty lines of at most 70 characters, a postal code, a town;
 * trimmed. The country is optional here (the caller knows its default); where given, ISO alpha-2.
 */
export const PostalAddressSchema = z
  .object({
    lines: z.array(z.string().trim().min(1).max(ADDRESS_LINE_MAX)).min(1).max(MAX_ADDRESS_LINES),
    postalCode: z
      .string()
      .trim()
      .regex(/^[0-9A-Z -]{3,10}$/i, "must be a postal code"),
    city: z.string().trim().min(1).max(CITY_MAX),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be a two-letter country code such as NO or SE")
      .optional(),
  })
  .strict();
