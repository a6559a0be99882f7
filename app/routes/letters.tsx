import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { contactPreferences } from "~/services/identity/contact-preferences.server";
import { changeEmailNotices } from "~/services/identity/email-consent.server";
import { requireResident } from "~/services/identity/resident-auth.server";

/*
 * Contact details and letters: how the resident's letters reach them (digital mailbox first,
 * email where they agreed, paper otherwise), the postal address on file, what the national
 * register said, and their consent to letters by email, given or withdrawn with a plain form.
 * No JavaScript: the forms post and the page answers with the result.
 */
export const handle = { i18n: ["site"], hydrate: false };

const DONE = ["email-on", "email-off"] as const;

// The brand names of the digital mailboxes, as their services write them.
const MAILBOX_NAMES: Record<string, string> = {
  digipost: "Digipost",
  eboks: "e-Boks",
  kivra: "Kivra",
  minmyndighetspost: "Min myndighetspost",
  fortnox: "Fortnox",
  billo: "Billo",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const resident = await requireResident(request, context);
  // Someone logged in without any bill has nothing on file and gets no letters from us.
  if (!resident.residentId) throw new Response("Not found", { status: 404 });
  const prefs = await contactPreferences(resident.residentId);
  const done = new URL(request.url).searchParams.get("done");
  return {
    prefs: {
      ...prefs,
      register: prefs.register
        ? {
            ...prefs.register,
            mailbox: prefs.register.mailbox
              ? (MAILBOX_NAMES[prefs.register.mailbox] ?? prefs.register.mailbox)
              : null,
          }
        : null,
    },
    done: DONE.find((d) => d === done) ?? null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const resident = await requireResident(request);
  if (!resident.residentId) throw new Response("Not found", { status: 404 });
  const form = await request.formData();
  const fields = { intent: form.get("intent"), email: form.get("email") };
  const result = await changeEmailNotices(resident.residentId, fields, new Date());
  if (!result.ok) {
    const email = typeof fields.email === "string" ? fields.email.slice(0, 254) : "";
    return data({ error: result.error, email }, { status: 400 });
  }
  return redirect(`/letters?done=${result.done}#email-heading`, 303);
}

export default function ContactAndLetters() {
  const { prefs, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("site");
  const f = useFormat();
  const register = prefs.register;
  const error = actionData?.error ?? null;
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/claims">{t("letters.back")}</Link>
      </p>
      <h1>{t("letters.title")}</h1>
      <p>{t("letters.order")}</p>

      <section className="card contact-card" aria-labelledby="address-heading">
        <h2 id="address-heading">{t("letters.addressHeading")}</h2>
        {prefs.address ? (
          <p className="postal-address" data-testid="postal-address">
            {[...prefs.address.lines, `${prefs.address.postalCode} ${prefs.address.city}`].map(
              (line, i) => (
                <span key={i}>
                  {line}
                  <br />
                </span>
              ),
            )}
          </p>
        ) : (
          <p data-testid="postal-address">{t("letters.noAddress")}</p>
        )}
        <p className="hint">
          {t("letters.addressHint")} <Link to="/contact">{t("letters.contactLink")}</Link>
        </p>
      </section>

      <section className="card contact-card" aria-labelledby="mailbox-heading">
        <h2 id="mailbox-heading">{t("letters.mailboxHeading")}</h2>
        <p data-testid="register-status">
          {!register
            ? t("letters.register.unknown")
            : t(
                register.reserved
                  ? "letters.register.reserved"
                  : register.mailbox
                    ? "letters.register.mailbox"
                    : "letters.register.none",
                {
                  register: t(
                    `letters.registerName.${register.register === "krr" ? "krr" : "far"}`,
                  ),
                  mailbox: register.mailbox ?? "",
                  date: f.date(register.checkedOn),
                },
              )}
        </p>
      </section>

      <section className="card contact-card" aria-labelledby="email-heading">
        <h2 id="email-heading">{t("letters.emailHeading")}</h2>
        {/* Beside what it is about: the page returns to this heading, so on a phone a note at
            the top of the page was out of sight. */}
        {done ? (
          <div className="notice" role="status" data-testid="letters-done">
            <p>{t(`letters.done.${done}`, { email: prefs.email ?? "" })}</p>
          </div>
        ) : null}
        {prefs.emailNotices ? (
          <>
            <p data-testid="email-status">
              {t("letters.emailOn", {
                email: prefs.email ?? "",
                date: prefs.emailConsentOn ? f.date(prefs.emailConsentOn) : "",
              })}
            </p>
            {register?.mailbox && !register.reserved ? (
              <p data-testid="mailbox-first">{t("letters.mailboxFirst")}</p>
            ) : null}
            <Form method="post" action="/letters#email-heading">
              <input type="hidden" name="intent" value="withdraw" />
              <p className="hint" id="withdraw-hint">
                {t("letters.withdrawHint")}
              </p>
              <button
                type="submit"
                className="button button--secondary"
                aria-describedby="withdraw-hint"
              >
                {t("letters.withdraw")}
              </button>
            </Form>
          </>
        ) : (
          <Form method="post" action="/letters#email-heading" noValidate>
            <p data-testid="email-status">{t("letters.emailOff")}</p>
            {error ? (
              <div className="notice notice--error" role="alert" data-testid="form-errors">
                <p id="email-error">{t(`letters.error.${error}`)}</p>
              </div>
            ) : null}
            <input type="hidden" name="intent" value="consent" />
            <label htmlFor="email" className="field-label">
              {t("letters.emailLabel")}
            </label>
            <p id="email-hint" className="hint">
              {t("letters.emailHint")}
            </p>
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="email"
              inputMode="email"
              maxLength={254}
              required
              defaultValue={actionData?.email ?? prefs.email ?? ""}
              aria-describedby={error ? "email-error email-hint" : "email-hint"}
              aria-invalid={error ? true : undefined}
              className="text-input text-input--email"
            />
            <button type="submit" className="button button--primary">
              {t("letters.consent")}
            </button>
          </Form>
        )}
      </section>
    </div>
  );
}
