import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { exportFilings } from "~/services/backoffice/enforcement.server";
import { listStaffCreditors, requireStaff } from "~/services/identity/staff-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, { roles: ["SUPERVISOR", "ADMIN"] });
  return { creditors: await listStaffCreditors(staff) };
}

/** The enforcement export: approved claims of one creditor, as a CSV file to send to the authority. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, { roles: ["SUPERVISOR", "ADMIN"] });
  const creditorId = String((await request.formData()).get("creditorId") ?? "");
  const result = await exportFilings(staff, creditorId, new Date());
  if (!result) return { error: "backoffice.error.not_found" };
  if (result.count === 0) return { error: "backoffice.exportEmpty" };
  return new Response(result.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="enforcement-${result.exportId}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}

export default function ExportPage() {
  const { creditors } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("backoffice.exportTitle")}</h1>
      <p>{t("backoffice.exportHint")}</p>
      {result && "error" in result ? (
        <p className="notice notice--error" role="alert">
          {t(result.error)}
        </p>
      ) : null}
      {creditors.map((c) => (
        <Form key={c.id} method="post" reloadDocument>
          <input type="hidden" name="creditorId" value={c.id} />
          <button type="submit" className="button button--primary">
            {t("backoffice.exportFor", { creditor: c.name })}
          </button>
        </Form>
      ))}
    </div>
  );
}
