import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { useStaffTime } from "~/components/staff-time";
import { BANK_FILE_MAX_BYTES } from "~/services/backoffice/bank-upload.server";
import { requireStaff } from "~/services/identity/staff-auth.server";
import {
  receiveBankUpload,
  recentBankImports,
  type BankUploadOutcome,
} from "~/services/backoffice/bank-files.server";

const ROLES = ["SUPERVISOR", "ADMIN"] as const;
const ACCEPT = ".xml,.txt,.dat,.ocr,.bgm,text/plain,text/xml,application/xml";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, { roles: [...ROLES] });
  return {
    imports: await recentBankImports(),
    maxMegabytes: Math.floor((BANK_FILE_MAX_BYTES / (1024 * 1024)) * 10) / 10,
  };
}

export async function action({ request }: ActionFunctionArgs): Promise<BankUploadOutcome> {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  // Streamed to a temporary file, never held whole (decision 0109); removed once imported.
  return receiveBankUpload(staff, request);
}

function Outcome({ outcome }: { outcome: BankUploadOutcome }) {
  const { t } = useTranslation();
  if (!outcome.ok) {
    return (
      <div className="notice notice--error" role="alert" data-testid="import-result">
        <p>
          {outcome.error === "bad_file"
            ? t("bankFiles.error.bad_file", { line: outcome.line, message: outcome.message })
            : t(`bankFiles.error.${outcome.error}`)}
        </p>
        <p>{t("bankFiles.nothingStored")}</p>
      </div>
    );
  }
  const r = outcome.result;
  const toStaff = r.overpaid + r.unmatched + r.mismatched;
  return (
    <div className="notice notice--info" role="status" data-testid="import-result">
      <p>
        {t("bankFiles.result.heading", {
          name: outcome.fileName,
          format: t(`bankFiles.format.${r.format}`),
          fileId: r.fileId,
        })}
      </p>
      {r.duplicate ? (
        <p>
          <strong>{t("bankFiles.result.duplicate")}</strong>
        </p>
      ) : (
        <ul>
          <li>{t("bankFiles.result.entries", { count: r.entries })}</li>
          <li>{t("bankFiles.result.matched", { count: r.matched })}</li>
          <li>{t("bankFiles.result.overpaid", { count: r.overpaid })}</li>
          <li>{t("bankFiles.result.unmatched", { count: r.unmatched })}</li>
          <li>{t("bankFiles.result.mismatched", { count: r.mismatched })}</li>
          {r.alreadyImported > 0 ? (
            <li>{t("bankFiles.result.alreadyImported", { count: r.alreadyImported })}</li>
          ) : null}
        </ul>
      )}
      {toStaff > 0 ? (
        <p>
          <Link to="/staff/queues/unmatched">{t("backoffice.queue.unmatched")}</Link> ·{" "}
          <Link to="/staff/queues/credits">{t("backoffice.queue.credits")}</Link> ·{" "}
          <Link to="/staff/queues/mismatches">{t("backoffice.queue.mismatches")}</Link>
        </p>
      ) : null}
    </div>
  );
}

/** Bank files for the office's accounts: upload one, see what it did, and what came before. */
export default function BankFilesPage() {
  const { imports, maxMegabytes } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const time = useStaffTime();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("bankFiles.title")}</h1>
      <p>{t("bankFiles.intro")}</p>
      {outcome ? <Outcome outcome={outcome} /> : null}
      <Form method="post" encType="multipart/form-data" reloadDocument className="card">
        <label htmlFor="bank-file" className="field-label">
          {t("bankFiles.fileLabel")}
        </label>
        <p id="bank-file-hint" className="hint">
          {t("bankFiles.fileHint", { size: maxMegabytes })}
        </p>
        <input
          id="bank-file"
          name="file"
          type="file"
          accept={ACCEPT}
          required
          aria-describedby="bank-file-hint"
        />
        <p>
          <button type="submit" className="button button--primary">
            {t("bankFiles.submit")}
          </button>
        </p>
      </Form>
      <section aria-labelledby="imports-heading">
        <h2 id="imports-heading">{t("bankFiles.recent")}</h2>
        {imports.length === 0 ? (
          <p>{t("bankFiles.none")}</p>
        ) : (
          <table className="breakdown" data-testid="bank-imports">
            <caption>{t("bankFiles.recentCaption", { count: imports.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("bankFiles.col.file")}</th>
                <th scope="col">{t("bankFiles.col.when")}</th>
                <th scope="col">{t("bankFiles.col.entries")}</th>
                <th scope="col">{t("bankFiles.col.outcome")}</th>
                <th scope="col">{t("bankFiles.col.by")}</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id} data-testid="bank-import">
                  <th scope="row" data-label={t("bankFiles.col.file")}>
                    {i.fileName ?? i.fileId}
                    <span className="hint">
                      {" "}
                      {t(`bankFiles.format.${i.format}`, { defaultValue: i.format })} {i.fileId}
                      {i.sha256 ? ` · SHA-256 ${i.sha256.slice(0, 12)}…` : ""}
                    </span>
                  </th>
                  <td data-label={t("bankFiles.col.when")}>{time.dateTime(i.importedAt)}</td>
                  <td data-label={t("bankFiles.col.entries")}>
                    {i.entries}
                    {i.currency ? ` (${f.money(i.total, i.currency)})` : ""}
                  </td>
                  <td data-label={t("bankFiles.col.outcome")}>
                    {t("bankFiles.outcomeLine", {
                      matched: i.counts.MATCHED,
                      toStaff: i.counts.OVERPAID + i.counts.UNMATCHED + i.counts.MISMATCH,
                    })}
                  </td>
                  <td data-label={t("bankFiles.col.by")}>{i.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
