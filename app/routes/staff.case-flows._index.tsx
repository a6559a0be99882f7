import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { listCaseFlows } from "~/services/policies/case-flows.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

export const handle = { hydrate: false };

/** Every claim type of the staff member's creditors: its case flow, and whether a draft waits. */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  return { flows: await listCaseFlows(staff) };
}

export default function CaseFlows() {
  const { flows } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const col = (k: string) => t(`backoffice.caseFlows.col.${k}`);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("backoffice.caseFlows.title")}</h1>
      <p className="lead">{t("backoffice.caseFlows.intro")}</p>
      <table className="queue-table stack-table">
        <caption>{t("backoffice.caseFlows.listCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{col("claimType")}</th>
            <th scope="col">{col("creditor")}</th>
            <th scope="col">{col("version")}</th>
            <th scope="col">{col("draft")}</th>
          </tr>
        </thead>
        <tbody>
          {flows.map((flow) => (
            <tr key={flow.id}>
              <td data-label={col("claimType")}>
                <Link to={`/staff/case-flows/${flow.id}`}>
                  {f.localName(flow.names, flow.name)}
                </Link>
              </td>
              <td data-label={col("creditor")}>{flow.creditor}</td>
              <td data-label={col("version")}>{flow.version ?? "—"}</td>
              <td data-label={col("draft")}>
                {flow.hasDraft ? t("backoffice.caseFlows.yes") : t("backoffice.caseFlows.no")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
