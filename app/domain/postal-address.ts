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

// Regions that are not countries a letter can go to, though Intl names them.
const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "QO", "ZZ"]);
const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

/** An ISO 3166 alpha-2 code of a country (Intl knows its name): "XX" is none. */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  const name = regionNames.of(code);
  return name !== undefined && name !== code;
}

/** Postal codes as the Nordic posts write them; other countries' are only checked loosely. */
const POSTAL_CODES: Record<string, RegExp> = {
  NO: /^\d{4}$/,
  SE: /^\d{3} ?\d{2}$/,
  DK: /^\d{4}$/,
  FI: /^\d{5}$/,
  IS: /^\d{3}$/,
};

/** Whether a postal code is written as the country's post writes it ("0150", "112 51"). */
export function postalCodeFits(postalCode: string, country: string): boolean {
  const pattern = POSTAL_CODES[country];
  return pattern ? pattern.test(postalCode.trim()) : true;
}

/**
 * The one check of an address given to us (the intake API, staff re-sending a letter or
 * correcting an address): 1–4 non-empty lines of at most 70 characters, a postal code, a town;
 * trimmed. The country is optional here (the caller knows its default); where given, a real ISO
 * alpha-2 code, and a Nordic country's postal code written as its post writes it.
 */
export const PostalAddressFields = z
  .object({
    lines: z.array(z.string().trim().min(1).max(ADDRESS_LINE_MAX)).min(1).max(MAX_ADDRESS_LINES),
    postalCode: z
      .string()
      .trim()
      .regex(/^[0-9A-Z -]{3,10}$/i, "must be a postal code"),
    city: z.string().trim().min(1).max(CITY_MAX),
    country: z
      .string()
      .refine(isCountryCode, "must be a two-letter country code such as NO or SE")
      .optional(),
  })
  .strict();

/** The postal code fits the country, where one is given (see `postalCodeFits`). */
export const POSTAL_CODE_FITS_COUNTRY: [
  (a: { postalCode: string; country?: string | undefined }) => boolean,
  { path: string[]; message: string },
] = [
  (a) => a.country === undefined || postalCodeFits(a.postalCode, a.country),
  { path: ["postalCode"], message: "must be a postal code of the country (NO: 4 digits, SE: 5)" },
];

export const PostalAddressSchema = PostalAddressFields.refine(...POSTAL_CODE_FITS_COUNTRY);
