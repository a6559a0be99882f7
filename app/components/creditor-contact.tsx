import { Fragment, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CreditorContact as Contact } from "~/services/portal/site-info.server";
import { ibanGroups, useFormat } from "./format";

/** "+47 62 00 00 00" as a number a phone dials: digits, and the plus of an international one. */
const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, "")}`;

/** A web address as a link: one given without a scheme is https. */
const webHref = (web: string) => (/^https?:\/\//i.test(web) ? web : `https://${web}`);

/**
 * One creditor's office: how to reach it (phone, email, postal address, web, opening hours) and
 * the accounts to pay to, at home and from abroad, as a list of facts under its name. What the
 * creditor has not given is left out, and the reader is pointed to the bill for it.
 */
export function CreditorContact({ contact: c }: { contact: Contact }) {
  const { t } = useTranslation("site");
  const f = useFormat();
  const facts: [key: string, label: string, value: ReactNode][] = [];
  const add = (key: string, value: ReactNode) => facts.push([key, t(`contact.${key}`), value]);
  if (c.phone) add("phone", <a href={telHref(c.phone)}>{c.phone}</a>);
  if (c.email) add("email", <a href={`mailto:${c.email}`}>{c.email}</a>);
  if (c.postalAddress) {
    const a = c.postalAddress;
    const lines = [...a.lines, `${a.postalCode} ${a.city}`, f.country(a.country)];
    add(
      "postalAddress",
      lines.map((line, i) => (
        <Fragment key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </Fragment>
      )),
    );
  }
  if (c.web) add("web", <a href={webHref(c.web)}>{c.web.replace(/^https?:\/\//i, "")}</a>);
  if (c.openingHours) add("openingHours", c.openingHours);
  add("bankAccount", c.bankAccount);
  if (c.iban) add("iban", ibanGroups(c.iban));
  if (c.bic) add("bic", c.bic);
  if (c.orgNumber) add("orgNumber", c.orgNumber);
  const missing = !c.phone || !c.email || !c.postalAddress;
  return (
    <section className="card contact-card" aria-labelledby={`contact-${c.slug}`}>
      <h2 id={`contact-${c.slug}`}>{c.name}</h2>
      <dl className="contact-facts" data-testid={`contact-${c.slug}`}>
        {facts.map(([key, label, value]) => (
          <div key={key} data-fact={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {missing ? <p className="hint">{t("contact.notYet")}</p> : null}
    </section>
  );
}
