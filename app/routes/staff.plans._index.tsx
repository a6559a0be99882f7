import { planRequests } from "~/services/backoffice/plan-views.server";
import { activePlans } from "~/services/backoffice/plan-views.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReasonList } from "~/components/staff-reason-list";
import { useFormat } from "~/components/format";

import { requireStaff } from "~/services/identity/staff-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const [requests, active] = await Promise.all([
    planRequests(staff),
    activePlans(staff, new Date()),
  ]);
  return {
    requests: requests.map((r) => ({ ...r, since: r.since.toISOString() })),
    active,
  };
}

/** Plan requests outside the rules, and the health of every active plan. */
export default function StaffPlans() {
  const { requests, active } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("backoffice.plans.title")}</h1>
      <section aria-labelledby="plan-requests-heading">
        <h2 id="plan-requests-heading">{t("backoffice.queue.plans")}</h2>
        {requests.length === 0 ? <p>{t("backoffice.queueEmpty")}</p> : null}
        <ul className="plain-list" data-testid="plan-requests">
          {requests.map((r) => (
            <li key={r.id} className="card" data-testid="plan-request">
              <Link to={`/staff/plans/${r.id}`}>{r.residentName}</Link>{" "}
              {f.money(r.total, r.currency)}{" "}
              {r.outsideRules.length > 0 ? (
                <ReasonList
                  keys={r.outsideRules.map((x) => `backoffice.plans.outsideRules.${x}`)}
                  label={t("backoffice.plans.whyPerson")}
                />
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="active-plans-heading">
        <h2 id="active-plans-heading">{t("backoffice.plans.active")}</h2>
        {active.length === 0 ? <p>{t("backoffice.queueEmpty")}</p> : null}
        <ul className="plain-list" data-testid="active-plans">
          {active.map((p) => (
            <li key={p.id} className="card" data-testid="active-plan" data-health={p.state}>
              <Link to={`/staff/plans/${p.id}`}>{p.residentName}</Link>{" "}
              {t(`plan.status.${p.status}`)}: {t(`backoffice.plans.health.${p.state}`)} (
              {t("plan.progressValue", { paid: p.paidInstalments, count: p.instalments })})
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
