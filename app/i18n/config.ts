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
