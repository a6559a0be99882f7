import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { REQUIRED_CSV_COLUMNS, CSV_COLUMNS } from "~/services/claims/claim-file.server";
import {
  CLAIM_FILE_MAX_BYTES,
  recentClaimImports,
  saveClaimUpload,
  startUploadedImport,
} from "~/services/claims/claim-upload.server";
import { listStaffCreditors, requireStaff } from "~/services/identity/staff-auth.server";

const ROLES = ["SUPERVISOR", "ADMIN"] as const;
const ACCEPT = ".csv,.jsonl,.ndjson,.txt,text/csv,text/plain,application/x-ndjson";

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  return {
    creditors: await listStaffCreditors(staff),
    imports: await recentClaimImports(staff.creditorIds),
    required: REQUIRED_CSV_COLUMNS.join(","),
    optional: CSV_COLUMNS.slice(REQUIRED_CSV_COLUMNS.length).join(","),
    maxMegabytes: CLAIM_FILE_MAX_BYTES / (1024 * 1024),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  const upload = await saveClaimUpload(request);
  if (!upload.ok) return { error: upload.error };
  if (!staff.creditorIds.includes(upload.creditorId)) return { error: "no_creditor" as const };
  const id = await startUploadedImport(staff.staffId, staff.role as (typeof ROLES)[number], upload);
  return redirect(`/staff/imports/${id}`, 303);
}

/** Claims files for a creditor: upload one, follow it, and see the ones before. */
export default function ClaimImportsPage() {
  const { creditors, imports, required, optional, maxMegabytes } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("claimImports.title")}</h1>
      <p>{t("claimImports.intro")}</p>
      <details>
        <summary>{t("claimImports.formatSummary")}</summary>
        <p>{t("claimImports.formatCsv")}</p>
        <pre>
          <code>{required}</code>
        </pre>
        <p>{t("claimImports.formatOptional")}</p>
        <pre>
          <code>{optional}</code>
        </pre>
        <p>{t("claimImports.formatJson")}</p>
      </details>
      {outcome?.error ? (
        <div className="notice notice--error" role="alert">
          <p>{t(`claimImports.error.${outcome.error}`, { size: maxMegabytes })}</p>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" reloadDocument className="card">
        <label htmlFor="import-creditor" className="field-label">
          {t("claimImports.creditorLabel")}
        </label>
        <select id="import-creditor" name="creditorId" required>
          {creditors.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <label htmlFor="import-file" className="field-label">
          {t("claimImports.fileLabel")}
        </label>
        <p id="import-file-hint" className="hint">
          {t("claimImports.fileHint", { size: maxMegabytes })}
        </p>
        <input
          id="import-file"
          name="file"
          type="file"
          accept={ACCEPT}
          required
          aria-describedby="import-file-hint"
        />
        <p>
          <button type="submit" className="button button--primary">
            {t("claimImports.submit")}
          </button>
        </p>
      </Form>
      <section aria-labelledby="claim-imports-heading">
        <h2 id="claim-imports-heading">{t("claimImports.recent")}</h2>
        {imports.length === 0 ? (
          <p>{t("claimImports.none")}</p>
        ) : (
          <table className="breakdown" data-testid="claim-imports">
            <caption>{t("claimImports.recentCaption", { count: imports.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("claimImports.col.file")}</th>
                <th scope="col">{t("claimImports.col.creditor")}</th>
                <th scope="col">{t("claimImports.col.when")}</th>
                <th scope="col">{t("claimImports.col.outcome")}</th>
                <th scope="col">{t("claimImports.col.by")}</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id}>
                  <th scope="row" data-label={t("claimImports.col.file")}>
                    <Link to={`/staff/imports/${i.id}`}>{i.fileName}</Link>
                  </th>
                  <td data-label={t("claimImports.col.creditor")}>{i.creditorName}</td>
                  <td data-label={t("claimImports.col.when")}>
                    {f.dateTime(i.startedAt, i.timeZone)}
                  </td>
                  <td data-label={t("claimImports.col.outcome")}>
                    {t(`claimImports.status.${i.status}`)}:{" "}
                    {t("claimImports.outcomeLine", {
                      created: i.created,
                      unchanged: i.unchanged,
                      refused: i.invalid + i.conflicts,
                    })}
                  </td>
                  <td data-label={t("claimImports.col.by")}>
                    {i.by ?? t("claimImports.byCommandLine")}
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
