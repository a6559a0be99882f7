/**
 * Swedish personnummer/samordningsnummer and Norwegian fødselsnummer/D-/H-numbers.
 * These identify residents and are sensitive: parse once at the edge, store the canonical form,
 * and show only the masked form.
 */
import { compareDates, parseIsoDate, type IsoDate } from "./calendar-date";
import { luhnCheckDigit } from "./payment-reference";

export type NationalIdCountry = "SE" | "NO";

export type NationalIdKind = "person" | "coordination" | "d-number" | "h-number" | "synthetic";

export type NationalId = {
  country: NationalIdCountry;
  /** SE: 12 digits YYYYMMDDNNNC; NO: the 11 digits. Coded day/month offsets are kept. */
  canonical: string;
  /** The real birth date, offsets for coordination/D/H/synthetic numbers removed. */
  birthDate: IsoDate;
  kind: NationalIdKind;
  isTestNumber: boolean;
};

export type NationalIdError = "format" | "date" | "checksum";

export type NationalIdResult =
  { ok: true; value: NationalId } | { ok: false; error: NationalIdError };

const fail = (error: NationalIdError): NationalIdResult => ({ ok: false, error });

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

// Earliest plausible birth year; rejects century typos such as 17xx in a 12-digit number.
const MIN_BIRTH_YEAR = 1800;

/** Skatteverket reserves birth numbers 980–999 for test personnummer. */
function isSwedishTestSerial(serial: number): boolean {
  return serial >= 980;
}

/**
 * Sweden. A 10-digit number does not carry the century; "-" means under 100 years old on
 * `today` and "+" means 100 or older. Without `today` a 10-digit number cannot be placed and
 * is rejected as "format" rather than guessed.
 */
function parseSwedish(input: string, today: IsoDate | undefined): NationalIdResult {
  const long = /^(\d{2})(\d{2})(\d{2})(\d{2})-?(\d{3})(\d)$/.exec(input);
  const short = long ? null : /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$/.exec(input);
  const m = long ?? short;
  if (!m) return fail("format");
  const yy = m[long ? 2 : 1] ?? "";
  const mm = m[long ? 3 : 2] ?? "";
  const dd = m[long ? 4 : 3] ?? "";
  const serial = m[5] ?? "";
  const check = m[6] ?? "";
  if (luhnCheckDigit(yy + mm + dd + serial) !== Number(check)) return fail("checksum");

  const coded = Number(dd);
  const kind: NationalIdKind = coded > 60 ? "coordination" : "person";
  const day = kind === "coordination" ? coded - 60 : coded;

  let year: number;
  if (long) {
    year = Number((m[1] ?? "") + yy);
  } else {
    if (today === undefined) return fail("format");
    const todayYear = Number(today.slice(0, 4));
    year = Math.floor(todayYear / 100) * 100 + Number(yy);
    const monthDay = `${mm}-${pad(day, 2)}`;
    if (year > todayYear || (year === todayYear && monthDay > today.slice(5))) year -= 100;
    if (m[4] === "+") year -= 100;
  }
  const birthDate = parseIsoDate(`${pad(year, 4)}-${mm}-${pad(day, 2)}`);
  if (!birthDate || year < MIN_BIRTH_YEAR) return fail("date");
  if (today !== undefined && compareDates(birthDate, today) > 0) return fail("date");

  return {
    ok: true,
    value: {
      country: "SE",
      canonical: `${pad(year, 4)}${mm}${dd}${serial}${check}`,
      birthDate,
      kind,
      isTestNumber: isSwedishTestSerial(Number(serial)),
    },
  };
}

const NO_K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const NO_K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function mod11With(digits: string, weights: readonly number[]): number | null {
  let sum = 0;
  weights.forEach((w, i) => (sum += w * Number(digits[i])));
  const k = 11 - (sum % 11);
  return k === 11 ? 0 : k === 10 ? null : k;
}

/** Both control digits for the first nine digits, or null when either would be 10. */
function norwegianControlDigits(first9: string): string | null {
  const k1 = mod11With(first9, NO_K1_WEIGHTS);
  if (k1 === null) return null;
  const k2 = mod11With(first9 + String(k1), NO_K2_WEIGHTS);
  return k2 === null ? null : `${k1}${k2}`;
}

/** Century from the individual number (Skatteetaten's table); null for unused combinations. */
function norwegianCentury(individual: number, yy: number): number | null {
  if (individual <= 499) return 1900;
  if (individual <= 749 && yy >= 54) return 1800;
  if (yy <= 39) return 2000;
  if (individual >= 900) return 1900;
  return null;
}

