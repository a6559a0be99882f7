import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { fallbackLng, i18nOptions, isLang, type Lang } from "~/i18n/config";

// Only the page's own language, and only what its pages show (not mail; the back office's texts
// only in the back office): each file is a chunk of its own, so a resident's phone never
// downloads the other languages' or the staff pages' texts.
type Texts = Promise<{ default: object }>;
const texts: Record<Lang, { common(): Texts; legal(): Texts; staff(): Texts }> = {
  sv: {
    common: () => import("~/locales/sv/common.json"),
    legal: () => import("~/locales/sv/legal.json"),
    staff: () => import("~/locales/sv/staff.json"),
  },
  nb: {
    common: () => import("~/locales/nb/common.json"),
    legal: () => import("~/locales/nb/legal.json"),
    staff: () => import("~/locales/nb/staff.json"),
  },
  nn: {
    common: () => import("~/locales/nn/common.json"),
    legal: () => import("~/locales/nn/legal.json"),
    staff: () => import("~/locales/nn/staff.json"),
  },
  en: {
    common: () => import("~/locales/en/common.json"),
    legal: () => import("~/locales/en/legal.json"),
    staff: () => import("~/locales/en/staff.json"),
  },
};

/** Pages that use the back office's texts: /staff and the development-only mail catcher. */
const usesStaffTexts = (path: string) => /^\/(staff|dev)(\/|$)/.test(path);

async function hydrate() {
  // The server already chose the language and wrote it on <html lang>; changing it reloads the
  // whole page (the language form posts with reloadDocument), so one language is all it needs.
  const lang = document.documentElement.lang;
  const lng = isLang(lang) ? lang : fallbackLng;
  const load = texts[lng];
  const [common, legal, staff] = await Promise.all([
    load.common(),
    load.legal(),
    usesStaffTexts(window.location.pathname) ? load.staff() : Promise.resolve({ default: {} }),
  ]);
  await i18next.use(initReactI18next).init({
    ...i18nOptions,
    ns: ["common", "legal"],
    lng,
    fallbackLng: lng,
    resources: { [lng]: { common: { ...common.default, ...staff.default }, legal: legal.default } },
  });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
