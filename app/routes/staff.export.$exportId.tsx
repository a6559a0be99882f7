import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { useFormat } from "~/components/format";
import { StageLabel } from "~/components/stage-label";
import { ROUTE_AUTHORITY } from "~/integrations/enforcement/types";
import {
  enforcementExportView,
  exportErrorStatus,
  exportRow,
} from "~/services/backoffice/enforcement-batches.server";
import {
  recordExportReceipt,
  undoEnforcementExport,
} from "~/services/backoffice/enforcement-receipts.server";
import { requireStaff } from "~/services/identity/staff-auth.server";
import { REASON_MAX, REASON_MIN } from "~/domain/reason-limits";

const ROLES = ["SUPERVISOR", "ADMIN"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  const view = await enforcementExportView(staff, params.exportId ?? "");
  // Another creditor's batch is not there at all for this staff member.
  if (!view) throw new Response("Not found", { status: 404 });
  const done = new URL(request.url).searchParams.get("done");
  return {
    batch: exportRow(view),
    country: view.country,
    claims: view.claimList,
    done: done === "receipt" || done === "undone" ? done : null,
  };
}

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("receipt"), receipt: z.string().max(200) }),
  // Shorter or longer than the service takes (REASON_MIN, REASON_MAX) is its refusal too.
  z.object({ intent: z.literal("undo"), reason: z.string() }),
]);

/** Records the authority's receipt, or undoes the batch; then back to the batch (POST-redirect-GET). */
export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  const exportId = params.exportId ?? "";
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "backoffice.export.error.invalid" }, { status: 400 });
  const input = parsed.data;
  const now = new Date();
  const result =
    input.intent === "receipt"
      ? await recordExportReceipt(staff, exportId, input.receipt, now)
      : await undoEnforcementExport(staff, exportId, input.reason, now);
  if (!result.ok) {
    // Not theirs, or gone: the same 404 as the page.
    if (result.error === "not_found") throw new Response("Not found", { status: 404 });
    return data(
      { error: `backoffice.export.error.${result.error}` },
      { status: exportErrorStatus(result.error) },
    );
  }
  const done = input.intent === "receipt" ? "receipt" : "undone";
  return redirect(`/staff/export/${exportId}?done=${done}`, 303);
}

