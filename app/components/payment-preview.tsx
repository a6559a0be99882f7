import { useTranslation } from "react-i18next";
import type { PreviewItem } from "~/services/payments/checkout.server";
import { useFormat } from "./format";

/** Before paying: what the money will cover, charge by charge, and what is left afterwards. */
export function PaymentPreviewList({ items }: { items: PreviewItem[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ul className="plain-list">
      {items.map((item) => (
        <li key={item.claimId} className="card" data-testid="preview-item">
          <h3>
            {f.localName(item.names, item.claimTypeName)}{" "}
            <span className="subtitle">{item.creditorName}</span>
          </h3>
          <p>{t("pay.youPay", { amount: f.money(item.amount, item.currency) })}</p>
          <p>{t("pay.covers")}</p>
          <ul data-testid="covers">
            {item.covers.map((c, i) => (
              <li key={i}>
                {t(`chargeKind.${c.kind}`)}: {f.money(c.amount, item.currency)}
              </li>
            ))}
          </ul>
          <p data-testid="remaining">
            {item.remaining > 0
              ? t("pay.remaining", { amount: f.money(item.remaining, item.currency) })
              : t("pay.settles")}
          </p>
        </li>
      ))}
    </ul>
  );
}
