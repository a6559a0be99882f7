import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useStaffTime } from "~/components/staff-time";
import { QUEUES, queueCounts } from "~/services/backoffice/queues.server";
import { listStaffCreditors, requireStaff } from "~/services/identity/staff-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const [creditors, counts] = await Promise.all([listStaffCreditors(staff), queueCounts(staff)]);
  return {
    name: staff.name,
    role: staff.role,
    creditors,
    queues: QUEUES.map((q) => ({
      queue: q,
      count: counts[q].count,
      oldest: counts[q].oldest?.toISOString() ?? null,
    })),
  };
}

/** The office's work, queue by queue, with how long the oldest item has waited. */
export default function StaffDashboard() {
  const { name, role, creditors, queues } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const time = useStaffTime();
  return (
    <div className="page">
      <h1>{t("staff.dashboard.title")}</h1>
      <p className="lead">{t("staff.dashboard.signedInAs", { name })}</p>
      <p>
        {t(`staff.role.${role}`)}:{" "}
        <span data-testid="staff-creditors">{creditors.map((c) => c.name).join(", ")}</span>
      </p>
      <section aria-labelledby="queues-heading">
        <h2 id="queues-heading">{t("backoffice.queues")}</h2>
        <ul className="plain-list">
          {queues.map((q) => (
            <li key={q.queue} className="card" data-testid={`queue-${q.queue}`}>
              <Link to={`/staff/queues/${q.queue}`}>{t(`backoffice.queue.${q.queue}`)}</Link>{" "}
              <strong className="amount">{q.count}</strong>
              {q.oldest ? (
                <span className="hint">
                  {" "}
                  {t("backoffice.oldest", { date: time.day(q.oldest) })}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <p>
        <Link to="/staff/plans">{t("backoffice.plans.title")}</Link>
      </p>
      {role !== "AGENT" ? (
        <p>
          <Link to="/staff/export">{t("backoffice.exportTitle")}</Link> ·{" "}
          <Link to="/staff/bank-files">{t("bankFiles.title")}</Link> ·{" "}
          <Link to="/staff/imports">{t("claimImports.title")}</Link> ·{" "}
          <Link to="/staff/print-batches">{t("backoffice.printBatches.title")}</Link>
        </p>
      ) : null}
    </div>
  );
}
