import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * The staff area's own session bar, below the site header: the site header shows the resident
 * session (cookie kp_session), this one the staff session (kp_staff), and neither signs out the other.
 * A labelled region rather than a second <header>, so the page keeps one banner landmark.
 */
export function StaffHeader(props: { staffName: string | null }) {
  const { t } = useTranslation();
  return (
    <section aria-label={t("staff.header.label")} className="site-header">
      <div className="site-header__inner">
        <a className="site-title" href="/staff">
          {t("staff.header.label")}
        </a>
        {props.staffName ? (
          // A plain GET form: search works without JavaScript, from every staff page.
          <Form method="get" action="/staff/search" role="search" className="staff-search">
            <label htmlFor="staff-search-q" className="visually-hidden">
              {t("backoffice.search.label")}
            </label>
            <input
              id="staff-search-q"
              name="q"
              type="search"
              placeholder={t("backoffice.search.label")}
              autoComplete="off"
            />{" "}
            <button type="submit" className="button button--secondary">
              {t("backoffice.search.button")}
            </button>
          </Form>
        ) : null}
        {props.staffName ? (
          <nav aria-label={t("staff.header.navLabel")} className="staff-nav">
            <a href="/staff/figures">{t("staff.header.figures")}</a>
            <a href="/staff/case-flows">{t("backoffice.caseFlows.title")}</a>
          </nav>
        ) : null}
        {props.staffName ? (
          <div className="session-box">
            <span className="session-name">
              {t("staff.header.signedInAs", { name: props.staffName })}
            </span>
            <Form method="post" action="/staff/logout" reloadDocument>
              <button type="submit" className="button button--secondary">
                {t("staff.header.logout")}
              </button>
            </Form>
          </div>
        ) : null}
      </div>
    </section>
  );
}
