import enCommon from "~/locales/en/common.json";
import enLegal from "~/locales/en/legal.json";
import enMail from "~/locales/en/mail.json";
import nbCommon from "~/locales/nb/common.json";
import nbLegal from "~/locales/nb/legal.json";
import nbMail from "~/locales/nb/mail.json";
import svCommon from "~/locales/sv/common.json";
import svLegal from "~/locales/sv/legal.json";
import svMail from "~/locales/sv/mail.json";

export const supportedLngs = ["sv", "nb", "en"] as const;
export type Lang = (typeof supportedLngs)[number];
export const fallbackLng: Lang = "en";
export const defaultNS = "common";

export const resources = {
  sv: { common: svCommon, legal: svLegal, mail: svMail },
  nb: { common: nbCommon, legal: nbLegal, mail: nbMail },
  en: { common: enCommon, legal: enLegal, mail: enMail },
};

/** The locale Intl formats money and dates with: a language alone leaves the region to chance. */
export const intlLocale: Record<Lang, string> = { sv: "sv-SE", nb: "nb-NO", en: "en-GB" };

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (supportedLngs as readonly string[]).includes(value);
}

export const i18nOptions = {
  supportedLngs: [...supportedLngs],
  fallbackLng,
  defaultNS,
  ns: ["common", "legal", "mail"],
  resources,
  interpolation: { escapeValue: false },
};
