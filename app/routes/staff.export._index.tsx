import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { useFormat } from "~/components/format";
import { ROUTE_AUTHORITY } from "~/integrations/enforcement/types";
import {
  exportErrorStatus,
  exportRow,
  listEnforcementExports,
} from "~/services/backoffice/enforcement-batches.server";
import {
  exportOverview,
  makeEnforcementExport,
} from "~/services/backoffice/enforcement-exports.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

// Bulk personal data for the enforcement authority: supervisors and admins, as for bank files and
// print batches (docs/decisions/0095, 0097).
const ROLES = ["SUPERVISOR", "ADMIN"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  const now = new Date();
  const [overview, batches] = await Promise.all([
    exportOverview(staff, now),
    listEnforcementExports(staff),
  ]);
  const url = new URL(request.url);
  const made = url.searchParams.get("made");
  const left = Number(url.searchParams.get("left") ?? "0");
  const madeBatch = batches.find((b) => b.id === made) ?? null;
  return {
    overview,
    batches: batches.map(exportRow),
    made: madeBatch ? exportRow(madeBatch) : null,
    leftOut: Number.isSafeInteger(left) && left > 0 ? left : 0,
  };
}

const MakeBatch = z.object({ creditorId: z.string().max(100), route: z.string().max(40) });

/**
 * Makes a batch (a plain form POST): stored with its claims' moves in one transaction, then a
 * redirect to this page, which lists it with its download link (POST-redirect-GET). Refused: a
 * 4xx with the reason, and nothing changed.
 */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  const parsed = MakeBatch.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data({ error: "backoffice.export.error.invalid", missing: null }, { status: 400 });
  const result = await makeEnforcementExport(staff, parsed.data, new Date());
  if (!result.ok)
    return data(
      { error: `backoffice.export.error.${result.error}`, missing: result.missing ?? null },
      { status: exportErrorStatus(result.error) },
    );
  return redirect(`/staff/export?made=${result.exportId}&left=${result.leftOut}#made`, 303);
}

/** The enforcement export: what waits per creditor and route, and every batch made. */
export default function ExportPage() {
  const { overview, batches, made, leftOut } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const col = (k: string) => t(`backoffice.export.col.${k}`);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("backoffice.exportTitle")}</h1>
      <p className="lead">{t("backoffice.exportHint")}</p>
      {result && "error" in result ? (
        <div className="notice notice--error" role="alert" data-testid="export-result">
          <p>{t(result.error, { missing: result.missing ?? "" })}</p>
        </div>
      ) : null}
      {made ? (
        <div className="notice notice--info" role="status" id="made" data-testid="export-result">
          <p>
            {t("backoffice.export.made", {
              count: made.claims,
              authority: made.route
                ? t(`authority.${ROUTE_AUTHORITY[made.route]}`)
                : t("backoffice.export.route.unknown"),
            })}
          </p>
          {leftOut > 0 ? <p>{t("backoffice.export.leftOut", { count: leftOut })}</p> : null}
          <p>
            <a
              href={`/staff/export/${made.id}/file`}
              download={made.fileName}
              data-testid="download-made"
            >
              {t("backoffice.export.download")}
            </a>{" "}
            · <Link to={`/staff/export/${made.id}`}>{t("backoffice.export.open")}</Link>
          </p>
        </div>
      ) : null}

      <section aria-labelledby="make-heading">
        <h2 id="make-heading">{t("backoffice.export.makeHeading")}</h2>
        {overview.map((creditor) =>
          creditor.routes.map((r) => (
            <div
              key={`${creditor.creditorId}-${r.route}`}
              className="card"
              data-testid="export-route"
            >
              <h3>
                {creditor.name}: {t(`backoffice.export.route.${r.route}`)}
              </h3>
              <p className="hint">{t(`backoffice.export.routeHint.${r.route}`)}</p>
              <p>
                {r.ready > 0
                  ? t("backoffice.export.ready", {
                      count: r.ready,
                      total: f.money(r.total, creditor.currency),
                    })
                  : t("backoffice.export.noneReady")}
              </p>
              {r.heldBack > 0 ? (
                <p className="hint">
                  {t("backoffice.export.heldBack", { count: r.heldBack })}{" "}
                  {Object.entries(r.reasons)
                    .map(([reason, n]) => `${t(`backoffice.refusal.${reason}`)} (${n})`)
                    .join("; ")}
                </p>
              ) : null}
              {r.ready > 0 ? (
                <Form method="post" reloadDocument>
                  <input type="hidden" name="creditorId" value={creditor.creditorId} />
                  <input type="hidden" name="route" value={r.route} />
                  <button type="submit" className="button button--primary">
                    {t("backoffice.export.make", {
                      authority: t(`authority.${ROUTE_AUTHORITY[r.route]}`),
                    })}
                  </button>
                </Form>
              ) : null}
            </div>
          )),
        )}
      </section>

      <section aria-labelledby="batches-heading">
        <h2 id="batches-heading">{t("backoffice.export.batchesHeading")}</h2>
        {batches.length === 0 ? (
          <p>{t("backoffice.export.noBatches")}</p>
        ) : (
          <table className="breakdown" data-testid="export-batches">
            <thead>
              <tr>
                <th scope="col">{col("made")}</th>
                <th scope="col">{col("creditor")}</th>
                <th scope="col">{col("for")}</th>
                <th scope="col">{col("by")}</th>
                <th scope="col" className="num">
                  {col("claims")}
                </th>
                <th scope="col" className="num">
                  {col("total")}
                </th>
                <th scope="col">{col("state")}</th>
                <th scope="col">{col("file")}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id} data-testid="export-batch">
                  <th scope="row" data-label={col("made")}>
                    <Link to={`/staff/export/${b.id}`}>{f.dateTime(b.createdAt, b.timeZone)}</Link>
                  </th>
                  <td data-label={col("creditor")}>{b.creditorName}</td>
                  <td data-label={col("for")}>
                    {t(`backoffice.export.route.${b.route ?? "unknown"}`)}
                  </td>
                  <td data-label={col("by")}>
                    {b.createdByName ?? t("backoffice.export.someone")}
                  </td>
                  <td data-label={col("claims")} className="num">
                    {b.claims}
                  </td>
                  <td data-label={col("total")} className="num">
                    {f.money(b.total, b.currency)}
                  </td>
                  <td data-label={col("state")} data-testid="export-state">
                    {t(`backoffice.export.state.${b.stateWords}`, {
                      date: b.downloadedAt ? f.dateTime(b.downloadedAt, b.timeZone) : "",
                    })}
                  </td>
                  <td data-label={col("file")}>
                    {b.fileRemovedOn ? (
                      t("backoffice.export.fileRemoved", { date: f.date(b.fileRemovedOn) })
                    ) : (
                      <a
                        href={`/staff/export/${b.id}/file`}
                        download={b.fileName}
                        aria-label={t("backoffice.export.downloadLabel", {
                          date: f.dateTime(b.createdAt, b.timeZone),
                        })}
                      >
                        {t("backoffice.export.download")}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
