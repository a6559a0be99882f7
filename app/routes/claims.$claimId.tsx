import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BankTransferFacts } from "~/components/bank-transfer";
import { BreakdownTable } from "~/components/breakdown-table";
import { DisputeList } from "~/components/dispute-list";
import { LetterList } from "~/components/letter-list";
import { useFormat } from "~/components/format";
import { NextStepText } from "~/components/next-step-text";
import { PaymentHistory } from "~/components/payment-history";
import { StageLabel } from "~/components/stage-label";
import { Timeline } from "~/components/timeline";
import { authorityKey, isWithEnforcement } from "~/domain/claim-stages";
import { requireResident } from "~/services/identity/resident-auth.server";
import { getResidentClaimPage } from "~/services/portal/claims.server";

/**
 * A claim page is text, links and plain forms elsewhere: like My claims it does everything it does
 * without JavaScript (the e2e runs with JavaScript off use it), so it ships none, and the server
 * neither embeds its data for hydration nor lists the routes for the client.
 */
export const handle = { hydrate: false };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const resident = await requireResident(request, context);
  // The claim, its disputes and its plan, in one statement scoped by the resident.
  const page = resident.residentId
    ? await getResidentClaimPage(resident.residentId, params.claimId ?? "", new Date())
    : null;
  // Someone else's claim looks exactly like one that does not exist.
  if (!page) throw new Response("Not found", { status: 404 });
  const disputeFiled = new URL(request.url).searchParams.get("dispute") === "filed";
  return {
    claim: page.claim,
    disputes: page.disputes,
    disputeFiled,
    plan: page.plan,
    letters: page.letters,
    bankAbroad: page.bankAbroad,
    payments: page.payments,
    helpRequest: page.helpRequest,
  };
}

