import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { env } from "~/infra/env.server";
import { currentResident } from "~/services/identity/resident-auth.server";

const LOGIN_ERRORS = new Set([
  "expired",
  "state_mismatch",
  "acr_too_low",
  "missing_national_id",
  "provider_error",
]);

const ENDED = new Map<string, "ended" | "endedUnsent">([
  ["1", "ended"],
  ["unsent", "endedUnsent"],
]);

export async function loader({ request }: LoaderFunctionArgs) {
  if (await currentResident(request)) return redirect("/claims");
  const url = new URL(request.url);
  const error = url.searchParams.get("loginError");
  return {
    returnTo: url.searchParams.get("returnTo") ?? "/claims",
    loginError: error ? (LOGIN_ERRORS.has(error) ? error : "provider_error") : null,
    loggedOut: url.searchParams.has("loggedOut"),
    // Set by requireResident when the browser's session had ended: "unsent" when a form was
    // sent after it ended, and nothing of it was taken.
    ended: ENDED.get(url.searchParams.get("ended") ?? "") ?? null,
    idleMinutes: env().SESSION_IDLE_MINUTES,
  };
}

export default function Index() {
  const { returnTo, loginError, loggedOut, ended, idleMinutes } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="page page--narrow">
      <h1>{t("home.title")}</h1>
      {loggedOut ? (
        <p className="notice notice--info" role="status">
          {t("home.loggedOut")}
        </p>
      ) : null}
      {ended ? (
        <div
          className={`notice ${ended === "endedUnsent" ? "notice--error" : "notice--info"}`}
          role={ended === "endedUnsent" ? "alert" : "status"}
          data-testid="session-ended"
        >
          <p>{t(`home.${ended}`, { count: idleMinutes })}</p>
        </div>
      ) : null}
      {loginError ? (
        <div className="notice notice--error" role="alert">
          <p>{t(`home.loginError.${loginError}`)}</p>
        </div>
      ) : null}
      <p className="lead">{t("home.intro")}</p>
      <ul className="plain-list checklist">
        <li>{t("home.point.see")}</li>
        <li>{t("home.point.explain")}</li>
        <li>{t("home.point.act")}</li>
      </ul>
      <Form method="post" action="/login" reloadDocument>
        <input type="hidden" name="returnTo" value={returnTo} />
        <button type="submit" className="button button--primary button--large">
          {t("home.login")}
        </button>
      </Form>
      <p className="hint">{t("home.loginHint")}</p>
    </div>
  );
}
