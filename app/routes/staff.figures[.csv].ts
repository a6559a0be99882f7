import type { LoaderFunctionArgs } from "@remix-run/node";
import { BAND_LIMITS } from "~/domain/amount-bands";
import { i18next } from "~/i18n/i18next.server";
import { figureCsvName, figureTableCsv } from "~/services/backoffice/figures-csv.server";
import { figureCreditors, loadFigures } from "~/services/backoffice/figures.server";
import { parseFigureQuery } from "~/services/backoffice/figures-input.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

const plain = (status: number, text: string) =>
  new Response(text, {
    status,
    headers: { "Cache-Control": "private, no-store", "Content-Type": "text/plain; charset=utf-8" },
  });

/**
 * One table of the figures page as a CSV download: /staff/figures.csv?creditor=&type=&months=&table=.
 * A resource route, so the page's plain link works with JavaScript on or off. 404 for a creditor
 * or claim type that is not the staff member's, 400 for a malformed query.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const creditors = await figureCreditors(staff);
  const params = new URL(request.url).searchParams;
  if (!params.get("creditor") || !params.get("table")) return plain(400, "Bad request");
  const q = parseFigureQuery(params, creditors);
  if (!q.ok) return plain(q.status, q.status === 404 ? "Not found" : "Bad request");
  const figures = await loadFigures(staff, q.value, new Date());
  const table = figures?.tables.find((tb) => tb.id === q.value.table);
  if (!figures || !table) return plain(404, "Not found");
  const t = await i18next.getFixedT(request);
  const whole = (n: number) => `${n.toLocaleString("en-GB")} ${figures.creditor.currency}`;
  const column = (c: string) => {
    if (!/^b\d$/.test(c)) return t(`backoffice.figures.col.${c}`);
    const i = Number(c.slice(1));
    if (i === 0) return t("backoffice.figures.band.under", { amount: whole(BAND_LIMITS[0]) });
    if (i === BAND_LIMITS.length)
      return t("backoffice.figures.band.over", { amount: whole(BAND_LIMITS[i - 1]!) });
    return t("backoffice.figures.band.between", {
      from: whole(BAND_LIMITS[i - 1]!),
      to: whole(BAND_LIMITS[i]!),
    });
  };
  const body = figureTableCsv(table, {
    month: t("backoffice.figures.col.month"),
    columns: table.columns.map(column),
  });
  const name = figureCsvName(figures.creditor.slug, table);
  return new Response(body, {
    headers: {
      "Cache-Control": "private, no-store",
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "X-Content-Type-Options": "nosniff",
    },
  });
}
