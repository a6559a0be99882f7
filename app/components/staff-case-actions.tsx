import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { HoldOrigin } from "~/services/backoffice/case.server";
import type { FilingCheck } from "~/services/backoffice/enforcement.server";
import { useFormat } from "./format";
import { FormError, useFieldError } from "./staff-field-error";

type View = {
  id: string;
  currency: string;
  /** At the approval: each safeguard it re-checks, with its outcome now (else null). */
  approvalChecks: FilingCheck[] | null;
  stage: string;
  status: string;
  disputes: {
    id: string;
    reason: string;
    text: string;
    status: string;
    decidedOn: string | null;
    decisionReason: string | null;
    freshDeadline: string | null;
    messages: { author: string | undefined; text: string }[];
    attachments: { id: string; fileName: string; size: number }[];
  }[];
  flags: {
    id: string;
    kind: string;
    note: string;
    resolvedAt: string | null;
    resolution: string | null;
  }[];
  allHolds: {
    id: string;
    kind: string;
    /** A person's words; null where the system placed it (then `origin` says what for). */
    reason: string | null;
    origin: HoldOrigin | null;
    startsOn: string;
    endsOn: string | null;
    releasedOn: string | null;
  }[];
  filing: {
    approvedOn: string;
    batch: { id: string; status: string; madeOn: string; receipt: string | null } | null;
  } | null;
};

function ReasonField({ id, label, name = "reason" }: { id: string; label: string; name?: string }) {
  const { message, attrs } = useFieldError(id);
  return (
    <>
      <label htmlFor={id}>{label}</label>
      {message}
      <textarea
        id={id}
        name={name}
        required
        minLength={5}
        maxLength={2000}
        rows={2}
        className="text-input"
        {...attrs}
      />
    </>
  );
}

/**
 * What a hold is and what it is for, in words: an objection by its day (it is on this page), a
 * plan (its page) or a card payment by theirs, else the reason a person wrote.
 */
