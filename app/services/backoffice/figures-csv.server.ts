import { csvCell, decimal } from "~/integrations/enforcement/csv";
import { MONEY_COLUMNS, SHARE_COLUMNS, type FigureTable } from "~/domain/figures";

/*
 * One table of the figures page as CSV (RFC 4180: comma-separated, CRLF, a header line in the
 * staff member's language), with a byte-order mark so spreadsheet programs read æ, ø and å. Months
 * are written YYYY-MM and amounts as plain decimals in the currency's main unit ("1234.50"), which
 * every spreadsheet reads as a month and a number; shares are percentages ("12.5").
 */
export function figureTableCsv(
  table: FigureTable,
  header: { month: string; columns: string[] },
): string {
  const lines = [[header.month, ...header.columns].map(csvCell).join(",")];
  for (const row of table.rows) {
    const cells = row.values.map((v, i) => {
      if (v === null) return "";
      const column = table.columns[i]!;
      if (MONEY_COLUMNS.has(column)) return decimal(v);
      if (SHARE_COLUMNS.has(column)) return String(v / 100);
      return String(v);
    });
    lines.push([row.month, ...cells].join(","));
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** The download's file name: figures-<creditor>-<table>-<first month>-<last month>.csv. */
export function figureCsvName(creditorSlug: string, table: FigureTable): string {
  const first = table.rows[0]?.month ?? "";
  const last = table.rows[table.rows.length - 1]?.month ?? "";
  const slug = creditorSlug.replace(/[^A-Za-z0-9-]/g, "-");
  return `figures-${slug}-${table.id}-${first}-${last}.csv`;
}
