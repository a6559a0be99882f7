import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useStaffTime } from "~/components/staff-time";

type Member = {
  id: string;
  name: string;
  email: string;
  role: string;
  creditors: { id: string; name: string }[];
  status: "active" | "disabled" | "must_change_password";
  createdAt: string;
  isSelf: boolean;
};

/**
 * One staff member on the administration page: who they are, and one plain POST form per
 * action. Every button names the person in hidden text, so a screen reader's list of buttons
 * says whose account each one changes.
 */
export function StaffMemberCard({
  member: m,
  roles,
}: {
  member: Member;
  roles: readonly string[];
}) {
  const { t } = useTranslation();
  const time = useStaffTime();
  const whose = <span className="visually-hidden"> ({m.name})</span>;
  const action = (intent: string, label: string) => (
    <Form method="post" reloadDocument>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="staffId" value={m.id} />
      <button type="submit" className="button button--secondary">
        {label}
        {whose}
      </button>
    </Form>
  );
  return (
    <li className="card" data-testid="staff-member">
      <h3 id={`member-${m.id}`}>{m.name}</h3>
      <dl className="facts">
        <div>
          <dt>{t("staff.admin.email")}</dt>
          <dd>{m.email}</dd>
        </div>
        <div>
          <dt>{t("staff.admin.role")}</dt>
          <dd>{t(`staff.role.${m.role}`)}</dd>
        </div>
        <div>
          <dt>{t("staff.admin.creditors")}</dt>
          <dd>{m.creditors.map((c) => c.name).join(", ")}</dd>
        </div>
        <div>
          <dt>{t("staff.admin.status.label")}</dt>
          <dd data-testid="staff-status">{t(`staff.admin.status.${m.status}`)}</dd>
        </div>
        <div>
          <dt>{t("staff.admin.created")}</dt>
          <dd>{time.day(m.createdAt)}</dd>
        </div>
      </dl>
      {m.isSelf ? (
        <p className="hint">{t("staff.admin.you")}</p>
      ) : (
        <div className="admin-actions">
          {m.status === "disabled"
            ? action("enable", t("staff.admin.enable"))
            : action("disable", t("staff.admin.disable"))}
          {action("reset-password", t("staff.admin.resetPassword"))}
          {action("reset-totp", t("staff.admin.resetTotp"))}
          <Form method="post" reloadDocument className="admin-actions__role">
            <input type="hidden" name="intent" value="role" />
            <input type="hidden" name="staffId" value={m.id} />
            <label htmlFor={`role-${m.id}`} className="field-label">
              {t("staff.admin.roleFor", { name: m.name })}
            </label>
            <select id={`role-${m.id}`} name="role" defaultValue={m.role} className="text-input">
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`staff.role.${r}`)}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--secondary">
              {t("staff.admin.changeRole")}
              {whose}
            </button>
          </Form>
        </div>
      )}
    </li>
  );
}
