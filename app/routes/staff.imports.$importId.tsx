import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { claimReasonText } from "~/components/claim-reason-text";
import { useFormat } from "~/components/format";
import { claimImportView } from "~/services/claims/claim-upload.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, { roles: ["SUPERVISOR", "ADMIN"] });
  const view = await claimImportView(params.importId ?? "", staff.creditorIds);
  if (!view) throw new Response("Not found", { status: 404 });
  return { view };
}

type Progress = Pick<
  ReturnType<typeof useLoaderData<typeof loader>>["view"],
  | "status"
  | "bytesRead"
  | "bytesTotal"
  | "lines"
  | "created"
  | "unchanged"
  | "conflicts"
  | "invalid"
>;

/**
 * While the import runs, its counts are polled from the status resource once a second and the
 * bar moves; when it ends, the page is read again for the report. Without JavaScript, a link
 * reads the page again.
 */
function useLiveProgress(id: string, initial: Progress): Progress {
  const [live, setLive] = useState(initial);
  const revalidator = useRevalidator();
  useEffect(() => setLive(initial), [initial]);
  useEffect(() => {
    if (initial.status !== "RUNNING") return;
    let stopped = false;
    const timer = setInterval(async () => {
      const res = await fetch(`/staff/imports/${id}/status`, {
        headers: { Accept: "application/json" },
      });
      if (!res.ok || stopped) return;
      const next = (await res.json()) as Progress;
      setLive(next);
      if (next.status !== "RUNNING") {
        stopped = true;
        clearInterval(timer);
        revalidator.revalidate();
      }
    }, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, initial.status]);
  return live;
}

/** Why an import stopped, in the staff member's language (codes: decision 0110). */
function StopReason({ code, params }: { code: string; params: Record<string, unknown> }) {
  const { t } = useTranslation();
  const list = (key: string) => (Array.isArray(params[key]) ? (params[key] as string[]) : []);
  if (code === "header") {
    const missing = list("missing");
    const unknown = list("unknown");
    return (
      <>
        <p>{t("claimImports.stop.header")}</p>
        {missing.length > 0 ? (
          <p>{t("claimImports.stop.missing", { columns: missing.join(", ") })}</p>
        ) : null}
        {unknown.length > 0 ? (
          <p>{t("claimImports.stop.unknown", { columns: unknown.join(", ") })}</p>
        ) : null}
      </>
    );
  }
  const count = typeof params.lines === "number" ? params.lines : 0;
  return <p>{t(`claimImports.stop.${code}`, { count })}</p>;
}

export default function ClaimImportPage() {
  const { view } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const live = useLiveProgress(view.id, view);
  const running = live.status === "RUNNING";
  const percent = live.bytesTotal > 0 ? Math.floor((live.bytesRead / live.bytesTotal) * 100) : 100;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff/imports">{t("claimImports.title")}</Link>
      </p>
      <h1>{t("claimImports.statusTitle", { name: view.fileName })}</h1>
      <p>
        {t("claimImports.statusIntro", {
          creditor: view.creditorName,
          when: f.dateTime(view.startedAt, view.timeZone),
          by: view.by ?? t("claimImports.byCommandLine"),
        })}
      </p>
      <div className="card">
        <label htmlFor="import-progress" className="field-label">
          {t("claimImports.progressLabel")}
        </label>
        <progress id="import-progress" max={live.bytesTotal || 1} value={live.bytesRead}>
          {percent} %
        </progress>
        <p role="status" data-testid="import-status">
          {t(`claimImports.status.${live.status}`)} —{" "}
          {t("claimImports.progressLine", { percent, lines: live.lines })}
        </p>
        <ul data-testid="import-counts">
          <li>{t("claimImports.count.created", { count: live.created })}</li>
          <li>{t("claimImports.count.unchanged", { count: live.unchanged })}</li>
          <li>{t("claimImports.count.conflicts", { count: live.conflicts })}</li>
          <li>{t("claimImports.count.invalid", { count: live.invalid })}</li>
        </ul>
        {running ? (
          <p>
            <Link to={`/staff/imports/${view.id}`} reloadDocument>
              {t("claimImports.refresh")}
            </Link>
          </p>
        ) : null}
      </div>
      {view.errorCode ? (
        <div className="notice notice--error" role="alert" data-testid="import-error">
          <StopReason code={view.errorCode} params={view.errorParams ?? {}} />
        </div>
      ) : view.error ? (
        <div className="notice notice--error" role="alert" data-testid="import-error">
          <p>{t("claimImports.failed")}</p>
          <p>{view.error}</p>
        </div>
      ) : null}
      {!running && view.problems.length === 0 && !view.error && !view.errorCode ? (
        <p>{t("claimImports.noProblems")}</p>
      ) : null}
      {view.problems.length > 0 ? (
        <section aria-labelledby="import-problems-heading">
          <h2 id="import-problems-heading">{t("claimImports.problemsHeading")}</h2>
          <p>{t("claimImports.problemsIntro")}</p>
          <table className="breakdown" data-testid="import-problems">
            <caption>
              {t("claimImports.problemsCaption", {
                count: view.problems.length,
                total: view.invalid + view.conflicts,
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("claimImports.col.line")}</th>
                <th scope="col">{t("claimImports.col.invoice")}</th>
                <th scope="col">{t("claimImports.col.result")}</th>
                <th scope="col">{t("claimImports.col.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {view.problems.map((p) => (
                <tr key={`${p.line}-${p.externalId ?? ""}`}>
                  <th scope="row" data-label={t("claimImports.col.line")}>
                    {p.line}
                  </th>
                  <td data-label={t("claimImports.col.invoice")}>{p.externalId ?? "—"}</td>
                  <td data-label={t("claimImports.col.result")}>
                    {t(`claimImports.result.${p.result}`)}
                  </td>
                  <td data-label={t("claimImports.col.reason")}>
                    {p.reasons
                      ? p.reasons.map((r) => claimReasonText(r, t, f, view.currency)).join(" ")
                      : p.reason}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
