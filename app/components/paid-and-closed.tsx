import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ClosedClaim } from "~/services/portal/history.server";
import { useFormat } from "./format";

/**
 * *Paid and closed* on My claims: the resident's bills paid or closed in the last two years, the
 * most recent first, each with what it was, whose it was, when it closed and what was paid.
 */
export function PaidAndClosed({ claims }: { claims: ClosedClaim[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section aria-labelledby="paid-closed-heading" className="paid-closed">
      <h2 id="paid-closed-heading">{t("history.paidHeading")}</h2>
      {claims.length === 0 ? (
        <p className="hint">{t("history.paidNone")}</p>
      ) : (
        <>
          <p className="hint">{t("history.paidIntro")}</p>
          <ul className="plain-list claim-list" data-testid="paid-closed">
            {claims.map((c) => (
              <li key={c.id}>
                <article className="card claim-card" aria-labelledby={`closed-${c.id}`}>
                  <h3 id={`closed-${c.id}`} className="claim-card__title">
                    <Link to={`/claims/${c.id}`}>
                      {f.localName(c.typeNames, c.typeName)}{" "}
                      <span className="claim-card__creditor">{c.creditorName}</span>
                    </Link>
                  </h3>
                  <p className="claim-card__description">{c.description}</p>
                  <dl className="facts">
                    <div>
                      <dt>{t("history.youPaid")}</dt>
                      <dd className="amount" data-testid="closed-paid">
                        {f.money(c.paid, c.currency)}
                      </dd>
                    </div>
                    <div>
                      <dt className="visually-hidden">{t("claims.stageLabel")}</dt>
                      <dd data-testid="closed-on">
                        {t(`history.status.${c.status}`, { date: f.date(c.closedOn) })}
                      </dd>
                    </div>
                  </dl>
                </article>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
