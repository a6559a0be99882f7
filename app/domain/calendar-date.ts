/**
 * Calendar dates as "YYYY-MM-DD" strings. Deadlines and interest are counted in whole days in
 * the creditor's country, so a timestamp with a time zone would only add ways to be off by one.
 * All arithmetic goes through UTC midnight, where no day has 23 or 25 hours.
 */
export type IsoDate = string;

export type Country = "SE" | "NO";

const MS_PER_DAY = 86_400_000;
const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// A sweep parses and formats the same few hundred dates millions of times (every statement and
// decision does date arithmetic): both directions are memoised. Bounded, in case a long-lived
// process meets very many distinct dates; clearing only costs recomputation.
const MEMO_LIMIT = 50_000;
const msByDate = new Map<string, number>();
const dateByMs = new Map<number, IsoDate>();

function toUtcMs(d: IsoDate): number {
  let ms = msByDate.get(d);
  if (ms === undefined) {
    const match = ISO_PATTERN.exec(d);
    if (!match) throw new RangeError(`not an ISO date: ${d}`);
    ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (msByDate.size >= MEMO_LIMIT) msByDate.clear();
    msByDate.set(d, ms);
  }
  return ms;
}

function fromUtcMs(ms: number): IsoDate {
  let iso = dateByMs.get(ms);
  if (iso === undefined) {
    const date = new Date(ms);
    const y = String(date.getUTCFullYear()).padStart(4, "0");
    const m = String(date.getUTCMonth() + 1).padStart(2, "0");
    const day = String(date.getUTCDate()).padStart(2, "0");
    iso = `${y}-${m}-${day}`;
    if (dateByMs.size >= MEMO_LIMIT) dateByMs.clear();
    dateByMs.set(ms, iso);
  }
  return iso;
}

export function parseIsoDate(s: string): IsoDate | null {
  const match = ISO_PATTERN.exec(s);
  if (!match) return null;
  const year = Number(match[1]);
  // Date.UTC maps years 0–99 to 1900–1999; those years never occur in this domain anyway.
  if (year < 1000) return null;
  // Round-tripping rejects 2025-02-30, which Date.UTC would silently roll into March.
  return fromUtcMs(toUtcMs(s)) === s ? s : null;
}

/**
 * Dates that may come in from outside (the API, forms, the command line) lie in these years. A
 * claim dated 9999-12-31 is a typo or a probe, and its deadline arithmetic would leave the
 * four-digit years this module works in.
 */
export const FIRST_INPUT_YEAR = 1900;
export const LAST_INPUT_YEAR = 2199;

/** A real calendar date as YYYY-MM-DD, in the years FIRST_INPUT_YEAR to LAST_INPUT_YEAR. */
export function isIsoDate(s: string): s is IsoDate {
  if (parseIsoDate(s) === null) return false;
  const year = Number(s.slice(0, 4));
  return year >= FIRST_INPUT_YEAR && year <= LAST_INPUT_YEAR;
}

export function makeDate(year: number, month: number, day: number): IsoDate {
  return fromUtcMs(Date.UTC(year, month - 1, day));
}

export function addDays(d: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer, got ${n}`);
  return fromUtcMs(toUtcMs(d) + n * MS_PER_DAY);
}

/** b − a in days: positive when b is later. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtcMs(b) - toUtcMs(a)) / MS_PER_DAY);
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  // Fixed-width ISO strings sort chronologically.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export function dayOfWeek(d: IsoDate): number {
  return new Date(toUtcMs(d)).getUTCDay();
}

/** "Today" where the creditor is; the instant is passed in so callers control the clock. */
// Building a formatter costs far more than using one: one per time zone, made once.
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The hour of the day (0–23) on the clock of a time zone. */
export function hourIn(timeZone: string, now: Date): number {
  const hour = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", hourCycle: "h23" })
    .formatToParts(now)
    .find((p) => p.type === "hour")?.value;
  return Number(hour ?? 0);
}

export function todayIn(timeZone: string, now: Date): IsoDate {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      calendar: "gregory",
      numberingSystem: "latn",
    });
    dayFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year").padStart(4, "0")}-${get("month")}-${get("day")}`;
}

/** Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return makeDate(year, month, day);
}

function swedishMidsummerEve(year: number): IsoDate {
  for (let day = 19; day <= 25; day++) {
    const d = makeDate(year, 6, day);
    if (dayOfWeek(d) === 5) return d;
  }
  throw new Error("unreachable: every 7-day window has a Friday");
}

/**
 * Days on which banks do not settle payments (not only the statutory public holidays):
 * midsummer, Christmas and New Year's Eve are included because a deadline on them cannot be
 * met by a bank transfer.
 */
export function publicHolidays(country: Country, year: number): IsoDate[] {
  const easter = easterSunday(year);
  const fixed = (month: number, day: number): IsoDate => makeDate(year, month, day);
  const days =
    country === "SE"
      ? [
          fixed(1, 1),
          fixed(1, 6),
          addDays(easter, -2),
          addDays(easter, 1),
          fixed(5, 1),
          addDays(easter, 39),
          fixed(6, 6),
          swedishMidsummerEve(year),
          fixed(12, 24),
          fixed(12, 25),
          fixed(12, 26),
          fixed(12, 31),
        ]
      : [
          fixed(1, 1),
          addDays(easter, -3),
          addDays(easter, -2),
          addDays(easter, 1),
          fixed(5, 1),
          fixed(5, 17),
          addDays(easter, 39),
          addDays(easter, 50),
          fixed(12, 24),
          fixed(12, 25),
          fixed(12, 26),
          fixed(12, 31),
        ];
  return [...new Set(days)].sort(compareDates);
}

// Memoised per country-year: bank-day loops ask for the same year thousands of times.
const holidayCache = new Map<string, ReadonlySet<IsoDate>>();

function holidaySet(country: Country, year: number): ReadonlySet<IsoDate> {
  const key = `${country}:${year}`;
  let set = holidayCache.get(key);
  if (!set) {
    set = new Set(publicHolidays(country, year));
    holidayCache.set(key, set);
  }
  return set;
}

export function isBankDay(d: IsoDate, country: Country): boolean {
  const weekday = dayOfWeek(d);
  if (weekday === 0 || weekday === 6) return false;
  return !holidaySet(country, Number(d.slice(0, 4))).has(d);
}

/** d itself when it is a bank day, otherwise the first bank day after it. */
export function nextBankDay(d: IsoDate, country: Country): IsoDate {
  let current = d;
  while (!isBankDay(current, country)) current = addDays(current, 1);
  return current;
}

/**
 * Steps n bank days forward (or back when negative), counting only bank days passed over;
 * n = 0 returns d unchanged even if d is not a bank day.
 */
export function addBankDays(d: IsoDate, n: number, country: Country): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`bank days must be an integer, got ${n}`);
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  let current = d;
  while (remaining > 0) {
    current = addDays(current, step);
    if (isBankDay(current, country)) remaining--;
  }
  return current;
}

/**
 * A legal deadline of `days` days from sending: counted in calendar days, and when the last
 * day is a weekend or holiday the resident gets until the next bank day.
 */
export function deadlineFrom(sentOn: IsoDate, days: number, country: Country): IsoDate {
  return nextBankDay(addDays(sentOn, days), country);
}