export default function ClaimDetail() {
  const { claim, disputes, disputeFiled, plan, letters, bankAbroad, payments, helpRequest } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const typeName = f.localName(claim.claimType.names, claim.claimType.name);
  const own = claim.claimType.ownEnforcement;
  // Sent to the enforcement authority, or on its way there: no plan and no objection here any
  // more; the resident is told where the bill is and what they can still do.
  const withEnforcement = claim.status === "OPEN" && isWithEnforcement(claim.stage);
  const authority = t(`authority.${authorityKey(claim.creditor.country, own)}`);
  // Paused: the sentence above says why and what ends it; no "collection pauses at once" hint.
  const held = claim.next.kind === "stop" && claim.next.reason === "held";
  // A request for help is the resident's, not this bill's: shown on each open bill.
  const help = claim.status === "OPEN" ? helpRequest : null;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/claims">{t("detail.back")}</Link>
      </p>
      <h1>
        {typeName}
        <span className="subtitle">{claim.creditor.name}</span>
      </h1>
      <p className="claim-description">{claim.description}</p>
      {disputeFiled ? (
        <div className="notice" role="status" data-testid="dispute-filed">
          <p>{t("dispute.filed")}</p>
        </div>
      ) : null}

      <section className="card summary" aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="visually-hidden">
          {t("detail.summary")}
        </h2>
        <dl className="facts">
          <div className="facts__wide">
            <dt>{t("detail.totalToday", { date: f.date(claim.today) })}</dt>
            <dd className="amount amount--large" data-testid="detail-total">
              {f.money(claim.statement.balance.total, claim.currency)}
            </dd>
          </div>
          <div>
            <dt>{t("detail.dueOn")}</dt>
            <dd>{f.date(claim.dueOn)}</dd>
          </div>
          <div>
            <dt>{t("claims.stageLabel")}</dt>
            <dd data-testid="claim-stage">
              {/* A closed bill says how it ended, not the stage it had reached. */}
              {claim.status !== "OPEN" && claim.closedOn ? (
                t(`history.status.${claim.status}`, { date: f.date(claim.closedOn) })
              ) : (
                <StageLabel stage={claim.stage} country={claim.creditor.country} own={own} />
              )}
            </dd>
          </div>
        </dl>
      </section>

      <section className="card next-box" aria-labelledby="next-heading">
        <h2 id="next-heading">{t("detail.nextHeading")}</h2>
        <p data-testid="next-step">
          <NextStepText
            next={claim.next}
            currency={claim.currency}
            country={claim.creditor.country}
            own={own}
            today={claim.today}
          />
        </p>
        {withEnforcement ? (
          <>
            <p data-testid="enforcement-options">{t("detail.enforcement.pay", { authority })}</p>
            <p>
              {t("detail.enforcement.noPlan")}{" "}
              <Link to="/contact">{t("detail.enforcement.contact")}</Link>
            </p>
          </>
        ) : claim.status === "OPEN" && !held ? (
          // A closed bill has nothing to pay, plan or object to: no such hint.
          <p className="hint">{t("detail.nextHint")}</p>
        ) : null}
        {plan?.deferralDue?.dueOn ? (
          <p data-testid="deferral-due">
            {t("plan.deferralDue", {
              amount: f.money(plan.deferralDue.amount, claim.currency),
              date: f.date(plan.deferralDue.dueOn),
            })}
          </p>
        ) : null}
        {plan ? (
          <p>
            <Link to={`/plans/${plan.id}`} data-testid="plan-link">
              {t("plan.seePlan")}
            </Link>
          </p>
        ) : claim.status === "OPEN" && !withEnforcement && claim.statement.balance.total > 0 ? (
          <p>
            <Link
              to={`/plans/new?claim=${claim.id}`}
              className="button button--secondary"
              data-testid="plan-link"
            >
              {t("plan.link")}
            </Link>
          </p>
        ) : null}
      </section>

      {help ? (
        <section
          className="card help-request"
          aria-labelledby="help-heading"
          data-testid="help-request"
        >
          <h2 id="help-heading">{t("help.request.heading")}</h2>
          <p>{t("help.request.received", { date: f.date(help.receivedOn) })}</p>
          <p>
            {t("help.request.next")}
            {withEnforcement ? null : ` ${t("help.request.noEnforcement", { authority })}`}
          </p>
        </section>
      ) : null}

      <section aria-labelledby="disputes-heading" className="disputes">
        <h2 id="disputes-heading">{t("dispute.heading")}</h2>
        {disputes.length > 0 ? (
          <DisputeList
            disputes={disputes}
            renderAnswer={() => (
              <p>
                <Link to={`/claims/${claim.id}/dispute#disputes-heading`}>
                  {t("dispute.addInfo")}
                </Link>
              </p>
            )}
          />
        ) : null}
        {withEnforcement ? (
          <p data-testid="objection-with-enforcement">
            {t("dispute.withEnforcement", { authority })}
          </p>
        ) : null}
        <ul className="plain-list action-links">
          {claim.status === "OPEN" && !withEnforcement ? (
            <li>
              <Link to={`/claims/${claim.id}/dispute`} className="button button--secondary">
                {t("dispute.link")}
              </Link>
            </li>
          ) : null}
          {claim.status === "OPEN" && !help ? (
            <li>
              <Link to={`/help?claim=${claim.id}`}>{t("help.link")}</Link>
            </li>
          ) : null}
        </ul>
      </section>

      <section aria-labelledby="breakdown-heading">
        <h2 id="breakdown-heading">{t("detail.breakdownHeading")}</h2>
        {claim.status === "WRITTEN_OFF" ? (
          <p className="notice notice--info" data-testid="claim-written-off">
            {t("detail.writtenOff.claim", {
              amount: f.money(claim.statement.balance.writtenOff ?? 0, claim.currency),
            })}
          </p>
        ) : null}
        {claim.writtenOffFees.length > 0 ? (
          <ul className="plain-list notice notice--info" data-testid="fees-written-off">
            {claim.writtenOffFees.map((w, i) => (
              <li key={i}>
                {t("detail.writtenOff.fee", {
                  what: t(`chargeKind.${w.kind}`),
                  amount: f.money(w.amount, claim.currency),
                  date: f.date(w.on),
                })}
              </li>
            ))}
          </ul>
        ) : null}
        <BreakdownTable statement={claim.statement} currency={claim.currency} />
      </section>

      {claim.status === "OPEN" && claim.statement.balance.total > 0 ? (
        <p>
          <Link to={`/claims/${claim.id}/pay`} className="button button--primary button--large">
            {t("claims.payOnline")}
          </Link>
        </p>
      ) : null}

      {claim.status === "OPEN" && claim.statement.balance.total > 0 ? (
        <section className="card pay-box" aria-labelledby="pay-heading">
          <h2 id="pay-heading">{t("detail.payHeading")}</h2>
          <p>{t("detail.payIntro", { context: claim.creditor.country })}</p>
          <BankTransferFacts
            country={claim.creditor.country}
            bankAccount={claim.creditor.bankAccount}
            iban={bankAbroad.iban}
            bic={bankAbroad.bic}
            reference={claim.paymentReference}
            referenceTestId="payment-reference"
            amount={f.money(claim.statement.balance.total, claim.currency)}
          />
          <p className="hint">{t("detail.referenceHint", { context: claim.creditor.country })}</p>
        </section>
      ) : null}

      <PaymentHistory payments={payments} currency={claim.currency} />

      <section aria-labelledby="letters-heading">
        <h2 id="letters-heading">{t("letters.heading")}</h2>
        <p className="hint">{t("letters.intro")}</p>
        <LetterList claimId={claim.id} letters={letters} />
        <p>
          <Link to="/letters">{t("letters.howLink")}</Link>
        </p>
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t("detail.timelineHeading")}</h2>
        <Timeline events={claim.events} />
      </section>
    </div>
  );
}
