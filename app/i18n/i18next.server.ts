import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLng, i18nOptions, isLang, supportedLngs, type Lang } from "./config";
import { resources } from "./resources.server";

// The chosen language is not a secret and must survive logout, so it lives in its own cookie.
export const languageCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLngs],
    fallbackLanguage: fallbackLng,
    cookie: languageCookie,
    order: ["cookie", "header"],
  },
  i18next: { ...i18nOptions, resources },
});

/** The page's language: the resident's choice (the cookie), else the browser's, else the fallback. */
export async function pageLang(request: Request): Promise<Lang> {
  const lng = await i18next.getLocale(request);
  return isLang(lng) ? lng : fallbackLng;
}

/**
 * The language an amount in the address was typed in: forms with an amount say it (`typedIn`), so
 * an amount typed on an English page and sent again after switching to Norwegian is read as it
 * was typed. Without it, the page's.
 */
export function typedInLang(params: URLSearchParams, page: Lang): Lang {
  const typedIn = params.get("typedIn");
  return isLang(typedIn) ? typedIn : page;
}
