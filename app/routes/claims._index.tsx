import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ClaimCard } from "~/components/claim-card";
import { useFormat } from "~/components/format";
import { PaidAndClosed } from "~/components/paid-and-closed";
import { requireResident } from "~/services/identity/resident-auth.server";
import { claimCardOf, listResidentClaims } from "~/services/portal/claims.server";
import { listPaidAndClosed } from "~/services/portal/history.server";

export const meta: MetaFunction = () => [{ title: "Kravportal" }];

/**
 * *My claims* is a list and a GET form to pay several bills: plain HTML does all of it, so it
 * ships no JavaScript (see bench/portal.ts for the figures, and `hydrate` in root.tsx).
 */
export const handle = { hydrate: false };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const resident = await requireResident(request, context);
  const claims = resident.residentId
    ? (await listResidentClaims(resident.residentId, new Date())).map(claimCardOf)
    : [];
  const totals = new Map<string, number>();
  for (const c of claims) totals.set(c.currency, (totals.get(c.currency) ?? 0) + c.total);
  return {
    claims,
    totals: [...totals].map(([currency, amount]) => ({ currency, amount })),
    ...(await paidAndClosedOf(resident.residentId)),
  };
}

/** The resident's own history, below the open bills (issue 15). */
async function paidAndClosedOf(residentId: string | null | undefined) {
  return { paidAndClosed: residentId ? await listPaidAndClosed(residentId, new Date()) : [] };
}

export default function MyClaims() {
  const { claims, totals, paidAndClosed } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="page">
      <h1>{t("claims.title")}</h1>
      {claims.length === 0 ? (
        <p className="notice notice--info">{t("claims.none")}</p>
      ) : (
        <>
          <section aria-labelledby="totals-heading" className="totals">
            <h2 id="totals-heading" className="visually-hidden">
              {t("claims.totalsHeading")}
            </h2>
            <p className="totals__intro">{t("claims.count", { count: claims.length })}</p>
            <ul className="plain-list">
              {totals.map((row) => (
                <li
                  key={row.currency}
                  className="totals__row"
                  data-testid={`total-${row.currency}`}
                >
                  <span>{t("claims.totalIn", { currency: row.currency })}</span>{" "}
                  <strong className="amount">{f.money(row.amount, row.currency)}</strong>
                </li>
              ))}
            </ul>
          </section>
          {/* A plain GET form: choosing bills to pay works without JavaScript. */}
          <Form method="get" action="/pay" reloadDocument>
            <p className="hint">{t("claims.payHint")}</p>
            <ul className="plain-list claim-list">
              {claims.map((claim) => (
                <li key={claim.id}>
                  <ClaimCard claim={claim} />
                  <p className="select-to-pay">
                    <input type="checkbox" name="claim" value={claim.id} id={`pay-${claim.id}`} />{" "}
                    <label htmlFor={`pay-${claim.id}`}>
                      {t("claims.selectToPay")}
                      <span className="visually-hidden">: {claim.description}</span>
                    </label>
                  </p>
                </li>
              ))}
            </ul>
            <button type="submit" className="button button--primary">
              {t("claims.paySelected")}
            </button>
          </Form>
        </>
      )}
      <PaidAndClosed claims={paidAndClosed} />
    </div>
  );
}
