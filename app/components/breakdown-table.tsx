import { useTranslation } from "react-i18next";
import type { ClaimStatement, StatementLine } from "~/domain/claim-statement";
import { useFormat } from "./format";

/** Whose words: the resident's own page ("sent to you"), or the office's case view. */
type Audience = "resident" | "staff";

function LineCause({ line, audience }: { line: StatementLine; audience: Audience }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (line.type === "interest") {
    return (
      <>
        {t("breakdown.interestCause", { from: f.date(line.from), to: f.date(line.to) })}
        <ul className="plain-list rate-periods">
          {line.periods.map((p) => (
            <li key={p.from}>
              {t("breakdown.ratePeriod", {
                rate: f.percent(p.basisPoints),
                from: f.date(p.from),
                to: f.date(p.to),
              })}
            </li>
          ))}
        </ul>
      </>
    );
  }
  const key = audience === "staff" ? `staffEvent.${line.causeType}` : `cause.${line.causeType}`;
  return <>{t(key, { defaultValue: t("cause.other") })}</>;
}

/**
 * Every krone of the claim on its own row: what it is, when it arose, what caused it and the
 * rule that allows it, then payments and the total. Collapses to labelled blocks on a phone.
 */
export function BreakdownTable({
  statement,
  currency,
  audience = "resident",
}: {
  statement: ClaimStatement;
  currency: string;
  audience?: Audience;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const cols = {
    what: t("breakdown.col.what"),
    date: t("breakdown.col.date"),
    cause: t("breakdown.col.cause"),
    basis: t("breakdown.col.basis"),
    amount: t("breakdown.col.amount"),
  };
  return (
    <table className="breakdown" data-testid="breakdown">
      <caption>{t("breakdown.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{cols.what}</th>
          <th scope="col">{cols.date}</th>
          <th scope="col">{cols.cause}</th>
          <th scope="col">{cols.basis}</th>
          <th scope="col" className="num">
            {cols.amount}
          </th>
        </tr>
      </thead>
      <tbody>
        {statement.lines.map((line, i) => (
          <tr key={i} data-testid="charge-line">
            <th scope="row" data-label={cols.what}>
              {t(`chargeKind.${line.kind}`)}
            </th>
            <td data-label={cols.date} data-testid="charge-date">
              {f.date(line.type === "interest" ? line.to : line.chargedOn)}
            </td>
            <td data-label={cols.cause} data-testid="charge-cause">
              <LineCause audience={audience} line={line} />
            </td>
            <td data-label={cols.basis} data-testid="charge-basis">
              {t(`${line.legalBasis}`, { ns: "legal" })}
            </td>
            <td
              data-label={cols.amount}
              className="num amount"
              data-testid="charge-amount"
              data-minor={line.amount}
            >
              {f.money(line.amount, currency)}
            </td>
          </tr>
        ))}
        {statement.payments.flatMap((p, i) => [
          <tr key={`p${i}`} data-testid="payment-line" className="payment-row">
            <th scope="row" data-label={cols.what}>
              {t("breakdown.payment")}
            </th>
            <td data-label={cols.date}>{f.date(p.receivedOn)}</td>
            <td data-label={cols.cause}>
              {t(`paymentMethod.${p.method}`, { defaultValue: p.method })}
            </td>
            <td data-label={cols.basis}>
              {t(audience === "staff" ? "breakdown.paymentBasisStaff" : "breakdown.paymentBasis")}
            </td>
            <td
              data-label={cols.amount}
              className="num amount"
              data-testid="payment-amount"
              data-minor={-p.amount}
            >
              {f.money(-p.amount, currency)}
            </td>
          </tr>,
          // The interest this payment's settlement waived (decision 0099), so the lines add up.
          ...(p.waived
            ? [
                <tr key={`w${i}`} data-testid="waiver-line" className="payment-row">
                  <th scope="row" data-label={cols.what}>
                    {t("breakdown.waived")}
                  </th>
                  <td data-label={cols.date}>{f.date(p.receivedOn)}</td>
                  <td data-label={cols.cause}>{t("breakdown.waivedCause")}</td>
                  <td data-label={cols.basis}>{t("breakdown.waivedBasis")}</td>
                  <td
                    data-label={cols.amount}
                    className="num amount"
                    data-testid="waiver-amount"
                    data-minor={-p.waived}
                  >
                    {f.money(-p.waived, currency)}
                  </td>
                </tr>,
              ]
            : []),
        ])}
      </tbody>
      <tfoot>
        {/* A written-off claim: what was left, no longer owed and never paid (decision 0106). */}
        {statement.balance.writtenOff ? (
          <tr data-testid="written-off-row">
            <th scope="row" colSpan={4}>
              {t("breakdown.writtenOff")}
            </th>
            <td
              className="num amount"
              data-label={t("breakdown.writtenOff")}
              data-testid="written-off"
              data-minor={-statement.balance.writtenOff}
            >
              {f.money(-statement.balance.writtenOff, currency)}
            </td>
          </tr>
        ) : null}
        <tr>
          <th scope="row" colSpan={4}>
            {t("breakdown.totalDue")}
          </th>
          <td
            className="num amount"
            data-label={t("breakdown.totalDue")}
            data-testid="total-due"
            data-minor={statement.balance.total}
          >
            {f.money(statement.balance.total, currency)}
          </td>
        </tr>
        {/* Only booked credit, which has its refund task: never a figure nobody will pay back. */}
        {statement.balance.refundDue > 0 ? (
          <tr>
            <th scope="row" colSpan={4}>
              {t("breakdown.credit")}
            </th>
            <td
              className="num amount"
              data-label={t("breakdown.credit")}
              data-testid="refund-due"
              data-minor={statement.balance.refundDue}
            >
              {f.money(statement.balance.refundDue, currency)}
            </td>
          </tr>
        ) : null}
      </tfoot>
    </table>
  );
}
