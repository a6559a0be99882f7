import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { requireResident } from "~/services/identity/resident-auth.server";
import { getResidentCheckout } from "~/services/payments/checkout.server";
import { receiptOfCheckout } from "~/services/portal/history.server";
import { residentClaimGroups } from "~/services/portal/claims.server";
import { payPathOf } from "~/domain/currency-groups";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  const checkout = resident.residentId
    ? await getResidentCheckout(resident.residentId, params.checkoutId ?? "")
    : null;
  if (!checkout) throw new Response("Not found", { status: 404 });
  // Once paid, the receipt with its date, reference and what each bill was paid.
  const receiptId =
    checkout.status === "PAID" ? await receiptOfCheckout(resident.residentId!, checkout.id) : null;
  // Paid in one currency: the bills still open in another are the next payment (never a dead end).
  const otherCurrencies =
    checkout.status === "PAID"
      ? (await residentClaimGroups(checkout.residentId, new Date()))
          .filter((g) => g.currency !== checkout.currency)
          .map((g) => ({
            currency: g.currency,
            total: g.total,
            claimIds: g.items.filter((c) => c.total > 0).map((c) => c.id),
          }))
          .filter((g) => g.claimIds.length > 0)
      : [];
  return {
    receiptId,
    otherCurrencies,
    id: checkout.id,
    status: checkout.status,
    amount: checkout.amount,
    currency: checkout.currency,
    cancelled: new URL(request.url).searchParams.has("cancelled"),
    items: checkout.items.map((i) => ({
      claimId: i.claimId,
      amount: i.amount,
      paidInFull: i.claim.status === "PAID",
      creditorName: i.claim.creditor.name,
      typeName: i.claim.claimType.name,
      names: i.claim.claimType.names as Record<string, string>,
    })),
  };
}

/** Where the payment provider sends the resident back: the receipt, or what went wrong. */
export default function PaymentStatus() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="page page--narrow">
      <h1>
        {t(`receipt.title.${data.status === "OPEN" && data.cancelled ? "CANCELLED" : data.status}`)}
      </h1>
      <p
        data-testid="payment-status"
        className={`notice ${data.status === "PAID" ? "notice--info" : ""}`}
      >
        {t(
          `receipt.status.${data.status === "OPEN" && data.cancelled ? "CANCELLED" : data.status}`,
          {
            amount: f.money(data.amount, data.currency),
          },
        )}
      </p>
      {data.receiptId ? (
        <p>
          <Link to={`/receipts/${data.receiptId}`} className="button button--primary">
            {t("receiptPage.see")}
          </Link>
        </p>
      ) : null}
      {data.status === "OPEN" && !data.cancelled ? (
        <p>
          <Link to={`/payments/${data.id}`} reloadDocument>
            {t("receipt.refresh")}
          </Link>
        </p>
      ) : null}
      <ul className="plain-list">
        {data.items.map((i) => (
          <li key={i.claimId} className="card">
            <p>
              <strong>{f.localName(i.names, i.typeName)}</strong> – {i.creditorName}:{" "}
              {f.money(i.amount, data.currency)}
              {data.status === "PAID" && i.paidInFull ? ` (${t("receipt.paidInFull")})` : ""}
            </p>
            <p>
              <Link to={`/claims/${i.claimId}`}>{t("receipt.toClaim")}</Link>
            </p>
          </li>
        ))}
      </ul>
      {data.otherCurrencies.length > 0 ? (
        <section
          aria-labelledby="other-currencies-heading"
          className="card"
          data-testid="other-currencies"
        >
          <h2 id="other-currencies-heading">{t("receipt.otherCurrencies.heading")}</h2>
          {data.otherCurrencies.map((g) => (
            <p key={g.currency}>
              {t("receipt.otherCurrencies.intro", {
                count: g.claimIds.length,
                currency: g.currency,
                amount: f.money(g.total, g.currency),
              })}{" "}
              <Link to={payPathOf(g.claimIds)} reloadDocument>
                {t("receipt.otherCurrencies.link", { currency: g.currency })}
              </Link>
            </p>
          ))}
        </section>
      ) : null}
      <p>
        <Link to="/claims">{t("detail.back")}</Link>
      </p>
    </div>
  );
}
