import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import {
  changeStaffPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  requireStaff,
} from "~/services/identity/staff-auth.server";
import { startStaffSession } from "~/services/identity/staff-session.server";

const PasswordSchema = z.object({
  current: z.string().max(1024),
  next: z.string().max(1024),
  confirm: z.string().max(1024),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, { allowPasswordChange: true });
  return { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, { allowPasswordChange: true });
  const parsed = PasswordSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { error: "invalid_current" as const };
  const { current, next, confirm } = parsed.data;
  if (next !== confirm) return { error: "mismatch" as const };
  const result = await changeStaffPassword(staff.staffId, current, next);
  if (!result.ok) return { error: result.error };
  // Every session of this account was ended with the old password; this one starts afresh.
  return startStaffSession(
    request,
    { staffId: staff.staffId, mustChangePassword: false },
    "/staff",
  );
}

export default function StaffPassword() {
  const { min, max } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="page page--narrow">
      <h1>{t("staff.password.title")}</h1>
      {actionData?.error ? (
        <div className="notice notice--error" role="alert">
          <p>{t(`staff.password.error.${actionData.error}`, { min, max })}</p>
        </div>
      ) : null}
      <p className="lead">{t("staff.password.intro")}</p>
      <Form method="post" reloadDocument className="card">
        <label htmlFor="current" className="field-label">
          {t("staff.password.current")}
        </label>
        <p id="current-hint" className="hint">
          {t("staff.password.currentHint")}
        </p>
        <input
          id="current"
          name="current"
          type="password"
          autoComplete="current-password"
          required
          aria-describedby="current-hint"
          className="text-input"
        />
        <label htmlFor="next" className="field-label">
          {t("staff.password.next")}
        </label>
        <p id="next-hint" className="hint">
          {t("staff.password.nextHint", { min })}
        </p>
        <input
          id="next"
          name="next"
          type="password"
          autoComplete="new-password"
          required
          minLength={min}
          maxLength={max}
          aria-describedby="next-hint"
          className="text-input"
        />
        <label htmlFor="confirm" className="field-label">
          {t("staff.password.confirm")}
        </label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          minLength={min}
          maxLength={max}
          className="text-input"
        />
        <button type="submit" className="button button--primary">
          {t("staff.password.submit")}
        </button>
      </Form>
    </div>
  );
}
