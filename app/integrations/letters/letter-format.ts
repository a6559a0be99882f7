/**
 * How a letter writes amounts, dates and addresses: Intl in the letter's own locale, and postal
 * conventions for the address block. Pure: no IO.
 */
import { formatMoney, type Currency } from "~/domain/money";
import type { LetterContent, LetterLanguage, PostalAddress } from "./letter-content";

export const LETTER_LOCALE: Record<LetterLanguage, string> = {
  sv: "sv-SE",
  nb: "nb-NO",
  nn: "nn-NO",
  en: "en-GB",
};

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, style: "medium" | "long" | "full"): Intl.DateTimeFormat {
  const key = `${locale}|${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: "UTC" });
    dateFormats.set(key, format);
  }
  return format;
}

export function formatters(content: LetterContent) {
  const locale = LETTER_LOCALE[content.language];
  const currency = (content.claim?.currency ??
    content.payment?.currency ??
    content.plan?.currency ??
    (content.country === "SE" ? "SEK" : "NOK")) as Currency;
  const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
  return {
    money: (amount: number) => formatMoney({ amount, currency }, locale),
    date: (iso: string) => dateFormat(locale, "long").format(at(iso)),
    /** In a table column: "30 sep. 2026". */
    short: (iso: string) => dateFormat(locale, "medium").format(at(iso)),
    /** A deadline in words, weekday included: "fredag 4 december 2026". */
    day: (iso: string) => dateFormat(locale, "full").format(at(iso)),
    rate: (basisPoints: number) =>
      new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(
        basisPoints / 10_000,
      ),
  };
}

function countryName(code: string, senderCountry: string): string {
  // A letter abroad names the country in the language of the country it is posted in (UPU S42).
  const lang = senderCountry === "NO" ? "nb" : "sv";
  return (new Intl.DisplayNames([lang], { type: "region" }).of(code) ?? code).toUpperCase();
}

export function addressLines(address: PostalAddress, senderCountry: string): string[] {
  return [
    address.name,
    ...address.lines,
    `${address.postalCode} ${address.city}`.trim(),
    ...(address.country !== senderCountry ? [countryName(address.country, senderCountry)] : []),
  ].filter((line) => line.trim() !== "");
}
