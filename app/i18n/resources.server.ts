import enCommon from "~/locales/en/common.json";
import enStaff from "~/locales/en/staff.json";
import enLegal from "~/locales/en/legal.json";
import enLetter from "~/locales/en/letter.json";
import enMail from "~/locales/en/mail.json";
import enSite from "~/locales/en/site.json";
import nbCommon from "~/locales/nb/common.json";
import nbStaff from "~/locales/nb/staff.json";
import nbLegal from "~/locales/nb/legal.json";
import nbLetter from "~/locales/nb/letter.json";
import nbMail from "~/locales/nb/mail.json";
import nbSite from "~/locales/nb/site.json";
import nnCommon from "~/locales/nn/common.json";
import nnStaff from "~/locales/nn/staff.json";
import nnLegal from "~/locales/nn/legal.json";
import nnLetter from "~/locales/nn/letter.json";
import nnMail from "~/locales/nn/mail.json";
import nnSite from "~/locales/nn/site.json";
import svCommon from "~/locales/sv/common.json";
import svStaff from "~/locales/sv/staff.json";
import svLegal from "~/locales/sv/legal.json";
import svLetter from "~/locales/sv/letter.json";
import svMail from "~/locales/sv/mail.json";
import svSite from "~/locales/sv/site.json";

/**
 * Every text in every language, for the server: pages, mail and tests. The back office's texts
 * live in their own files, so the browser loads them only on back-office pages
 * (`entry.client.tsx`); here they are part of `common`, as the pages use them. `site` holds the
 * accessibility statement, privacy notice and contact page, which ship no JavaScript.
 *
 * `letter` is the printed letter's own text; it takes the charge, cause and legal-basis texts it
 * shares with the pages from `common` and `legal` in the same language.
 */
export const resources = {
  sv: {
    common: { ...svCommon, ...svStaff },
    legal: svLegal,
    mail: svMail,
    letter: svLetter,
    site: svSite,
  },
  nb: {
    common: { ...nbCommon, ...nbStaff },
    legal: nbLegal,
    mail: nbMail,
    letter: nbLetter,
    site: nbSite,
  },
  nn: {
    common: { ...nnCommon, ...nnStaff },
    legal: nnLegal,
    mail: nnMail,
    letter: nnLetter,
    site: nnSite,
  },
  en: {
    common: { ...enCommon, ...enStaff },
    legal: enLegal,
    mail: enMail,
    letter: enLetter,
    site: enSite,
  },
};
