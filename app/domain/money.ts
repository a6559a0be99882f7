export type Currency = "SEK" | "NOK" | "EUR";

export const CURRENCIES: readonly Currency[] = ["SEK", "NOK", "EUR"];

/** Amount in minor units (öre/øre/cent) so that every sum is exact. */
export type Money = { amount: number; currency: Currency };

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoneyError";
  }
}

function assertMinorUnits(amount: number): void {
  if (!Number.isSafeInteger(amount)) {
    throw new MoneyError(`amount must be a safe integer of minor units, got ${amount}`);
  }
}

function assertCurrency(currency: string): asserts currency is Currency {
  if (!(CURRENCIES as readonly string[]).includes(currency)) {
    throw new MoneyError(`unsupported currency ${currency}`);
  }
}

export function money(amount: number, currency: Currency): Money {
  assertMinorUnits(amount);
  assertCurrency(currency);
  return { amount, currency };
}

export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError(`currency mismatch: ${a.currency} vs ${b.currency}`);
  }
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

/** The currency is explicit so that an empty list still has a well-defined result. */
export function sumMoney(list: readonly Money[], currency: Currency): Money {
  let total = money(0, currency);
  for (const item of list) total = addMoney(total, item);
  return total;
}

export function isZero(m: Money): boolean {
  return m.amount === 0;
}

// Building a formatter costs far more than using one (a claim page formats dozens of amounts):
// one per locale and currency, made once.
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(m: Money, locale: string): string {
  assertMinorUnits(m.amount);
  const key = `${locale}|${m.currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency: m.currency });
    moneyFormats.set(key, format);
  }
  return format.format(m.amount / 100);
}

// Regular, no-break and narrow no-break spaces: all three appear as digit-group separators
// when people copy amounts from Swedish/Norwegian bank apps.
const GROUP_SPACES = /[\s\u00a0\u202f]/g;
const GROUP_SPACE = /^[\s\u00a0\u202f]$/;

/** How `locale` writes a number: its digit-group mark and its decimal mark. */
const numberMarks = new Map<string, { group: string; decimal: string }>();

function marksOf(locale: string) {
  let marks = numberMarks.get(locale);
  if (!marks) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
    marks = {
      group: parts.find((p) => p.type === "group")?.value ?? "",
      decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    };
    numberMarks.set(locale, marks);
  }
  return marks;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function toMinor(major: string, fraction: string | undefined): number | null {
  const value = Number(major) * 100 + Number((fraction ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * Parses a non-negative amount typed by a person into minor units. Accepts "," or "." as the
 * decimal mark and spaces as group separators. Anything ambiguous ("1.234,50", "1,234.50",
 * three decimals, a sign) is rejected with null rather than guessed, because a misread amount
 * on a payment form is worse than asking again.
 *
 * Given the `locale` of the page the amount was typed on, the page's own way of writing numbers
 * is accepted as well: digit groups of three with its group mark and its decimal mark, so that an
 * amount copied from an English page ("2,830.16") is read as that page means it. The other way
 * round stays refused there ("1.234,50" on an English page).
 */
export function parseMajorAmount(input: string, locale?: string): number | null {
  const compact = input.trim().replace(GROUP_SPACES, "");
  if (locale) {
    const { group, decimal } = marksOf(locale);
    if (group !== "" && !GROUP_SPACE.test(group)) {
      const own = new RegExp(
        `^(\\d{1,3}(?:${escapeRegExp(group)}\\d{3})+)(?:${escapeRegExp(decimal)}(\\d{1,2}))?$`,
      ).exec(compact);
      if (own) return toMinor(own[1]!.split(group).join(""), own[2]);
    }
  }
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return null;
  return toMinor(match[1] ?? "", match[2]);
}

/**
 * An amount as a form field shows it for editing and as its hint's example does: the decimal
 * mark of `locale`, two decimals and no digit groups ("2830.16", "2830,16"). parseMajorAmount
 * reads it back, given the same locale or none.
 */
export function formatAmountInput(amount: number, locale: string): string {
  assertMinorUnits(amount);
  const { decimal } = marksOf(locale);
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(amount);
  return `${sign}${Math.floor(abs / 100)}${decimal}${String(abs % 100).padStart(2, "0")}`;
}
