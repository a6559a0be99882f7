import { useTranslation } from "react-i18next";
import { formatMoney, type Currency } from "~/domain/money";
import { intlLocale, isLang } from "~/i18n/config";

/** Money and dates as the reader's language writes them; never symbols from translation files. */
export function useFormat() {
  const { i18n } = useTranslation();
  const locale = isLang(i18n.language) ? intlLocale[i18n.language] : "en-GB";
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  return {
    locale,
    money: (amount: number, currency: string) =>
      formatMoney({ amount, currency: currency as Currency }, locale),
    date: (iso: string) => dateFormat.format(new Date(`${iso}T00:00:00Z`)),
    percent: (basisPoints: number) =>
      new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(
        basisPoints / 10_000,
      ),
    localName: (names: Record<string, string>, fallback: string) =>
      names[i18n.language] ?? fallback,
  };
}
