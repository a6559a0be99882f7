import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { currentStaff, verifyStaffLogin } from "~/services/identity/staff-auth.server";
import { startStaffSession } from "~/services/identity/staff-session.server";
import { STAFF_OIDC_ERRORS, staffOidcOffer } from "~/services/identity/staff-oidc.server";

// Bounds only: the service judges the values, and says "invalid" whatever was wrong.
const LoginSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
  code: z.string().trim().min(1).max(16),
  returnTo: z.string().max(2000).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await currentStaff(request);
  if (staff) return redirect(staff.mustChangePassword ? "/staff/password" : "/staff");
  const url = new URL(request.url);
  const oidcError = STAFF_OIDC_ERRORS.find((e) => e === url.searchParams.get("oidcError"));
  return {
    returnTo: url.searchParams.get("returnTo") ?? "/staff",
    loggedOut: url.searchParams.has("loggedOut"),
    oidc: staffOidcOffer(),
    oidcError: oidcError ?? null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const email = typeof form.email === "string" ? form.email.slice(0, 254) : "";
  const parsed = LoginSchema.safeParse(form);
  if (!parsed.success) return { error: true, email };
  const { password, code, returnTo } = parsed.data;
  const result = await verifyStaffLogin(parsed.data.email, password, code, new Date());
  if (!result.ok) return { error: true, email };
  return startStaffSession(request, result, returnTo);
}

export default function StaffLogin() {
  const { returnTo, loggedOut, oidc, oidcError } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="page page--narrow">
      <h1>{t("staff.login.title")}</h1>
      {loggedOut && !actionData ? (
        <p className="notice notice--info" role="status">
          {t("staff.login.loggedOut")}
        </p>
      ) : null}
      {actionData?.error ? (
        <div className="notice notice--error" role="alert" id="login-error">
          <p>{t("staff.login.error")}</p>
        </div>
      ) : null}
      {oidcError && !actionData ? (
        <div className="notice notice--error" role="alert" id="oidc-error">
          <p>{t(`staff.login.oidcError.${oidcError}`)}</p>
        </div>
      ) : null}
      <p className="lead">{t("staff.login.intro")}</p>
      {oidc ? (
        <Form method="post" action="/staff/login/oidc" reloadDocument className="card">
          <input type="hidden" name="returnTo" value={returnTo} />
          <button type="submit" className="button button--primary">
            {oidc.displayName
              ? t("staff.login.oidc", { provider: oidc.displayName })
              : t("staff.login.oidcGeneric")}
          </button>
          <p className="hint">{t("staff.login.oidcHint")}</p>
        </Form>
      ) : null}
      <Form method="post" reloadDocument className="card">
        <input type="hidden" name="returnTo" value={returnTo} />
        <label htmlFor="email" className="field-label">
          {t("staff.login.email")}
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={actionData?.email ?? ""}
          aria-describedby={actionData?.error ? "login-error" : undefined}
          className="text-input"
        />
        <label htmlFor="password" className="field-label">
          {t("staff.login.password")}
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="text-input"
        />
        <label htmlFor="code" className="field-label">
          {t("staff.login.code")}
        </label>
        <p id="code-hint" className="hint">
          {t("staff.login.codeHint")}
        </p>
        <input
          id="code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          required
          aria-describedby="code-hint"
          className="text-input"
        />
        <button type="submit" className="button button--primary">
          {t("staff.login.submit")}
        </button>
      </Form>
    </div>
  );
}
