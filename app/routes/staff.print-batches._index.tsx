import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { requireStaff } from "~/services/identity/staff-auth.server";
import { listPrintBatches } from "~/services/letters/print-batches.server";

// The archives hold every paper letter of a day, names and addresses included: supervisors and
// admins, as for bank files and the enforcement export (docs/decisions/0095).
const ROLES = ["SUPERVISOR", "ADMIN"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...ROLES] });
  const batches = await listPrintBatches(staff.creditorIds);
  return {
    batches: batches.map((b) => ({
      id: b.id,
      creditorName: b.creditorName,
      day: b.day,
      fileName: b.fileName,
      letters: b.letters,
      size: b.size,
      sha256: b.sha256.slice(0, 12),
      where: b.deliveredTo.startsWith("sftp:")
        ? { kind: "sftp" as const, host: b.deliveredTo.slice(5).split("/")[0] ?? "" }
        : { kind: "directory" as const, host: "" },
    })),
  };
}

/** A file size as people read it (kB, MB), in the reader's language. */
function useSize() {
  const { locale } = useFormat();
  return (bytes: number) => {
    const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
    let i = 0;
    let n = bytes;
    while (n >= 1000 && i < units.length - 1) {
      n /= 1000;
      i += 1;
    }
    return new Intl.NumberFormat(locale, {
      style: "unit",
      unit: units[i],
      unitDisplay: "short",
      maximumFractionDigits: i === 0 ? 0 : 1,
    })
      .format(n)
      .replace(/ /g, "\u00a0");
  };
}

/** The day's paper letters, batch by batch, with the archive to download. */
export default function PrintBatchesPage() {
  const { batches } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const size = useSize();
  const col = (k: string) => t(`backoffice.printBatches.col.${k}`);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("backoffice.printBatches.title")}</h1>
      <p className="lead">{t("backoffice.printBatches.intro")}</p>
      {batches.length === 0 ? (
        <p>{t("backoffice.printBatches.none")}</p>
      ) : (
        <table className="breakdown" data-testid="print-batches">
          <thead>
            <tr>
              <th scope="col">{col("day")}</th>
              <th scope="col">{col("creditor")}</th>
              <th scope="col" className="num">
                {col("letters")}
              </th>
              <th scope="col" className="num">
                {col("size")}
              </th>
              <th scope="col">{col("where")}</th>
              <th scope="col">{col("checksum")}</th>
              <th scope="col">{col("file")}</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id} data-testid="print-batch">
                <th scope="row" data-label={col("day")}>
                  {f.date(b.day)}
                </th>
                <td data-label={col("creditor")}>{b.creditorName}</td>
                <td data-label={col("letters")} className="num">
                  {b.letters}
                </td>
                <td data-label={col("size")} className="num">
                  {size(b.size)}
                </td>
                <td data-label={col("where")}>
                  {t(`backoffice.printBatches.where.${b.where.kind}`, { host: b.where.host })}
                </td>
                <td data-label={col("checksum")}>
                  <code>{b.sha256}</code>
                </td>
                <td data-label={col("file")}>
                  <a
                    href={`/staff/print-batches/${b.id}`}
                    download
                    aria-label={t("backoffice.printBatches.downloadLabel", { file: b.fileName })}
                  >
                    {t("backoffice.printBatches.download")}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