/** One batch: its file, its claims, and what became of it (the receipt, or that it was undone). */
export default function ExportBatchPage() {
  const { batch, country, claims, done } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const made = f.dateTime(batch.createdAt, batch.timeZone);
  const route = t(`backoffice.export.route.${batch.route ?? "unknown"}`);
  const authority = batch.route ? t(`authority.${ROUTE_AUTHORITY[batch.route]}`) : route;
  // Who first downloaded the file, and when: the day once, where the state does not give it.
  const by = batch.downloadedByName ?? t("backoffice.export.someone");
  const downloaded =
    batch.stateWords === "MADE"
      ? null // The state says it is not downloaded yet.
      : batch.downloadedAt === null
        ? t("backoffice.export.notDownloaded")
        : batch.stateWords === "DOWNLOADED"
          ? t("backoffice.export.downloadedByName", { name: by })
          : t("backoffice.export.downloadedBy", {
              date: f.dateTime(batch.downloadedAt, batch.timeZone),
              name: by,
            });
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff/export">{t("backoffice.export.back")}</Link>
      </p>
      <h1>{t("backoffice.export.batchTitle", { route, date: made })}</h1>
      {result && "error" in result ? (
        <div className="notice notice--error" role="alert" data-testid="batch-result">
          <p>{t(result.error)}</p>
        </div>
      ) : null}
      {done ? (
        <div className="notice notice--info" role="status" data-testid="batch-result">
          <p>{t(`backoffice.export.done.${done}`)}</p>
        </div>
      ) : null}
      <dl className="facts card">
        <div>
          <dt>{t("backoffice.export.col.creditor")}</dt>
          <dd>{batch.creditorName}</dd>
        </div>
        <div>
          <dt>{t("backoffice.export.col.made")}</dt>
          <dd>
            {t("backoffice.export.madeBy", {
              date: made,
              name: batch.createdByName ?? t("backoffice.export.someone"),
            })}
          </dd>
        </div>
        <div>
          <dt>{t("backoffice.export.col.claims")}</dt>
          <dd>{batch.claims}</dd>
        </div>
        <div>
          <dt>{t("backoffice.export.col.total")}</dt>
          <dd className="amount">{f.money(batch.total, batch.currency)}</dd>
        </div>
        <div>
          <dt>{t("backoffice.export.col.state")}</dt>
          <dd>
            <span data-testid="batch-state">
              {t(`backoffice.export.state.${batch.stateWords}`, {
                date: batch.downloadedAt ? f.dateTime(batch.downloadedAt, batch.timeZone) : "",
              })}
            </span>
            {downloaded ? (
              <>
                <br />
                <span className="hint" data-testid="batch-downloaded">
                  {downloaded}
                </span>
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t("backoffice.export.col.file")}</dt>
          <dd>
            {batch.fileRemovedOn ? (
              <span data-testid="file-removed">
                {t("backoffice.export.fileRemoved", { date: f.date(batch.fileRemovedOn) })}
              </span>
            ) : (
              <a href={`/staff/export/${batch.id}/file`} download={batch.fileName}>
                {t("backoffice.export.downloadFile", { file: batch.fileName })}
              </a>
            )}
            <br />
            <span className="hint">
              {t("backoffice.export.checksum")} <code>{batch.sha256}</code>
            </span>
          </dd>
        </div>
      </dl>

      {batch.status === "FILED" ? (
        <p className="notice notice--info" data-testid="batch-receipt">
          {t("backoffice.export.received", {
            receipt: batch.receipt,
            name: batch.receiptByName ?? t("backoffice.export.someone"),
            date: batch.receiptAt ? f.dateTime(batch.receiptAt, batch.timeZone) : "",
          })}
        </p>
      ) : null}
      {batch.status === "UNDONE" ? (
        <p className="notice notice--info">
          {t("backoffice.export.undone", {
            reason: batch.undoReason,
            name: batch.undoneByName ?? t("backoffice.export.someone"),
            date: batch.undoneAt ? f.dateTime(batch.undoneAt, batch.timeZone) : "",
          })}
        </p>
      ) : null}

      {batch.status === "EXPORTED" ? (
        <>
          <section aria-labelledby="receipt-heading" className="card">
            <h2 id="receipt-heading">{t("backoffice.export.receiptHeading")}</h2>
            <p>{t("backoffice.export.receiptHint", { authority })}</p>
            <Form method="post" reloadDocument>
              <input type="hidden" name="intent" value="receipt" />
              <label htmlFor="receipt" className="field-label">
                {t("backoffice.export.receiptLabel")}
              </label>
              <input
                id="receipt"
                name="receipt"
                className="text-input"
                required
                maxLength={100}
                autoComplete="off"
              />
              <p>
                <button type="submit" className="button button--primary">
                  {t("backoffice.export.recordReceipt")}
                </button>
              </p>
            </Form>
          </section>
          <section aria-labelledby="undo-heading" className="card">
            <h2 id="undo-heading">{t("backoffice.export.undoHeading")}</h2>
            <p>{t("backoffice.export.undoHint")}</p>
            <Form method="post" reloadDocument>
              <input type="hidden" name="intent" value="undo" />
              <label htmlFor="undo-reason" className="field-label">
                {t("backoffice.export.undoReason")}
              </label>
              <textarea
                id="undo-reason"
                name="reason"
                className="text-input"
                required
                minLength={REASON_MIN}
                maxLength={REASON_MAX}
                rows={2}
              />
              <p>
                <button type="submit" className="button button--secondary">
                  {t("backoffice.export.undo")}
                </button>
              </p>
            </Form>
          </section>
        </>
      ) : null}

      <section aria-labelledby="claims-heading">
        <h2 id="claims-heading">{t("backoffice.export.claimsHeading")}</h2>
        {claims.length === 0 ? (
          <p>{t("backoffice.export.claimsGone")}</p>
        ) : (
          <table className="breakdown" data-testid="batch-claims">
            <thead>
              <tr>
                <th scope="col">{t("backoffice.export.col.claim")}</th>
                <th scope="col">{t("backoffice.export.col.resident")}</th>
                <th scope="col">{t("backoffice.export.col.stage")}</th>
              </tr>
            </thead>
            <tbody>
              {claims.map((c) => (
                <tr key={c.id} data-testid="batch-claim">
                  <th scope="row" data-label={t("backoffice.export.col.claim")}>
                    <Link to={`/staff/cases/${c.id}`}>{c.externalId}</Link>
                  </th>
                  <td data-label={t("backoffice.export.col.resident")}>{c.residentName}</td>
                  <td data-label={t("backoffice.export.col.stage")} data-testid="batch-claim-stage">
                    {c.status === "OPEN" ? (
                      <StageLabel stage={c.stage} country={country} own={c.ownEnforcement} />
                    ) : (
                      t(`backoffice.export.closed.${c.status}`)
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
