import { useTranslation } from "react-i18next";
import type { Country } from "~/domain/calendar-date";
import { legalBasisFor } from "~/domain/legal-basis";
import type { LegalFigures } from "~/domain/policy";
import type { Change, DraftContent } from "~/domain/policy-form";
import { useFormat } from "./format";

/**
 * A case flow in words a person who does not program reads: each step with its days, letter,
 * deadline and fee (with the rule that allows the fee and today's legal cap), then the policy's
 * other values. Used for the current policy, each version and a draft.
 */
export function CaseFlowWords(props: {
  policy: DraftContent;
  country: Country;
  currency: string;
  figures: LegalFigures;
  testId?: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const p = props.policy;
  const w = (k: string, o?: Record<string, unknown>) => t(`backoffice.caseFlows.words.${k}`, o);
  const money = (minor: number) => f.money(minor, props.currency);
  return (
    <div data-testid={props.testId}>
      <ol className="case-flow-steps">
        {p.steps.map((s, i) => {
          const basis = s.fee ? legalBasisFor(props.country, s.fee.kind) : null;
          const cap = s.fee ? props.figures.caps[s.fee.kind] : undefined;
          return (
            <li key={s.stage}>
              <strong>{t(`backoffice.caseFlows.stage.${s.stage}`)}</strong>:{" "}
              {w(i === 0 ? "afterDue" : "afterPrevious", { count: s.daysAfter })}{" "}
              {s.stage === "READY_FOR_ENFORCEMENT"
                ? w("queue", { amount: money(p.enforcementMinimum) })
                : s.notice
                  ? w("letter", { count: s.deadlineDays ?? 0 })
                  : w("noLetter")}{" "}
              {s.fee ? (
                <>
                  {w("fee", { amount: money(s.fee.amount) })}{" "}
                  {cap !== undefined ? w("cap", { amount: money(cap) }) : null}
                  {basis ? (
                    <span className="hint case-flow-basis"> {t(basis, { ns: "legal" })}</span>
                  ) : null}
                </>
              ) : s.stage !== "READY_FOR_ENFORCEMENT" ? (
                w("noFee")
              ) : null}
            </li>
          );
        })}
      </ol>
      <dl className="facts">
        <dt>{w("minimumLabel")}</dt>
        <dd>{w("minimum", { amount: money(p.enforcementMinimum) })}</dd>
        <dt>{w("interestLabel")}</dt>
        <dd>{p.chargesInterest ? w("interestYes") : w("interestNo")}</dd>
        <dt>{w("orderLabel")}</dt>
        <dd>{p.allocationOrder.map((c) => t(`backoffice.caseFlows.category.${c}`)).join(" → ")}</dd>
        <dt>{w("resumeLabel")}</dt>
        <dd>{w("days", { count: p.resumeDeadlineDays })}</dd>
        <dt>{w("postalLabel")}</dt>
        <dd>{w("days", { count: p.postalDays })}</dd>
        <dt>{w("plansLabel")}</dt>
        <dd>
          {p.planRules
            ? w("plans", {
                months: p.planRules.maxMonths,
                instalment: money(p.planRules.minInstalment),
                total: money(p.planRules.maxTotal),
                fee: money(p.planRules.planFee),
                deferral: p.planRules.maxDeferralMonths,
                stages: p.planRules.qualifyingStages
                  .map((s) => t(`backoffice.caseFlows.stage.${s}`))
                  .join(", "),
              })
            : w("plansStaff")}
        </dd>
        <dt>{w("writeOffLabel")}</dt>
        <dd>
          {p.writeOff
            ? [
                p.writeOff.belowMinor > 0
                  ? w("writeOffBelow", {
                      amount: money(p.writeOff.belowMinor),
                      count: p.writeOff.afterDays,
                    })
                  : null,
                p.writeOff.feesAndInterestOnly
                  ? w("writeOffFeesOnly", { count: p.writeOff.afterDays })
                  : null,
                w(p.writeOff.mode === "auto" ? "writeOffAuto" : "writeOffQueue"),
              ]
                .filter(Boolean)
                .join(" ")
            : w("writeOffNone")}
        </dd>
      </dl>
    </div>
  );
}

/** What changed between two versions, field by field, in the form's labels. */
export function ChangesTable(props: { changes: Change[]; currency: string; caption: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const show = (c: Change, v: string) => {
    if (c.kind === "bool") return v ? t("backoffice.caseFlows.yes") : t("backoffice.caseFlows.no");
    if (v === "") return "—";
    if (c.field.startsWith("allocation.")) return t(`backoffice.caseFlows.category.${v}`);
    if (c.kind === "choice") return t(`backoffice.caseFlows.writeOffMode.${v}`);
    if (c.kind === "money") return f.money(Math.round(Number(v) * 100), props.currency);
    return v;
  };
  if (props.changes.length === 0) return <p>{t("backoffice.caseFlows.noChanges")}</p>;
  return (
    <table className="queue-table stack-table">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("backoffice.caseFlows.col.what")}</th>
          <th scope="col">{t("backoffice.caseFlows.col.before")}</th>
          <th scope="col">{t("backoffice.caseFlows.col.after")}</th>
        </tr>
      </thead>
      <tbody>
        {props.changes.map((c) => (
          <tr key={c.field}>
            <th scope="row">{fieldLabel(t, c.field)}</th>
            <td data-label={t("backoffice.caseFlows.col.before")}>{show(c, c.before)}</td>
            <td data-label={t("backoffice.caseFlows.col.after")}>{show(c, c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A form field's name as staff read it: "Reminder: fee", "Plans: longest plan (months)". */
export function fieldLabel(t: (k: string) => string, field: string): string {
  const step = /^step\.(\w+)\.(\w+)$/.exec(field);
  if (step) return `${t(`backoffice.caseFlows.stage.${step[1]}`)}: ${t(`backoffice.caseFlows.field.${step[2]}`)}`; // prettier-ignore
  const stage = /^plan\.stage\.(\w+)$/.exec(field);
  if (stage) return `${t("backoffice.caseFlows.field.planStages")}: ${t(`backoffice.caseFlows.stage.${stage[1]}`)}`; // prettier-ignore
  const order = /^allocation\.(\d)$/.exec(field);
  if (order) return `${t("backoffice.caseFlows.field.allocation")} ${Number(order[1]) + 1}`;
  const plan = /^plan\.(\w+)$/.exec(field);
  if (plan) return t(`backoffice.caseFlows.field.plan_${plan[1]}`);
  const writeOff = /^writeOff\.(\w+)$/.exec(field);
  if (writeOff) return t(`backoffice.caseFlows.field.writeOff_${writeOff[1]}`);
  return t(`backoffice.caseFlows.field.${field}`);
}
