import { useTranslation } from "react-i18next";
import { ibanGroups } from "./format";

/**
 * How to pay by bank transfer, as the resident copies it into their online bank: the account in
 * its country's name (kontonummer, bankgiro), the reference named by its kind (KID in Norway, OCR
 * in Sweden, whatever the page's language), the amount when there is one, and IBAN and BIC for a
 * payer whose bank is abroad, when the creditor has them.
 */
export function BankTransferFacts(props: {
  country: "NO" | "SE";
  bankAccount: string;
  iban?: string | null;
  bic?: string | null;
  reference: string;
  referenceTestId: string;
  amount?: string;
}) {
  const { t } = useTranslation();
  const no = props.country === "NO";
  return (
    <>
      <dl className="facts facts--stacked">
        <div>
          <dt>{t(no ? "detail.accountNo" : "detail.accountSe")}</dt>
          <dd className="copyable" data-testid="bank-account">
            {props.bankAccount}
          </dd>
        </div>
        <div>
          <dt>{t(no ? "detail.referenceNo" : "detail.referenceSe")}</dt>
          <dd className="copyable reference" data-testid={props.referenceTestId}>
            {props.reference}
          </dd>
        </div>
        {props.amount !== undefined ? (
          <div>
            <dt>{t("detail.amount")}</dt>
            <dd className="copyable">{props.amount}</dd>
          </div>
        ) : null}
      </dl>
      {props.iban ? (
        <>
          <h3 className="facts-heading">{t("detail.abroad")}</h3>
          <dl className="facts facts--stacked" data-testid="bank-abroad">
            <div>
              <dt>{t("detail.iban")}</dt>
              <dd className="copyable">{ibanGroups(props.iban)}</dd>
            </div>
            {props.bic ? (
              <div>
                <dt>{t("detail.bic")}</dt>
                <dd className="copyable">{props.bic}</dd>
              </div>
            ) : null}
          </dl>
        </>
      ) : null}
    </>
  );
}
