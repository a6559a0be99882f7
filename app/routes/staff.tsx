import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Outlet,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StaffHeader } from "~/components/staff-header";
import { StatusMessage, statusKindOf } from "~/components/status-page";
import { currentStaff, staffTimeZone } from "~/services/identity/staff-auth.server";

// Layout for every /staff page: the staff session bar. Guarding is left to each page
// (requireStaff), since the login page must render without a session.
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await currentStaff(request);
  return {
    staffName: staff?.name ?? null,
    isAdmin: staff?.role === "ADMIN" && !staff.mustChangePassword,
    seesPrintBatches: !!staff && staff.role !== "AGENT" && !staff.mustChangePassword,
    // Every staff page shows dates and times on the office's clock (useStaffTime).
    timeZone: staff ? await staffTimeZone(staff) : "UTC",
  };
}

export default function StaffLayout() {
  const { staffName, isAdmin, seesPrintBatches } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <StaffHeader staffName={staffName} />
      {isAdmin || seesPrintBatches ? (
        <nav aria-label={t("staff.admin.navLabel")} className="page">
          {seesPrintBatches ? (
            <Link to="/staff/print-batches">{t("backoffice.printBatches.title")}</Link>
          ) : null}
          {isAdmin && seesPrintBatches ? " · " : null}
          {isAdmin ? <Link to="/staff/admin">{t("staff.admin.nav")}</Link> : null}
        </nav>
      ) : null}
      <Outlet />
    </>
  );
}

/**
 * A staff page that cannot be shown (another role's, another creditor's, or a failure) keeps the
 * staff bar, and its way back leads to the queues, not to the residents' start page.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("routes/staff");
  return (
    <>
      <StaffHeader staffName={data?.staffName ?? null} />
      <StatusMessage
        kind={statusKindOf(isRouteErrorResponse(error) ? error.status : 500)}
        home={{ href: data?.staffName ? "/staff" : "/staff/login", label: "backoffice.toQueues" }}
      />
    </>
  );
}
