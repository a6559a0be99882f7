import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { supportedLngs } from "~/i18n/config";

// Each language is named in itself, so a resident finds theirs whatever the page is in now.
const LANGUAGE_NAMES: Record<string, string> = {
  sv: "Svenska",
  nb: "Norsk (bokmål)",
  nn: "Norsk (nynorsk)",
  en: "English",
};

export function SiteHeader(props: {
  residentName: string | null;
  locale: string;
  returnTo: string;
}) {
  const { t } = useTranslation();
  const here = props.returnTo.split("?")[0];
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <a className="site-title" href={props.residentName ? "/claims" : "/"}>
          Kravportal
        </a>
        <nav aria-label={t("layout.languageNav")} className="language-switcher">
          <Form method="post" action="/language" reloadDocument>
            <input type="hidden" name="returnTo" value={props.returnTo} />
            <ul>
              {supportedLngs.map((lng) => (
                <li key={lng}>
                  <button
                    type="submit"
                    name="lang"
                    value={lng}
                    lang={lng}
                    aria-current={lng === props.locale ? "true" : undefined}
                    className="link-button"
                  >
                    {LANGUAGE_NAMES[lng]}
                  </button>
                </li>
              ))}
            </ul>
          </Form>
        </nav>
        {props.residentName ? (
          <div className="session-box">
            <nav aria-label={t("layout.residentNav")} className="resident-nav">
              <ul>
                <li>
                  <a href="/claims" aria-current={here === "/claims" ? "page" : undefined}>
                    {t("layout.myBills")}
                  </a>
                </li>
                <li>
                  <a href="/letters" aria-current={here === "/letters" ? "page" : undefined}>
                    {t("layout.contactLetters")}
                  </a>
                </li>
              </ul>
            </nav>
            <span className="session-name">
              {t("layout.loggedInAs", { name: props.residentName })}
            </span>
            <Form method="post" action="/logout" reloadDocument>
              <button type="submit" className="button button--secondary">
                {t("layout.logout")}
              </button>
            </Form>
          </div>
        ) : null}
      </div>
    </header>
  );
}
