import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BAND_LIMITS } from "~/domain/amount-bands";
import {
  ALERT_RANGES,
  BANDED_FIGURES,
  MAX_ALERT_RULES,
  type FigureAlert,
  type FigureAlertRule,
  type FigureTable,
} from "~/domain/figures";
import { FigureChart } from "./figure-chart";
import { useFormat } from "./format";

/*
 * The figures page's parts: the words (months, bands, alert lines, values) in the staff member's
 * language, one table with its chart and CSV link, and the alert-threshold form.
 */

// Which columns a table's chart draws, and how: counts stacked, or lines for things that do not add up.
const CHART: Record<string, { kind: "stack" | "line"; columns: string[] }> = {
  received: { kind: "stack", columns: ["b0", "b1", "b2", "b3", "b4"] },
  letters: { kind: "stack", columns: ["reminders", "collectionNotices", "paymentDemands"] },
  queued: { kind: "stack", columns: ["b0", "b1", "b2", "b3", "b4"] },
  filed: { kind: "stack", columns: ["b0", "b1", "b2", "b3", "b4"] },
  fees: { kind: "line", columns: ["share"] },
  paid: {
    kind: "stack",
    columns: [
      "invoiced",
      "reminder",
      "collectionNotice",
      "paymentDemand",
      "enforcementQueue",
      "filed",
    ],
  },
  plans: { kind: "line", columns: ["granted", "kept", "broken"] },
  objections: { kind: "line", columns: ["objected", "upheld", "rejected"] },
  writtenOff: { kind: "stack", columns: ["b0", "b1", "b2", "b3", "b4"] },
};

export type FigureWords = ReturnType<typeof useFigureWords>;

