import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";

type PaymentRow = {
  id: string;
  receivedOn: string;
  amount: number;
  method: string;
  refunded: number;
};

/** A claim's payments, oldest first, each with a link to its receipt. */
export function PaymentHistory(props: { payments: PaymentRow[]; currency: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section aria-labelledby="payments-heading" className="payment-history">
      <h2 id="payments-heading">{t("history.paymentsHeading")}</h2>
      {props.payments.length === 0 ? (
        <p className="hint">{t("history.paymentsNone")}</p>
      ) : (
        <>
          <p className="hint">{t("history.paymentsIntro")}</p>
          <table className="money-table" data-testid="payment-history">
            <caption className="visually-hidden">{t("history.paymentsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("history.col.date")}</th>
                <th scope="col">{t("history.col.method")}</th>
                <th scope="col" className="num">
                  {t("history.col.amount")}
                </th>
                <th scope="col">{t("history.col.receipt")}</th>
              </tr>
            </thead>
            <tbody>
              {props.payments.map((p) => {
                const amount = f.money(p.amount, props.currency);
                const date = f.date(p.receivedOn);
                return (
                  <tr key={p.id}>
                    <td data-label={t("history.col.date")}>{date}</td>
                    <td data-label={t("history.col.method")}>
                      {t(`paymentMethod.${p.method}`, { defaultValue: p.method })}
                    </td>
                    <td className="num amount" data-label={t("history.col.amount")}>
                      {amount}
                      {p.refunded > 0 ? (
                        <span className="hint">
                          {" "}
                          ({t("history.refunded", { amount: f.money(p.refunded, props.currency) })})
                        </span>
                      ) : null}
                    </td>
                    <td data-label={t("history.col.receipt")}>
                      <Link to={`/receipts/${p.id}`}>
                        {t("history.seeReceipt")}
                        <span className="visually-hidden">
                          : {t("history.receiptFor", { amount, date })}
                        </span>
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
