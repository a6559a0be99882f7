import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Paragraphs } from "~/components/paragraphs";
import { retentionPeriods } from "~/services/portal/site-info.server";

// The privacy notice GDPR articles 13 and 14 ask for: what is stored, why, how long (each
// creditor's retention period, as the retention job applies it), who else sees it, the rights.
export const handle = { i18n: ["site"], hydrate: false };

export async function loader() {
  return { periods: await retentionPeriods(new Date().toISOString().slice(0, 10)) };
}

export default function PrivacyNotice() {
  const { periods } = useLoaderData<typeof loader>();
  const { t } = useTranslation("site");
  return (
    <div className="page page--narrow">
      <h1>{t("privacy.title")}</h1>
      <p>{t("privacy.intro")}</p>
      <h2>{t("privacy.controllerHeading")}</h2>
      <Paragraphs k="privacy.controller" />
      <p>
        <a href="/contact">{t("contact.title")}</a>
      </p>
      <h2>{t("privacy.storedHeading")}</h2>
      <Paragraphs k="privacy.stored" list />
      <h2>{t("privacy.whyHeading")}</h2>
      <Paragraphs k="privacy.why" />
      <h2>{t("privacy.howLongHeading")}</h2>
      <Paragraphs k="privacy.howLong" />
      {periods.length > 0 ? (
        <>
          <h3>{t("privacy.periodsHeading")}</h3>
          <ul>
            {periods.map((p) => (
              <li key={p.name}>{t("privacy.period", { creditor: p.name, count: p.years })}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{t("privacy.sharedHeading")}</h2>
      <Paragraphs k="privacy.shared" list />
      <h2>{t("privacy.rightsHeading")}</h2>
      <Paragraphs k="privacy.rights" />
    </div>
  );
}