function HoldWords({
  kind,
  origin,
  reason,
}: {
  kind: string;
  origin: HoldOrigin | null;
  reason: string | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const what = t(`backoffice.words.hold.${kind}`);
  if (!origin) return <>{reason ? `${what}: ${reason}` : what}</>;
  const words = t(`backoffice.holdOrigin.${origin.kind}`, { date: f.date(origin.on) });
  if (origin.kind === "dispute") return <a href={`#dispute-${origin.disputeId}`}>{words}</a>;
  return (
    <>
      {what}:{" "}
      {origin.kind === "plan" ? <Link to={`/staff/plans/${origin.planId}`}>{words}</Link> : words}
    </>
  );
}

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

function HoldEnds() {
  const { t } = useTranslation();
  const { message, attrs } = useFieldError("hold-ends");
  return (
    <>
      <label htmlFor="hold-ends">{t("backoffice.holdEnds")}</label>
      {message}
      <input id="hold-ends" name="endsOn" type="date" className="text-input" {...attrs} />
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

/** The decisions a person takes on a case; each form posts plainly and works without JavaScript. */
export function StaffCaseActions({ view, canApprove }: { view: View; canApprove: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const open = (s: string) => s === "OPEN" || s === "INFO_REQUESTED" || s === "INFO_PROVIDED";
  return (
    <>
      <section aria-labelledby="disputes-heading">
        <h2 id="disputes-heading">{t("backoffice.disputes")}</h2>
        {view.disputes.length === 0 ? <p>{t("backoffice.none")}</p> : null}
        {view.disputes.map((d) => (
          <article key={d.id} id={`dispute-${d.id}`} className="card" data-testid="staff-dispute">
            <h3>
              {t(`dispute.reason.${d.reason}`, { defaultValue: d.reason })} –{" "}
              {t(`backoffice.words.dispute.${d.status}`)}
            </h3>
            <p>{d.text}</p>
            {d.messages.map((m, i) => (
              <p key={i} className="hint">
                {t(`backoffice.words.author.${m.author ?? ""}`, { defaultValue: m.author ?? "" })}:{" "}
                {m.text}
              </p>
            ))}
            {d.attachments.length > 0 ? (
              <ul>
                {d.attachments.map((a) => (
                  <li key={a.id}>
                    <a href={`/staff/attachments/${a.id}`}>{a.fileName}</a> (
                    {Math.ceil(a.size / 1024)} KB)
                  </li>
                ))}
              </ul>
            ) : null}
            {d.decisionReason ? (
              <p data-testid="dispute-decision">
                {d.decidedOn
                  ? t("backoffice.decisionOn", { date: f.date(d.decidedOn) })
                  : t("backoffice.decisionLabel")}
                : {d.decisionReason}
                {d.freshDeadline
                  ? ` ${t("backoffice.freshDeadline", { date: f.date(d.freshDeadline) })}`
                  : ""}
              </p>
            ) : null}
            {open(d.status) ? (
              <Form method="post" reloadDocument id={`decide-${d.id}`}>
                <FormError id={`decide-${d.id}`} />
                <input type="hidden" name="intent" value="decide" />
                <input type="hidden" name="disputeId" value={d.id} />
                <fieldset>
                  <legend>{t("backoffice.decide")}</legend>
                  {(["reject", "uphold", "ask"] as const).map((k) => (
                    <p key={k}>
                      <input type="radio" name="decision" value={k} id={`${d.id}-${k}`} required />{" "}
                      <label htmlFor={`${d.id}-${k}`}>{t(`backoffice.decision.${k}`)}</label>
                    </p>
                  ))}
                </fieldset>
                <ReasonField id={`${d.id}-reason`} label={t("backoffice.reasonForResident")} />
                <button type="submit" className="button button--primary">
                  {t("backoffice.record")}
                </button>
              </Form>
            ) : null}
          </article>
        ))}
      </section>

      <section aria-labelledby="holds-heading">
        <h2 id="holds-heading">{t("backoffice.holds")}</h2>
        <ul className="plain-list">
          {view.allHolds.map((h) => (
            <li key={h.id} className="card" data-testid="staff-hold">
              <HoldWords kind={h.kind} origin={h.origin} reason={h.reason} /> ({f.date(h.startsOn)}
              {h.endsOn ? ` – ${f.date(h.endsOn)}` : ""}
              {h.releasedOn ? `, ${t("backoffice.released")} ${f.date(h.releasedOn)}` : ""})
              {!h.releasedOn && h.kind !== "DISPUTE" ? (
                <Form method="post" reloadDocument id={`release-form-${h.id}`}>
                  <FormError id={`release-form-${h.id}`} />
                  <input type="hidden" name="intent" value="release" />
                  <input type="hidden" name="holdId" value={h.id} />
                  <ReasonField id={`release-${h.id}`} label={t("backoffice.releaseReason")} />
                  <button type="submit" className="button button--secondary">
                    {t("backoffice.release")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {view.status === "OPEN" ? (
          <Form method="post" reloadDocument className="card" id="hold-form">
            <FormError id="hold-form" />
            <input type="hidden" name="intent" value="hold" />
            <label htmlFor="hold-kind">{t("backoffice.holdKind")}</label>
            <select id="hold-kind" name="kind" className="text-input">
              {(["MANUAL", "HARDSHIP", "DEBT_RESPITE", "DEFERRAL"] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`hold.${k}`)}
                </option>
              ))}
            </select>
            <HoldEnds />
            <ReasonField id="hold-reason" label={t("backoffice.holdReason")} />
            <button type="submit" className="button button--secondary">
              {t("backoffice.placeHold")}
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="flags-heading">
        <h2 id="flags-heading">{t("backoffice.flags")}</h2>
        {view.flags.length === 0 ? <p>{t("backoffice.none")}</p> : null}
        {view.flags.map((fl) => (
          <div key={fl.id} className="card">
            <p>
              {t(`backoffice.words.flag.${fl.kind}`)}: {fl.note}
              {fl.resolvedAt ? ` – ${fl.resolution}` : ""}
            </p>
            {!fl.resolvedAt ? (
              <Form method="post" reloadDocument id={`flag-form-${fl.id}`}>
                <FormError id={`flag-form-${fl.id}`} />
                <input type="hidden" name="intent" value="resolve-flag" />
                <input type="hidden" name="flagId" value={fl.id} />
                <ReasonField
                  id={`res-${fl.id}`}
                  name="resolution"
                  label={t("backoffice.resolution")}
                />
                <p>
                  <input type="checkbox" id={`soc-${fl.id}`} name="social" value="yes" />{" "}
                  <label htmlFor={`soc-${fl.id}`}>{t("backoffice.sentToSocial")}</label>
                </p>
                <button type="submit" className="button button--secondary">
                  {t("backoffice.resolve")}
                </button>
              </Form>
            ) : null}
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
              <ReasonField id="send-back-reason" label={t("backoffice.sendBackReason")} />
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
