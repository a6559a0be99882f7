import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ClaimCard } from "~/components/claim-card";
import { useFormat } from "~/components/format";
import { requireResident } from "~/services/identity/resident-auth.server";
import { PaidAndClosed } from "~/components/paid-and-closed";
import { residentClaimsPage } from "~/services/portal/claims.server";

/**
 * *My claims* is a list and a GET form to pay several bills: plain HTML does all of it, so it
 * ships no JavaScript (see bench/portal.ts for the figures, and `hydrate` in root.tsx).
 */
export const handle = { hydrate: false };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const resident = await requireResident(request, context);
  // One group, heading, total and form per currency: a payment has one currency. Below them the
  // resident's own history (issue 15), read in the same statement.
  const { groups, paidAndClosed } = resident.residentId
    ? await residentClaimsPage(resident.residentId, new Date())
    : { groups: [], paidAndClosed: [] };
  // The currency whose "Pay the selected bills" was pressed with no bill chosen (see pay.tsx).
  const choose = new URL(request.url).searchParams.get("choose");
  return { count: groups.reduce((n, g) => n + g.items.length, 0), groups, paidAndClosed, choose };
}

export default function MyClaims() {
  const { count, groups, paidAndClosed, choose } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="page">
      <h1>{t("claims.title")}</h1>
      {count === 0 ? (
        <p className="notice notice--info">{t("claims.none")}</p>
      ) : (
        <>
          <section aria-labelledby="totals-heading" className="totals">
            <h2 id="totals-heading" className="visually-hidden">
              {t("claims.totalsHeading")}
            </h2>
            <p className="totals__intro">{t("claims.count", { count })}</p>
            {groups.length > 1 ? (
              <p className="totals__intro" data-testid="currencies-hint">
                {t("claims.currenciesHint", { count: groups.length })}
              </p>
            ) : null}
            <p className="totals__intro">{t("claims.payHint")}</p>
          </section>
          {groups.map((group) => (
            <section
              key={group.currency}
              aria-labelledby={`bills-${group.currency}`}
              className="currency-group"
              data-testid={`group-${group.currency}`}
            >
              <h2 id={`bills-${group.currency}`} data-testid={`total-${group.currency}`}>
                {t("claims.groupHeading", { currency: group.currency })}{" "}
                <span className="currency-group__total">
                  {t("claims.groupTotal", { amount: f.money(group.total, group.currency) })}
                </span>
              </h2>
              {/* A plain GET form per currency: choosing bills works without JavaScript, and
                  bills in two currencies cannot be chosen together. */}
              <Form method="get" action="/pay" reloadDocument>
                <ul className="plain-list claim-list">
                  {group.items.map((claim) => (
                    <li key={claim.id}>
                      <ClaimCard claim={claim} />
                      <p className="select-to-pay">
                        <input
                          type="checkbox"
                          name="claim"
                          value={claim.id}
                          id={`pay-${claim.id}`}
                        />{" "}
                        <label htmlFor={`pay-${claim.id}`}>
                          {t("claims.selectToPay")}
                          <span className="visually-hidden">: {claim.description}</span>
                        </label>
                      </p>
                    </li>
                  ))}
                </ul>
                <input type="hidden" name="currency" value={group.currency} />
                {choose === group.currency ? (
                  <p
                    id={`choose-${group.currency}`}
                    className="notice notice--error"
                    role="alert"
                    data-testid="choose-bills"
                  >
                    {t("claims.chooseFirst")}
                  </p>
                ) : null}
                <button type="submit" className="button button--primary">
                  {t("claims.paySelectedIn", { currency: group.currency })}
                </button>
              </Form>
            </section>
          ))}
        </>
      )}
      <PaidAndClosed claims={paidAndClosed} />
    </div>
  );
}
