import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ClaimCardData } from "~/services/portal/claims.server";
import { useFormat } from "./format";
import { NextStepText } from "./next-step-text";
import { StageLabel } from "./stage-label";

export function ClaimCard({ claim }: { claim: ClaimCardData }) {
  const { t } = useTranslation();
  const f = useFormat();
  const typeName = f.localName(claim.claimType.names, claim.claimType.name);
  return (
    <article className="card claim-card" aria-labelledby={`claim-${claim.id}`}>
      <h3 id={`claim-${claim.id}`} className="claim-card__title">
        <Link to={`/claims/${claim.id}`}>
          {typeName} <span className="claim-card__creditor">{claim.creditor.name}</span>
        </Link>
      </h3>
      <p className="claim-card__description">{claim.description}</p>
      <dl className="facts">
        <div>
          <dt>{t("claims.amountDue")}</dt>
          <dd className="amount" data-testid="claim-total">
            {f.money(claim.total, claim.currency)}
          </dd>
        </div>
        <div>
          <dt>{t("claims.stageLabel")}</dt>
          <dd>
            <span className={`badge badge--${claim.stage.toLowerCase()}`}>
              <StageLabel
                stage={claim.stage}
                country={claim.creditor.country}
                own={claim.claimType.ownEnforcement}
              />
            </span>
            {claim.paused ? (
              <span className="badge badge--paused">{t("claims.paused")}</span>
            ) : null}
          </dd>
        </div>
        <div className="facts__wide">
          <dt>{t("claims.nextLabel")}</dt>
          <dd>
            <NextStepText
              next={claim.next}
              currency={claim.currency}
              country={claim.creditor.country}
              own={claim.claimType.ownEnforcement}
              today={claim.today}
            />
          </dd>
        </div>
      </dl>
    </article>
  );
}
