import { useTranslation } from "react-i18next";
import { BANDS } from "~/domain/amount-bands";
import {
  LETTER_KINDS,
  PAY_STAGES,
  type SimulationSide,
  type SimulationSummary,
} from "~/domain/policy-simulation";
import { useFormat } from "./format";
import { PairedBarChart } from "./simulation-chart";

/**
 * A stored simulation: the comparison as a table (current, draft, difference), the chart of
 * claims reaching the enforcement queue by amount band beside it, and the payment assumption.
 */
export function SimulationResult(props: {
  summary: SimulationSummary;
  currency: string;
  when: string;
  by: string | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const s = props.summary;
  const k = (key: string, o?: Record<string, unknown>) => t(`backoffice.caseFlows.sim.${key}`, o);
  const money = (n: number) => f.money(n, props.currency);
  const num = (n: number) => new Intl.NumberFormat(f.locale).format(n);
  const signed = (n: number, fmt: (n: number) => string) =>
    n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : fmt(0);
  const rows: {
    key: string;
    label: string;
    get: (x: SimulationSide) => number;
    isMoney?: boolean;
  }[] = [
    ...LETTER_KINDS.map((l) => ({ key: `letters-${l}`, label: k("letters", { kind: t(`backoffice.caseFlows.letter.${l}`) }), get: (x: SimulationSide) => x.letters[l] })), // prettier-ignore
    { key: "fees", label: k("fees"), get: (x) => x.feesTotal, isMoney: true },
    ...BANDS.map((b) => ({ key: `band-${b}`, label: k("queue", { band: t(`backoffice.caseFlows.band.${b}`) }), get: (x: SimulationSide) => x.enforcement[b].claims })), // prettier-ignore
    { key: "residents", label: k("residents"), get: (x) => x.residentsAffected },
    { key: "paid", label: k("paid"), get: (x) => x.paid },
    { key: "writeOffs", label: k("writeOffs"), get: (x) => x.writeOffs?.claims ?? 0 },
    { key: "writeOffAmount", label: k("writeOffAmount"), get: (x) => x.writeOffs?.amount ?? 0, isMoney: true }, // prettier-ignore
    { key: "writeOffQueued", label: k("writeOffQueued"), get: (x) => x.writeOffs?.queued ?? 0 },
  ];
  const e = s.estimate;
  const shares = PAY_STAGES.map((st) =>
    k("share", {
      stage: t(`backoffice.caseFlows.stage.${st}`),
      percent: Math.round(e.paidShare[st] * 100),
      count: e.paidAfterDays[st],
    }),
  ).join("; ");
  return (
    <div data-testid="simulation-result">
      <p>
        {k("intro", {
          days: s.days,
          from: f.date(s.asOf),
          claims: s.claims,
          residents: s.residents,
          version: s.currentVersion,
          when: props.when,
          by: props.by ?? k("commandLine"),
        })}
      </p>
      <p className="notice" data-testid="simulation-assumption">
        <strong>{k("assumptionLabel")}</strong>{" "}
        {e.source === "history"
          ? k("assumptionHistory", { count: e.observed, shares })
          : k("assumptionDefault", { shares })}{" "}
        {k("assumptionAll")}
      </p>
      <div className="sim-layout">
        <table className="queue-table stack-table" data-testid="simulation-table">
          <caption>{k("tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{k("what")}</th>
              <th scope="col">{k("current", { version: s.currentVersion })}</th>
              <th scope="col">{k("draft")}</th>
              <th scope="col">{k("difference")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const a = r.get(s.current);
              const b = r.get(s.draft);
              const fmt = r.isMoney ? money : num;
              return (
                <tr key={r.key} data-testid={`sim-row-${r.key}`}>
                  <th scope="row">{r.label}</th>
                  <td data-label={k("current", { version: s.currentVersion })}>{fmt(a)}</td>
                  <td data-label={k("draft")}>{fmt(b)}</td>
                  <td data-label={k("difference")}>{signed(b - a, fmt)}</td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">{k("differently")}</th>
              <td colSpan={3} data-label={k("difference")}>
                {num(s.residentsTreatedDifferently)}
              </td>
            </tr>
          </tbody>
        </table>
        <PairedBarChart
          title={k("chartTitle")}
          description={k("chartDescription")}
          labels={{ a: k("current", { version: s.currentVersion }), b: k("draft") }}
          categories={BANDS.map((b) => ({
            key: b,
            label: t(`backoffice.caseFlows.band.${b}`),
            a: s.current.enforcement[b].claims,
            b: s.draft.enforcement[b].claims,
          }))}
        />
      </div>
    </div>
  );
}