export function useFigureWords(currency: string) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const whole = new Intl.NumberFormat(f.locale, {
    style: "currency",
    currency,
    maximumFractionDigits: 0,
  });
  const monthLong = new Intl.DateTimeFormat(f.locale, {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  const monthShort = new Intl.DateTimeFormat(f.locale, {
    month: "short",
    year: "2-digit",
    timeZone: "UTC",
  });
  const asDate = (m: string) => new Date(`${m}-01T00:00:00Z`);
  const amount = (main: number) => whole.format(main);
  const band = (b: string) => {
    const i = Number(b.slice(1));
    if (i === 0) return t("backoffice.figures.band.under", { amount: amount(BAND_LIMITS[0]) });
    if (i === BAND_LIMITS.length)
      return t("backoffice.figures.band.over", { amount: amount(BAND_LIMITS[i - 1]!) });
    return t("backoffice.figures.band.between", {
      from: amount(BAND_LIMITS[i - 1]!),
      to: amount(BAND_LIMITS[i]!),
    });
  };
  const column = (c: string) => (/^b\d$/.test(c) ? band(c) : t(`backoffice.figures.col.${c}`));
  const range = (r: string) => {
    if (r === "all") return t("backoffice.figures.range.all");
    const b = r.slice(-2);
    if (r.startsWith("only:")) return band(b);
    const i = Number(b.slice(1));
    return t("backoffice.figures.band.under", { amount: amount(BAND_LIMITS[i]!) });
  };
  const figure = (k: string) => t(`backoffice.figures.figure.${k}`);
  const month = (m: string) => monthLong.format(asDate(m));
  return {
    t,
    f,
    currency,
    month,
    monthShort: (m: string) => monthShort.format(asDate(m)),
    column,
    range,
    figure,
    typeName: (c: { name: string; names: Record<string, string> }) =>
      c.names[i18n.language] ?? c.name,
    value: (column: string, v: number | null) => {
      if (v === null) return "–";
      if (column === "principal" || column === "fees") return f.money(v, currency);
      if (column === "share") return f.percent(v);
      if (column === "medianDays") return t("backoffice.figures.days", { count: v });
      return v.toLocaleString(f.locale);
    },
    alert: (a: FigureAlert) =>
      a.risePercent === null
        ? t("backoffice.figures.alerts.fromNone", {
            figure: figure(a.rule.figure),
            range: range(a.rule.range),
            count: a.count,
            month: month(a.month),
            lastYearMonth: month(a.lastYearMonth),
          })
        : t("backoffice.figures.alerts.rise", {
            figure: figure(a.rule.figure),
            range: range(a.rule.range),
            count: a.count,
            month: month(a.month),
            rise: a.risePercent,
            lastYear: a.lastYear,
            lastYearMonth: month(a.lastYearMonth),
            threshold: a.rule.risePercent,
          }),
  };
}

/** One table of figures with its chart beside it and its CSV download. */
export function FigureTableView(props: {
  table: FigureTable;
  words: FigureWords;
  csvHref: string;
}) {
  const { table, words: w } = props;
  const { t } = w;
  const chart = CHART[table.id]!;
  const caption = t(`backoffice.figures.table.${table.id}.caption`);
  const idx = (c: string) => table.columns.indexOf(c);
  return (
    <section
      aria-labelledby={`fig-${table.id}`}
      className="figure-block"
      data-testid={`figures-${table.id}`}
    >
      <h2 id={`fig-${table.id}`}>{caption}</h2>
      <p className="hint">{t(`backoffice.figures.table.${table.id}.about`)}</p>
      <div className="figure-block__body">
        <FigureChart
          id={`chart-${table.id}`}
          title={caption}
          description={t("backoffice.figures.chartDesc", {
            what: t(`backoffice.figures.table.${table.id}.about`),
            first: w.month(table.rows[0]!.month),
            last: w.month(table.rows[table.rows.length - 1]!.month),
          })}
          labels={table.rows.map((r) => w.monthShort(r.month))}
          kind={chart.kind}
          series={chart.columns.map((c) => ({
            key: c,
            label: w.column(c),
            values: table.rows.map((r) => r.values[idx(c)] ?? null),
          }))}
          formatValue={(v) => (table.id === "fees" ? w.f.percent(v) : v.toLocaleString(w.f.locale))}
        />
        <table className="queue-table figure-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t("backoffice.figures.col.month")}</th>
              {table.columns.map((c) => (
                <th scope="col" key={c}>
                  {w.column(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) => (
              <tr key={r.month}>
                <th scope="row">{w.month(r.month)}</th>
                {r.values.map((v, i) => (
                  <td key={table.columns[i]} data-label={w.column(table.columns[i]!)}>
                    {w.value(table.columns[i]!, v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href={props.csvHref} download data-testid={`csv-${table.id}`}>
          {t("backoffice.figures.csv", { table: caption })}
        </a>
      </p>
    </section>
  );
}

/** The creditor's alert thresholds: shown to all, changed by supervisors and admins. */
export function FigureAlertsForm(props: {
  creditorId: string;
  rules: FigureAlertRule[];
  canEdit: boolean;
  busy: boolean;
  result: { saved: boolean; errors: string[] } | null;
  words: FigureWords;
}) {
  const { words: w } = props;
  const { t } = w;
  const rows = [...props.rules, null].slice(0, MAX_ALERT_RULES);
  const field = (k: string) => t(`backoffice.figures.alertsForm.${k}`);
  return (
    <section aria-labelledby="fig-thresholds" className="figure-block">
      <h2 id="fig-thresholds">{field("heading")}</h2>
      <p className="hint">{field("hint")}</p>
      {props.result?.saved ? <p role="status">{field("saved")}</p> : null}
      {props.result && props.result.errors.length > 0 ? (
        <div role="alert" className="error-summary">
          <p>{field("invalid")}</p>
          <ul>
            {props.result.errors.map((e) => {
              const [row, name] = e.split(":");
              return (
                <li key={e}>
                  {name
                    ? t("backoffice.figures.alertsForm.errorRow", { row, field: field(name) })
                    : field("tooMany")}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
      {!props.canEdit ? <p>{field("readOnly")}</p> : null}
      <Form method="post" replace>
        <input type="hidden" name="creditor" value={props.creditorId} />
        {/* Three fields side by side are wider than a phone: the table scrolls, not the page. */}
        <div className="table-scroll">
          <table className="queue-table">
            <caption>{field("caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{field("figure")}</th>
                <th scope="col">{field("range")}</th>
                <th scope="col">{field("risePercent")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${i}-${r?.figure ?? "new"}`} data-testid="alert-rule">
                  <td>
                    <label className="visually-hidden" htmlFor={`rule-${i}-figure`}>
                      {`${field("figure")} ${i + 1}`}
                    </label>
                    <select
                      id={`rule-${i}-figure`}
                      name={`rule-${i}-figure`}
                      defaultValue={r?.figure ?? "filed"}
                      disabled={!props.canEdit}
                    >
                      {BANDED_FIGURES.map((k) => (
                        <option key={k} value={k}>
                          {w.figure(k)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={`rule-${i}-range`}>
                      {`${field("range")} ${i + 1}`}
                    </label>
                    <select
                      id={`rule-${i}-range`}
                      name={`rule-${i}-range`}
                      defaultValue={r?.range ?? "upTo:b1"}
                      disabled={!props.canEdit}
                    >
                      {ALERT_RANGES.map((k) => (
                        <option key={k} value={k}>
                          {w.range(k)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <label className="visually-hidden" htmlFor={`rule-${i}-percent`}>
                      {`${field("risePercent")} ${i + 1}`}
                    </label>
                    <input
                      id={`rule-${i}-percent`}
                      name={`rule-${i}-percent`}
                      inputMode="numeric"
                      size={6}
                      defaultValue={r ? String(r.risePercent) : ""}
                      disabled={!props.canEdit}
                    />{" "}
                    %
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {props.canEdit ? (
          <button type="submit" className="button" disabled={props.busy}>
            {field("save")}
          </button>
        ) : null}
      </Form>
    </section>
  );
}
