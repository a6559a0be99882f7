import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { devMailCatcherUrl, listCaughtMail } from "~/services/letters/dev-mail.server";

export async function loader(_args: LoaderFunctionArgs) {
  const catcherUrl = devMailCatcherUrl();
  // Without a local catcher this page does not exist, so production never exposes it.
  if (!catcherUrl) throw new Response("Not found", { status: 404 });
  return listCaughtMail(catcherUrl);
}

/** Receipt time in UTC, so server and browser render the same text whatever their time zones. */
function useReceivedAt() {
  const { locale } = useFormat();
  const format = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "medium",
    timeZone: "UTC",
  });
  return (iso: string) => `${format.format(new Date(iso))} UTC`;
}

export default function DevMail() {
  const result = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const receivedAt = useReceivedAt();
  return (
    <div className="page">
      <h1>{t("devMail.title")}</h1>
      <p className="lead">{t("devMail.intro")}</p>
      <Outlet />
      {result.status === "unreachable" ? (
        <p className="notice notice--error" role="alert">
          {t("devMail.unreachable", { url: result.catcherUrl })}
        </p>
      ) : result.data.length === 0 ? (
        <p className="notice">{t("devMail.empty")}</p>
      ) : (
        <table className="breakdown">
          <caption>{t("devMail.listCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("devMail.col.subject")}</th>
              <th scope="col">{t("devMail.col.to")}</th>
              <th scope="col">{t("devMail.col.date")}</th>
            </tr>
          </thead>
          <tbody>
            {result.data.map((m) => (
              <tr key={m.id}>
                <th scope="row" data-label={t("devMail.col.subject")}>
                  <Link to={`/dev/mail/${encodeURIComponent(m.id)}`}>{m.subject || m.id}</Link>
                </th>
                <td data-label={t("devMail.col.to")}>{m.to}</td>
                <td data-label={t("devMail.col.date")}>
                  <time dateTime={m.date}>{receivedAt(m.date)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
