import enCommon from "~/locales/en/common.json";
import enStaff from "~/locales/en/staff.json";
import enLegal from "~/locales/en/legal.json";
import enMail from "~/locales/en/mail.json";
import enSite from "~/locales/en/site.json";
import nbCommon from "~/locales/nb/common.json";
import nbStaff from "~/locales/nb/staff.json";
import nbLegal from "~/locales/nb/legal.json";
import nbMail from "~/locales/nb/mail.json";
import nbSite from "~/locales/nb/site.json";
import svCommon from "~/locales/sv/common.json";
import svStaff from "~/locales/sv/staff.json";
import svLegal from "~/locales/sv/legal.json";
import svMail from "~/locales/sv/mail.json";
import svSite from "~/locales/sv/site.json";

/**
 * Every text in every language, for the server: pages, mail and tests. The back office's texts
 * live in their own files, so the browser loads them only on back-office pages
 * (`entry.client.tsx`); here they are part of `common`, as the pages use them. `site` holds the
 * accessibility statement, privacy notice and contact page, which ship no JavaScript: a new
 * language is one more file per namespace here and in `config.ts`.
 */
export const resources = {
  sv: { common: { ...svCommon, ...svStaff }, legal: svLegal, mail: svMail, site: svSite },
  nb: { common: { ...nbCommon, ...nbStaff }, legal: nbLegal, mail: nbMail, site: nbSite },
  en: { common: { ...enCommon, ...enStaff }, legal: enLegal, mail: enMail, site: enSite },
};
