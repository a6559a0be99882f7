import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DisputeErrors } from "~/components/dispute-errors";
import { useFormat } from "~/components/format";
import { isUuid } from "~/domain/ids";
import { requireResident } from "~/services/identity/resident-auth.server";
import {
  askForHelp,
  authoritiesOfOpenBills,
  hasOpenHelpRequest,
  isOwnOpenHelpRequest,
} from "~/services/disputes/help.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  const url = new URL(request.url);
  const back = url.searchParams.get("claim");
  const sentId = url.searchParams.get("sent");
  const id = resident.residentId;
  // Three small reads, at once.
  const [authorities, open, sent] = id
    ? await Promise.all([
        authoritiesOfOpenBills(id),
        hasOpenHelpRequest(id),
        // Thanks only for a request that was stored, and is this resident's: the action sends
        // them here with its id. A hand-typed `?sent=1`, or another resident's id, thanks no one.
        sentId ? isOwnOpenHelpRequest(id, sentId) : false,
      ])
    : [[], false, false];
  return {
    // The authority a bill would go to is its creditor's country's, whatever the page's language:
    // Kronofogden for a Swedish creditor's bills, namsmannen (or the municipality itself, as
    // særnamsmann, for water and property tax) for a Norwegian one's.
    authorities,
    open,
    sent,
    // Only a claim id goes into the link back, never a URL.
    backTo: back && isUuid(back) ? `/claims/${back}` : "/claims",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const resident = await requireResident(request);
  if (!resident.residentId) throw new Response("Not found", { status: 404 });
  const form = await request.formData();
  const text = String(form.get("text") ?? "");
  const result = await askForHelp({
    residentId: resident.residentId,
    text,
    consentToSocialServices: form.get("consent") === "yes",
    now: new Date(),
  });
  if (!result.ok) return { errors: result.errors, text };
  const url = new URL(request.url);
  // Asked again while a request is open: nothing new was sent; the page says one is open.
  if (result.alreadyOpen) url.searchParams.delete("sent");
  else url.searchParams.set("sent", result.flagId);
  return redirect(`${url.pathname}${url.search}`, 303);
}

export default function Help() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const errors = actionData?.errors ?? [];
  const { locale } = useFormat();
  // "A or B", "A, B or C" as the page's language writes a list. No open bill: nothing that
  // could go anywhere, and nothing to say about it.
  const authority =
    data.authorities.length > 0
      ? new Intl.ListFormat(locale, { type: "disjunction" }).format(
          data.authorities.map((key) => t(`authority.${key}`)),
        )
      : null;
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to={data.backTo}>{t("help.back")}</Link>
      </p>
      <h1>{t("help.title")}</h1>
      {data.sent || data.open ? (
        <div className="notice" role="status" data-testid="help-status">
          <p>{t(data.sent ? "help.sent" : "help.alreadyOpen")}</p>
        </div>
      ) : (
        <Form method="post" className="card">
          <p data-testid="help-intro">
            {t("help.intro")}
            {authority ? ` ${t("help.noEnforcement", { authority })}` : null}
          </p>
          <DisputeErrors errors={errors} titleKey="help.errorTitle" />
          <label htmlFor="text" className="field-label">
            {t("help.textLabel")}
          </label>
          <p id="text-hint" className="hint">
            {t("help.textHint")}
          </p>
          <textarea
            id="text"
            name="text"
            rows={6}
            maxLength={2000}
            required
            defaultValue={actionData?.text ?? ""}
            aria-describedby="text-hint"
            aria-invalid={errors.length > 0 || undefined}
            className="text-input text-area"
          />
          <div className="checkbox">
            <input
              type="checkbox"
              id="consent"
              name="consent"
              value="yes"
              aria-describedby="consent-hint"
            />{" "}
            <label htmlFor="consent">{t("help.consent")}</label>
            <p id="consent-hint" className="hint">
              {t("help.consentHint")}
            </p>
          </div>
          <p>
            <button type="submit" className="button button--primary button--large">
              {t("help.submit")}
            </button>
          </p>
        </Form>
      )}
    </div>
  );
}
