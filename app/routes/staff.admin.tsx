import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { StaffMemberCard } from "~/components/staff-member-card";
import {
  adminCreateStaff,
  changeStaffRole,
  listManagedStaff,
  resetStaffPassword,
  resetStaffTotp,
  setStaffDisabled,
} from "~/services/identity/staff-admin.server";
import { listStaffCreditors, requireStaff } from "~/services/identity/staff-auth.server";

// The page after a create or reset carries a one-time password or TOTP secret: keep it out of
// every cache, and the list of staff with it.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const ROLES = ["AGENT", "SUPERVISOR", "ADMIN"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireStaff(request, { roles: ["ADMIN"] });
  const [staff, creditors] = await Promise.all([
    listManagedStaff(admin),
    listStaffCreditors(admin),
  ]);
  return {
    creditors,
    staff: (staff ?? []).map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
  };
}

const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    email: z.string().trim().min(1).max(254),
    name: z.string().trim().max(200),
    role: z.enum(ROLES),
    creditorIds: z.array(z.string().max(64)).max(100),
  }),
  z.object({ intent: z.enum(["disable", "enable"]), staffId: z.string().max(64) }),
  z.object({ intent: z.enum(["reset-password", "reset-totp"]), staffId: z.string().max(64) }),
  z.object({ intent: z.literal("role"), staffId: z.string().max(64), role: z.enum(ROLES) }),
]);

type Submitted = { email: string; name: string; role: string; creditorIds: string[] };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireStaff(request, { roles: ["ADMIN"] });
  const form = await request.formData();
  const text = (key: string) => String(form.get(key) ?? "");
  const submitted: Submitted = {
    email: text("email").slice(0, 254),
    name: text("name").slice(0, 200),
    role: text("role"),
    creditorIds: form.getAll("creditorId").map(String),
  };
  const parsed = Intent.safeParse({
    ...Object.fromEntries(form),
    creditorIds: submitted.creditorIds,
  });
  // The create form is filled in again after an error; passwords and secrets are never echoed.
  const values = text("intent") === "create" ? submitted : null;
  if (!parsed.success) return { error: "invalid" as const, values };
  const input = parsed.data;
  const now = new Date();
  switch (input.intent) {
    case "create": {
      const r = await adminCreateStaff(admin, input, now);
      if (!r.ok) return { error: r.error, values };
      return {
        done: "created" as const,
        email: input.email.toLowerCase(),
        oneTimePassword: r.oneTimePassword,
        otpauthUri: r.otpauthUri,
      };
    }
    case "disable":
    case "enable": {
      const r = await setStaffDisabled(admin, input, input.intent === "disable", now);
      if (!r.ok) return { error: r.error, values };
      return { done: input.intent === "disable" ? "disabled" : "enabled", staffId: input.staffId };
    }
    case "reset-password": {
      const r = await resetStaffPassword(admin, input, now);
      if (!r.ok) return { error: r.error, values };
      return {
        done: "passwordReset" as const,
        staffId: input.staffId,
        oneTimePassword: r.oneTimePassword,
      };
    }
    case "reset-totp": {
      const r = await resetStaffTotp(admin, input, now);
      if (!r.ok) return { error: r.error, values };
      return { done: "totpReset" as const, staffId: input.staffId, otpauthUri: r.otpauthUri };
    }
    case "role": {
      const r = await changeStaffRole(admin, input, input.role, now);
      if (!r.ok) return { error: r.error, values };
      return { done: "roleChanged" as const, staffId: input.staffId };
    }
  }
}

export default function StaffAdmin() {
  const { staff, creditors } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const values = result && "values" in result ? result.values : null;
  const target =
    result && "staffId" in result ? staff.find((s) => s.id === result.staffId) : undefined;
  const email = result && "email" in result ? result.email : target?.email;
  const oneTimePassword = result && "oneTimePassword" in result ? result.oneTimePassword : null;
  const otpauthUri = result && "otpauthUri" in result ? result.otpauthUri : null;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("staff.admin.title")}</h1>
      <p className="lead">{t("staff.admin.intro")}</p>
      <p>
        <Link to="/staff/admin/merge">{t("staff.admin.mergeLink")}</Link>
      </p>

      {result && "error" in result ? (
        <div className="notice notice--error" role="alert">
          <p>{t(`staff.admin.error.${result.error}`)}</p>
        </div>
      ) : null}
      {result && "done" in result ? (
        <section className="notice" role="status" data-testid="admin-result">
          <p>
            {t(`staff.admin.done.${result.done}`, {
              email,
              role: target ? t(`staff.role.${target.role}`) : "",
            })}
          </p>
          {oneTimePassword || otpauthUri ? (
            <>
              <p>
                <strong>{t("staff.admin.shownOnce")}</strong>
              </p>
              <dl className="facts facts--stacked">
                {oneTimePassword ? (
                  <div>
                    <dt>{t("staff.admin.oneTimePassword")}</dt>
                    <dd className="copyable" data-testid="one-time-password">
                      {oneTimePassword}
                    </dd>
                  </div>
                ) : null}
                {otpauthUri ? (
                  <div>
                    <dt>{t("staff.admin.otpauthUri")}</dt>
                    <dd className="copyable" data-testid="otpauth-uri">
                      {otpauthUri}
                    </dd>
                  </div>
                ) : null}
              </dl>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="staff-heading">
        <h2 id="staff-heading">{t("staff.admin.listHeading")}</h2>
        <ul className="plain-list">
          {staff.map((s) => (
            <StaffMemberCard key={s.id} member={s} roles={ROLES} />
          ))}
        </ul>
      </section>

      <section aria-labelledby="create-heading">
        <h2 id="create-heading">{t("staff.admin.createHeading")}</h2>
        <p>{t("staff.admin.createIntro")}</p>
        <Form method="post" reloadDocument className="card">
          <input type="hidden" name="intent" value="create" />
          <label htmlFor="new-email" className="field-label">
            {t("staff.admin.email")}
          </label>
          <input
            id="new-email"
            name="email"
            type="email"
            required
            maxLength={254}
            autoComplete="off"
            defaultValue={values?.email}
            className="text-input"
          />
          <label htmlFor="new-name" className="field-label">
            {t("staff.admin.name")}
          </label>
          <p id="new-name-hint" className="hint">
            {t("staff.admin.nameHint")}
          </p>
          <input
            id="new-name"
            name="name"
            type="text"
            maxLength={200}
            autoComplete="off"
            aria-describedby="new-name-hint"
            defaultValue={values?.name}
            className="text-input"
          />
          <label htmlFor="new-role" className="field-label">
            {t("staff.admin.role")}
          </label>
          <select
            id="new-role"
            name="role"
            defaultValue={values?.role ?? "AGENT"}
            className="text-input"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`staff.role.${r}`)}
              </option>
            ))}
          </select>
          <fieldset className="radio-group">
            <legend className="field-label">{t("staff.admin.creditorsLegend")}</legend>
            {creditors.map((c) => (
              <div key={c.id} className="checkbox">
                <input
                  id={`new-creditor-${c.id}`}
                  type="checkbox"
                  name="creditorId"
                  value={c.id}
                  defaultChecked={
                    values ? values.creditorIds.includes(c.id) : creditors.length === 1
                  }
                />{" "}
                <label htmlFor={`new-creditor-${c.id}`}>{c.name}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit" className="button button--primary">
            {t("staff.admin.create")}
          </button>
        </Form>
      </section>
    </div>
  );
}
