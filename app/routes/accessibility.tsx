import { useTranslation } from "react-i18next";
import { Paragraphs } from "~/components/paragraphs";
import { useFormat } from "~/components/format";

// The accessibility statement the EU Web Accessibility Directive asks of public-sector sites
// (DIGG's model in Sweden, uustatus in Norway): status, known gaps, how to report, supervision.
// Plain HTML, no JavaScript. Review it with the creditors before going live (docs/operations.md).
export const handle = { i18n: ["site"], hydrate: false };

/** The day the statement was last reviewed; change it with the texts. */
const REVIEWED_ON = "2026-12-07";

export default function AccessibilityStatement() {
  const { t } = useTranslation("site");
  const format = useFormat();
  return (
    <div className="page page--narrow">
      <h1>{t("accessibility.title")}</h1>
      <Paragraphs k="accessibility.intro" />
      <h2>{t("accessibility.statusHeading")}</h2>
      <Paragraphs k="accessibility.status" />
      <h2>{t("accessibility.gapsHeading")}</h2>
      <Paragraphs k="accessibility.gaps" list />
      <h2>{t("accessibility.reportHeading")}</h2>
      <Paragraphs k="accessibility.report" />
      <p>
        <a href="/contact">{t("contact.title")}</a>
      </p>
      <h2>{t("accessibility.enforcementHeading")}</h2>
      <Paragraphs k="accessibility.enforcement" />
      <h2>{t("accessibility.madeHeading")}</h2>
      <p>{t("accessibility.made", { date: format.date(REVIEWED_ON) })}</p>
    </div>
  );
}