function parseNorwegian(input: string, today: IsoDate | undefined): NationalIdResult {
  if (!/^\d{11}$/.test(input)) return fail("format");
  if (norwegianControlDigits(input.slice(0, 9)) !== input.slice(9)) return fail("checksum");

  let day = Number(input.slice(0, 2));
  let month = Number(input.slice(2, 4));
  const yy = Number(input.slice(4, 6));
  const individual = Number(input.slice(6, 9));

  const dNumber = day > 40;
  if (dNumber) day -= 40;
  let kind: NationalIdKind = dNumber ? "d-number" : "person";
  // Tenor (Skatteetaten's test population) adds 80 to the month, also on D-numbers.
  if (month > 80) {
    month -= 80;
    kind = "synthetic";
  } else if (month > 40) {
    // An H-number is never also a D-number.
    if (dNumber) return fail("date");
    month -= 40;
    kind = "h-number";
  }

  const century = norwegianCentury(individual, yy);
  if (century === null) return fail("date");
  const birthDate = parseIsoDate(`${century + yy}-${pad(month, 2)}-${pad(day, 2)}`);
  if (!birthDate) return fail("date");
  if (today !== undefined && compareDates(birthDate, today) > 0) return fail("date");

  return {
    ok: true,
    value: { country: "NO", canonical: input, birthDate, kind, isTestNumber: kind === "synthetic" },
  };
}

/**
 * Parses a national identity number. Whitespace is ignored. `today` is needed for 10-digit
 * Swedish numbers (century) and, when given, also rejects birth dates in the future.
 */
export function parseNationalId(
  input: string,
  country: NationalIdCountry,
  today?: IsoDate,
): NationalIdResult {
  const compact = input.replace(/\s+/g, "");
  return country === "SE" ? parseSwedish(compact, today) : parseNorwegian(compact, today);
}

/** Keeps the (coded) birth date so staff can tell people apart; hides serial and check digits. */
export function maskNationalId(canonical: string): string {
  if (/^\d{12}$/.test(canonical)) return `${canonical.slice(0, 8)}-****`;
  if (/^\d{11}$/.test(canonical)) return `${canonical.slice(0, 6)}*****`;
  // Unknown shapes are hidden entirely: a masking function must never leak.
  return "*".repeat(canonical.length);
}

function splitDate(birthDate: IsoDate): { year: number; month: number; day: number } {
  if (!parseIsoDate(birthDate)) throw new RangeError(`invalid birth date ${birthDate}`);
  return {
    year: Number(birthDate.slice(0, 4)),
    month: Number(birthDate.slice(5, 7)),
    day: Number(birthDate.slice(8, 10)),
  };
}

function assertThreeDigits(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > 999) throw new RangeError(`${what} must be 0–999`);
}

/** A valid 12-digit personnummer (or samordningsnummer) for tests and demo data. */
export function makeSwedishPersonnummer(
  birthDate: IsoDate,
  serial3: number,
  options: { coordination?: boolean } = {},
): string {
  assertThreeDigits(serial3, "serial");
  const { year, month, day } = splitDate(birthDate);
  const codedDay = options.coordination ? day + 60 : day;
  const short = `${pad(year % 100, 2)}${pad(month, 2)}${pad(codedDay, 2)}${pad(serial3, 3)}`;
  return `${pad(Math.floor(year / 100), 2)}${short}${luhnCheckDigit(short)}`;
}

/**
 * A valid fødselsnummer for tests and demo data, or null when this individual number has no
 * valid control digits for that date (try the next one). Throws when the individual number
 * cannot belong to the birth year's century.
 */
export function makeNorwegianFodselsnummer(
  birthDate: IsoDate,
  individual3: number,
  options: { synthetic?: boolean; dNumber?: boolean; hNumber?: boolean } = {},
): string | null {
  assertThreeDigits(individual3, "individual number");
  const { year, month, day } = splitDate(birthDate);
  if (norwegianCentury(individual3, year % 100) !== year - (year % 100)) {
    throw new RangeError(`individual number ${individual3} is not used for births in ${year}`);
  }
  if (options.hNumber && (options.dNumber || options.synthetic)) {
    throw new RangeError("an H-number is never also a D-number or a synthetic number");
  }
  const codedDay = options.dNumber ? day + 40 : day;
  const codedMonth = options.synthetic ? month + 80 : options.hNumber ? month + 40 : month;
  const first9 = `${pad(codedDay, 2)}${pad(codedMonth, 2)}${pad(year % 100, 2)}${pad(individual3, 3)}`;
  const control = norwegianControlDigits(first9);
  return control === null ? null : first9 + control;
}
