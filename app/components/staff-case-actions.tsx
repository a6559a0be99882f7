import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FilingCheck } from "~/services/backoffice/enforcement.server";
import { useFormat } from "./format";
import { StaffCaseDisputes, type CaseDispute } from "./staff-case-disputes";
import { StaffCaseHolds, type CaseHold } from "./staff-case-holds";
import { FormError, useFieldError, useSentValue } from "./staff-field-error";
import { StaffReasonField } from "./staff-reason-field";

type View = {
  id: string;
  currency: string;
  /** At the approval: each safeguard it re-checks, with its outcome now (else null). */
  approvalChecks: FilingCheck[] | null;
  stage: string;
  status: string;
  disputes: CaseDispute[];
  flags: {
    id: string;
    kind: string;
    note: string;
    resolvedAt: string | null;
    resolution: string | null;
  }[];
  allHolds: CaseHold[];
  filing: {
    approvedOn: string;
    batch: { id: string; status: string; madeOn: string; receipt: string | null } | null;
  } | null;
};

/** The safeguards the approval re-checks, each with its outcome for this bill today. */
function ApprovalChecks({ checks, currency }: { checks: FilingCheck[]; currency: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const words = (c: FilingCheck) => {
    const key = `backoffice.checks.${c.check}.${c.refusal ?? "ok"}`;
    switch (c.check) {
      case "minimum":
        return t(key, {
          principal: f.money(c.principal, currency),
          minimum: f.money(c.minimum, currency),
        });
      case "hold":
        return t(key, { count: c.holds });
      case "dispute":
        return t(key, { count: c.disputes });
      case "letters":
        return t(key, { waiting: c.waiting, undelivered: c.undelivered });
      default:
        return t(key);
    }
  };
  const allMet = checks.every((c) => c.ok);
  return (
    <>
      <h3 id="approval-checks-heading">{t("backoffice.checks.heading")}</h3>
      <p>{t(allMet ? "backoffice.checks.allMet" : "backoffice.checks.notAllMet")}</p>
      <ul
        className="approval-checks"
        aria-labelledby="approval-checks-heading"
        data-testid="approval-checks"
      >
        {checks.map((c) => (
          <li key={c.check} data-testid="approval-check" data-ok={c.ok ? "yes" : "no"}>
            <strong className={c.ok ? "check-met" : "check-not-met"}>
              {t(c.ok ? "backoffice.checks.met" : "backoffice.checks.notMet")}
            </strong>{" "}
            {words(c)}
          </li>
        ))}
      </ul>
    </>
  );
}

function ApproveConfirm() {
  const { t } = useTranslation();
  const { message, attrs } = useFieldError("approve-confirm");
  return (
    <>
      {message}
      <p>
        <input
          type="checkbox"
          id="approve-confirm"
          name="confirm"
          value="yes"
          required
          {...attrs}
        />{" "}
        <label htmlFor="approve-confirm">{t("backoffice.approveConfirm")}</label>
      </p>
    </>
  );
}

/** A vulnerability flag resolved: what was done, and whether social services were told. */
function ResolveFlagForm({ flagId }: { flagId: string }) {
  const { t } = useTranslation();
  const formId = `flag-form-${flagId}`;
  const social = useSentValue(formId, "social");
  return (
    <Form method="post" reloadDocument id={formId}>
      <FormError id={formId} />
      <input type="hidden" name="intent" value="resolve-flag" />
      <input type="hidden" name="flagId" value={flagId} />
      <StaffReasonField
        id={`res-${flagId}`}
        formId={formId}
        name="resolution"
        label={t("backoffice.resolution")}
      />
      <p>
        <input
          type="checkbox"
          id={`soc-${flagId}`}
          name="social"
          value="yes"
          defaultChecked={social === "yes"}
        />{" "}
        <label htmlFor={`soc-${flagId}`}>{t("backoffice.sentToSocial")}</label>
      </p>
      <button type="submit" className="button button--secondary">
        {t("backoffice.resolve")}
      </button>
    </Form>
  );
}

/** The decisions a person takes on a case; each form posts plainly and works without JavaScript. */
export function StaffCaseActions({ view, canApprove }: { view: View; canApprove: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <StaffCaseDisputes disputes={view.disputes} />
      <StaffCaseHolds holds={view.allHolds} status={view.status} />

      <section aria-labelledby="flags-heading">
        <h2 id="flags-heading">{t("backoffice.flags")}</h2>
        {view.flags.length === 0 ? <p>{t("backoffice.none")}</p> : null}
        {view.flags.map((fl) => (
          <div key={fl.id} className="card">
            <p>
              {t(`backoffice.words.flag.${fl.kind}`)}: {fl.note}
              {fl.resolvedAt ? ` – ${fl.resolution}` : ""}
            </p>
            {!fl.resolvedAt ? <ResolveFlagForm flagId={fl.id} /> : null}
          </div>
        ))}
      </section>

      {(view.stage === "READY_FOR_ENFORCEMENT" && !view.filing) ||
      view.stage === "ENFORCEMENT_APPROVED" ? (
        view.status === "OPEN" ? (
          <section aria-labelledby="enforcement-heading" className="card">
            <h2 id="enforcement-heading">{t("backoffice.enforcement")}</h2>
            {view.stage === "READY_FOR_ENFORCEMENT" ? (
              <>
                <p>{t("backoffice.enforcementHint")}</p>
                {view.approvalChecks ? (
                  <ApprovalChecks checks={view.approvalChecks} currency={view.currency} />
                ) : null}
                {canApprove ? (
                  <Form method="post" reloadDocument id="approve-form">
                    <FormError id="approve-form" />
                    <input type="hidden" name="intent" value="approve" />
                    <ApproveConfirm />
                    <button type="submit" className="button button--primary">
                      {t("backoffice.approve")}
                    </button>
                  </Form>
                ) : (
                  <p>{t("backoffice.approveRole")}</p>
                )}
              </>
            ) : (
              <p>{t("backoffice.filing.waiting")}</p>
            )}
            <Form method="post" reloadDocument id="send-back-form">
              <FormError id="send-back-form" />
              <input type="hidden" name="intent" value="send-back" />
              <StaffReasonField
                id="send-back-reason"
                formId="send-back-form"
                label={t("backoffice.sendBackReason")}
              />
              <button type="submit" className="button button--secondary">
                {t("backoffice.sendBack")}
              </button>
            </Form>
          </section>
        ) : null
      ) : null}
      {view.filing ? (
        <div className="notice notice--info" data-testid="case-filing">
          <p>{t("backoffice.filing.approved", { date: f.date(view.filing.approvedOn) })}</p>
          {view.filing.batch ? (
            <p>
              {view.filing.batch.status === "FILED"
                ? t("backoffice.filing.filed", {
                    date: f.date(view.filing.batch.madeOn),
                    receipt: view.filing.batch.receipt ?? "",
                  })
                : t("backoffice.filing.exported", { date: f.date(view.filing.batch.madeOn) })}
              {canApprove ? (
                <>
                  {" "}
                  <Link to={`/staff/export/${view.filing.batch.id}`}>
                    {t("backoffice.filing.openBatch")}
                  </Link>
                </>
              ) : null}
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
