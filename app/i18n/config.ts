export const supportedLngs = ["sv", "nb", "nn", "en"] as const;
export type Lang = (typeof supportedLngs)[number];
export const fallbackLng: Lang = "en";
export const defaultNS = "common";

/** The locale Intl formats money and dates with: a language alone leaves the region to chance. */
export const intlLocale: Record<Lang, string> = {
  sv: "sv-SE",
  nb: "nb-NO",
  nn: "nn-NO",
  en: "en-GB",
};

// A browser may not carry every locale's formatting data (Chromium has no nn-NO): it then falls
// back to its own default, and a Nynorsk page redrawn by the browser showed "NOK 2,830.16" and
// "October 26, 2026" where the server had written "2 830,16 kr". Nynorsk writes numbers, money
// and these dates as Bokmål does, so that is the fallback; any other language falls back to en-GB.
const formattingLocales = new Map<Lang, string>();

/** The locale to format numbers and dates with in this runtime, for a language. */
export function formattingLocale(lang: Lang): string {
  let locale = formattingLocales.get(lang);
  if (!locale) {
    const wanted = intlLocale[lang];
    const supported =
      Intl.NumberFormat.supportedLocalesOf([wanted]).length > 0 &&
      Intl.DateTimeFormat.supportedLocalesOf([wanted]).length > 0;
    locale = supported ? wanted : lang === "nn" ? intlLocale.nb : "en-GB";
    formattingLocales.set(lang, locale);
  }
  return locale;
}

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (supportedLngs as readonly string[]).includes(value);
}

/**
 * Options shared by server and browser, without the texts: the server adds every language
 * (`resources.server.ts`), the browser loads only the page's own (`entry.client.tsx`).
 */
export const i18nOptions = {
  supportedLngs: [...supportedLngs],
  fallbackLng,
  defaultNS,
  ns: ["common", "legal", "mail", "site"],
  interpolation: { escapeValue: false },
};
