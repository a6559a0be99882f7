import { useTranslation } from "react-i18next";

type Report = {
  dryRun: boolean;
  from: { name: string };
  into: { name: string };
  moved: { table: string; rows: number }[];
  kept: { table: string; rows: number }[];
  revokedApiKeys: number;
  renamedClaimTypes: { from: string; to: string }[];
  renamedInvoiceNumbers: number;
  lettersKeepingOldName: number;
  staffInBoth: number;
  unruled: string[];
};

const KNOWN = new Set([
  "ClaimType",
  "Policy",
  "Claim",
  "CaseNote",
  "PaymentPlan",
  "StaffTask",
  "EnforcementExport",
  "PrintBatch",
  "Event",
  "StaffCreditor",
  "ApiKey",
  "SweepRun",
]);

/** What a creditor merge moves (or would move), per kind, and what it renames or keeps. */
export function MergeReportTable({ report }: { report: Report }) {
  const { t, i18n } = useTranslation();
  const n = new Intl.NumberFormat(i18n.language);
  const m = (k: string, o?: Record<string, unknown>) => t(`staff.merge.${k}`, o);
  const kind = (table: string) =>
    KNOWN.has(table) ? m(`table.${table}`) : m("table.other", { table });
  return (
    <>
      <table className="breakdown" data-testid="merge-counts">
        <caption>
          {m(report.dryRun ? "countsCaption" : "countsCaptionDone", {
            from: report.from.name,
            into: report.into.name,
          })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{m("col.kind")}</th>
            <th scope="col" className="num">
              {m("col.rows")}
            </th>
          </tr>
        </thead>
        <tbody>
          {report.moved.map((r) => (
            <tr key={r.table} data-testid={`merge-moved-${r.table}`}>
              <th scope="row" data-label={m("col.kind")}>
                {kind(r.table)}
              </th>
              <td data-label={m("col.rows")} className="num">
                {n.format(r.rows)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{m("changesHeading")}</h3>
      <ul data-testid="merge-changes">
        {report.renamedClaimTypes.length === 0 ? <li>{m("noClaimTypeClash")}</li> : null}
        {report.renamedClaimTypes.map((c) => (
          <li key={c.from}>{m("claimTypeRenamed", { from: c.from, to: c.to })}</li>
        ))}
        <li>
          {m("invoiceNumbers", { count: report.renamedInvoiceNumbers, from: report.from.name })}
        </li>
        <li>{m("letters", { count: report.lettersKeepingOldName, from: report.from.name })}</li>
        <li>{m("apiKeys", { count: report.revokedApiKeys })}</li>
        <li>{m("staffInBoth", { count: report.staffInBoth })}</li>
        {report.kept
          .filter((k) => k.table === "SweepRun")
          .map((k) => (
            <li key={k.table}>{m("sweepRuns", { count: k.rows, from: report.from.name })}</li>
          ))}
        <li>{m("tombstone", { from: report.from.name })}</li>
        {report.unruled.length > 0 ? (
          <li>{m("unruled", { tables: report.unruled.map(kind).join(", ") })}</li>
        ) : null}
      </ul>
    </>
  );
}
