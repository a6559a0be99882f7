import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CreditorContact } from "~/components/creditor-contact";
import { i18next } from "~/i18n/i18next.server";
import { creditorContacts } from "~/services/portal/site-info.server";

// Who runs the service and how to reach them: every creditor (the data controller for its
// bills) with its office's phone, email, postal address, web site and opening hours, and the
// accounts to pay to (IBAN and BIC from abroad), in the reader's language. Plain HTML, no
// JavaScript.
export const handle = { i18n: ["site"], hydrate: false };

export async function loader({ request }: LoaderFunctionArgs) {
  return { contacts: await creditorContacts(await i18next.getLocale(request)) };
}

export default function Contact() {
  const { contacts } = useLoaderData<typeof loader>();
  const { t } = useTranslation("site");
  return (
    <div className="page page--narrow">
      <h1>{t("contact.title")}</h1>
      <p>{t("contact.intro")}</p>
      {contacts.length === 0 ? <p>{t("contact.none")}</p> : null}
      {contacts.map((c) => (
        <CreditorContact key={c.slug} contact={c} />
      ))}
    </div>
  );
}
