import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CreditorContact } from "~/components/creditor-contact";
import { creditorContacts } from "~/services/portal/site-info.server";

// Who runs the service and how to reach them: every creditor (the data controller for its
// bills), with what is known of its contact details. Plain HTML, no JavaScript.
export const handle = { i18n: ["site"], hydrate: false };

export const meta: MetaFunction = () => [{ title: "Kravportal" }];

export async function loader() {
  return { contacts: await creditorContacts() };
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
