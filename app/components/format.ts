import { useTranslation } from "react-i18next";
import { formatAmountInput, formatMoney, type Currency } from "~/domain/money";
import { formattingLocale, isLang } from "~/i18n/config";

// Every component that formats calls useFormat on every render; building Intl formatters is
// the expensive part, so they are made once per locale.
const formats = new Map<
  string,
  { date: Intl.DateTimeFormat; percent: Intl.NumberFormat; region: Intl.DisplayNames }
>();
const dateTimes = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(
  locale: string,
  timeZone: string,
  style: "long" | "medium" | "day" = "long",
) {
  const key = `${locale} ${timeZone} ${style}`;
  let f = dateTimes.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      locale,
      style === "day"
        ? { dateStyle: "medium", timeZone }
        : { dateStyle: style, timeStyle: "short", timeZone },
    );
    dateTimes.set(key, f);
  }
  return f;
}

function formatsFor(locale: string) {
  let f = formats.get(locale);
  if (!f) {
    f = {
      date: new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }),
      percent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }),
      region: new Intl.DisplayNames([locale], { type: "region" }),
    };
    formats.set(locale, f);
  }
  return f;
}

/** Money and dates as the reader's language writes them; never symbols from translation files. */
/** An IBAN in groups of four, as banks print it. */
export const ibanGroups = (iban: string) =>
  iban
    .replace(/\s+/g, "")
    .replace(/(.{4})/g, "$1 ")
    .trim();

export function useFormat() {
  const { i18n } = useTranslation();
  const locale = isLang(i18n.language) ? formattingLocale(i18n.language) : "en-GB";
  const { date: dateFormat, percent, region } = formatsFor(locale);
  return {
    locale,
    money: (amount: number, currency: string) =>
      formatMoney({ amount, currency: currency as Currency }, locale),
    /** An amount as a form field holds it: this language's decimal mark, no currency, no groups. */
    amountInput: (amount: number) => formatAmountInput(amount, locale),
    date: (iso: string) => dateFormat.format(new Date(`${iso}T00:00:00Z`)),
    /** A moment (an ISO timestamp) as its day and time on the clock of `timeZone`. */
    dateTime: (instant: string, timeZone: string) =>
      dateTimeFormat(locale, timeZone).format(new Date(instant)),
    /** A moment as a short day and time on the clock of `timeZone`, for tables. */
    shortDateTime: (instant: string, timeZone: string) =>
      dateTimeFormat(locale, timeZone, "medium").format(new Date(instant)),
    /** The day a moment fell on, on the clock of `timeZone`. */
    dayOf: (instant: string, timeZone: string) =>
      dateTimeFormat(locale, timeZone, "day").format(new Date(instant)),
    percent: (basisPoints: number) => percent.format(basisPoints / 10_000),
    /** A country (ISO 3166 alpha-2) by its name: "Norway", "Norge". */
    country: (code: string) => {
      try {
        return region.of(code) ?? code;
      } catch {
        return code;
      }
    },
    localName: (names: Record<string, string>, fallback: string) =>
      names[i18n.language] ?? fallback,
  };
}
