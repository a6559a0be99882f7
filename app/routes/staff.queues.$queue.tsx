import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { ReasonList } from "~/components/staff-reason-list";
import { useStaffTime } from "~/components/staff-time";
import { UndeliveredTable } from "~/components/staff-undelivered-table";
import { daysBetween, todayIn } from "~/domain/calendar-date";
import { QUEUES, queueCounts, queueItems, type Queue } from "~/services/backoffice/queues.server";
import { requireStaff, staffTimeZone } from "~/services/identity/staff-auth.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const queue = params.queue as Queue;
  if (!QUEUES.includes(queue)) throw new Response("Not found", { status: 404 });
  const [items, counts] = await Promise.all([
    queueItems(staff, queue),
    queueCounts(staff, [queue]),
  ]);
  const zone = await staffTimeZone(staff);
  const today = todayIn(zone, new Date());
  return {
    queue,
    total: Math.max(counts[queue].count, items.length),
    items: items.map((i) => ({
      ...i,
      since: i.since.toISOString(),
      waitingDays: Math.max(0, daysBetween(todayIn(zone, i.since), today)),
    })),
  };
}

/** One work queue, oldest first: what has waited longest is looked at first. */
export default function QueuePage() {
  const { queue, items, total } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const time = useStaffTime();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t(`backoffice.queue.${queue}`)}</h1>
      {items.length === 0 ? (
        <p>{t("backoffice.queueEmpty")}</p>
      ) : queue === "letters" ? (
        <UndeliveredTable
          items={items}
          caption={
            items.length < total
              ? t("backoffice.queuePartial", { shown: items.length, count: total })
              : t("backoffice.letters.caption", { count: items.length })
          }
        />
      ) : (
        <table className="breakdown" data-testid="queue">
          <caption>
            {items.length < total
              ? t("backoffice.queuePartial", { shown: items.length, count: total })
              : t("backoffice.queueCaption", { count: items.length })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("backoffice.col.item")}</th>
              <th scope="col">{t("backoffice.col.detail")}</th>
              <th scope="col">{t("backoffice.col.since")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-testid="queue-item">
                <th scope="row" data-label={t("backoffice.col.item")}>
                  {item.href ? (
                    <Link to={item.href}>{item.title}</Link>
                  ) : item.taskId ? (
                    <Link to={`/staff/tasks/${item.taskId}`}>
                      {item.titleKey ? t(item.titleKey) : item.title}
                    </Link>
                  ) : item.claimId ? (
                    <Link to={`/staff/cases/${item.claimId}`}>{item.title}</Link>
                  ) : (
                    item.title
                  )}
                </th>
                <td data-label={t("backoffice.col.detail")}>
                  {item.money ? `${f.money(item.money.amount, item.money.currency)} ` : ""}
                  {item.detail
                    .map((part) =>
                      "key" in part ? t(part.key) : "date" in part ? f.date(part.date) : part.text,
                    )
                    .join(", ")}
                  {item.reasons?.length ? (
                    <ReasonList keys={item.reasons} label={t("backoffice.plans.whyPerson")} />
                  ) : null}
                </td>
                <td data-label={t("backoffice.col.since")}>{time.day(item.since)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
