import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import type { CreditorContact as Contact } from "~/services/portal/site-info.server";

/** One creditor's contact details: whatever is known, and a pointer to the bill for the rest. */
export function CreditorContact({ contact }: { contact: Contact }) {
  const { t } = useTranslation("site");
  const fields = [
    ["phone", contact.phone],
    ["email", contact.email],
    ["postalAddress", contact.postalAddress],
    ["web", contact.web],
    ["openingHours", contact.openingHours],
  ] as const;
  const known = fields.filter(([, value]) => value);
  return (
    <section className="card" aria-labelledby={`contact-${contact.slug}`}>
      <h2 id={`contact-${contact.slug}`}>{contact.name}</h2>
      <dl className="facts">
        <dt>{t("contact.country")}</dt>
        <dd>{t(contact.country === "SE" ? "contact.countrySE" : "contact.countryNO")}</dd>
        {known.map(([field, value]) => (
          <Fragment key={field}>
            <dt>{t(`contact.${field}`)}</dt>
            <dd>
              {field === "email" ? (
                <a href={`mailto:${value}`}>{value}</a>
              ) : field === "web" ? (
                <a href={value!}>{value}</a>
              ) : field === "postalAddress" ? (
                value!.split("\n").map((line, i) => (
                  <Fragment key={i}>
                    {i > 0 ? <br /> : null}
                    {line}
                  </Fragment>
                ))
              ) : (
                value
              )}
            </dd>
          </Fragment>
        ))}
        <dt>{t("contact.bankAccount")}</dt>
        <dd>{contact.bankAccount}</dd>
      </dl>
      {known.length < fields.length ? <p className="hint">{t("contact.notYet")}</p> : null}
    </section>
  );
}
