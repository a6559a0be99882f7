import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { requireResident } from "~/services/identity/resident-auth.server";
import { getResidentReceipt } from "~/services/portal/history.server";

/** A receipt is text to read and print: no JavaScript (see `hydrate` in root.tsx). */
export const handle = { hydrate: false };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const resident = await requireResident(request, context);
  const receipt = resident.residentId
    ? await getResidentReceipt(resident.residentId, params.paymentId ?? "")
    : null;
  // Someone else's payment looks exactly like one that does not exist.
  if (!receipt) throw new Response("Not found", { status: 404 });
  return { receipt };
}

/**
 * The receipt of one payment: when, how much, how and with what reference, and for each bill it
 * paid what went to fees, interest and the original amount and what was left afterwards. It
 * prints on one A4 page (the print rules in app.css).
 */
export default function ReceiptPage() {
  const { receipt } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const money = (amount: number) => f.money(amount, receipt.currency);
  return (
    <div className="page page--narrow receipt">
      <p className="breadcrumb">
        <Link to="/claims">{t("receiptPage.back")}</Link>
      </p>
      <h1>
        {t("receiptPage.title")}
        <span className="subtitle">
          {t("receiptPage.subtitle", { amount: money(receipt.total) })}
        </span>
      </h1>
      <section className="card summary" aria-label={t("receiptPage.title")}>
        <dl className="facts facts--stacked">
          <div>
            <dt>{t("receiptPage.date")}</dt>
            <dd data-testid="receipt-date">{f.date(receipt.paidOn)}</dd>
          </div>
          <div>
            <dt>{t("receiptPage.amount")}</dt>
            <dd className="amount" data-testid="receipt-amount">
              {money(receipt.total)}
            </dd>
          </div>
          <div>
            <dt>{t("receiptPage.method")}</dt>
            <dd data-testid="receipt-method">
              {t(`paymentMethod.${receipt.method}`, { defaultValue: receipt.method })}
            </dd>
          </div>
          <div>
            <dt>{t(`receiptPage.reference.${receipt.reference.kind}`)}</dt>
            <dd className="reference" data-testid="receipt-reference">
              {receipt.reference.value}
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="receipt-paid-heading">
        <h2 id="receipt-paid-heading">{t("receiptPage.paidHeading")}</h2>
        {receipt.claims.map((c) => {
          const headingId = `receipt-claim-${c.paymentId}`;
          return (
            <article
              key={c.paymentId}
              className="receipt__claim"
              aria-labelledby={headingId}
              data-testid="receipt-claim"
            >
              <h3 id={headingId}>
                {f.localName(c.typeNames, c.typeName)}
                <span className="subtitle">{c.creditorName}</span>
              </h3>
              <p className="claim-description">{c.description}</p>
              <table className="money-table">
                <caption className="visually-hidden">{t("receiptPage.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("receiptPage.col.what")}</th>
                    <th scope="col" className="num">
                      {t("receiptPage.col.amount")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {c.lines.map((l) => (
                    <tr key={l.category} data-testid="receipt-line">
                      <th scope="row">{t(`receiptPage.category.${l.category}`)}</th>
                      <td className="num amount">{money(l.amount)}</td>
                    </tr>
                  ))}
                  {c.credit > 0 ? (
                    <tr data-testid="receipt-line">
                      <th scope="row">{t("receiptPage.credit")}</th>
                      <td className="num amount">{money(c.credit)}</td>
                    </tr>
                  ) : null}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t("receiptPage.onThisBill")}</th>
                    <td className="num amount" data-testid="receipt-claim-amount">
                      {money(c.amount)}
                    </td>
                  </tr>
                  {c.waived > 0 ? (
                    <tr>
                      <th scope="row">{t("receiptPage.waived")}</th>
                      <td className="num amount">{money(c.waived)}</td>
                    </tr>
                  ) : null}
                  {c.refunded > 0 ? (
                    <tr>
                      <th scope="row">{t("receiptPage.refunded")}</th>
                      <td className="num amount">{money(c.refunded)}</td>
                    </tr>
                  ) : null}
                  <tr>
                    <th scope="row">{t("receiptPage.left")}</th>
                    <td className="num amount" data-testid="receipt-left">
                      {money(c.left)}
                    </td>
                  </tr>
                </tfoot>
              </table>
              {c.left === 0 ? <p>{t("receiptPage.paidInFull")}</p> : null}
              <p className="receipt__to-claim">
                <Link to={`/claims/${c.claimId}`}>
                  {t("receiptPage.toClaim")}
                  <span className="visually-hidden">: {c.description}</span>
                </Link>
              </p>
            </article>
          );
        })}
      </section>
      <p className="hint print-hint">{t("receiptPage.printHint")}</p>
    </div>
  );
}
