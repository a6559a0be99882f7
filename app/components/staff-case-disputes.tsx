import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";
import { FormError, useSentValue } from "./staff-field-error";
import { StaffReasonField } from "./staff-reason-field";

export type CaseDispute = {
  id: string;
  reason: string;
  text: string;
  status: string;
  decidedOn: string | null;
  decisionReason: string | null;
  freshDeadline: string | null;
  messages: { author: string | undefined; text: string }[];
  attachments: { id: string; fileName: string; size: number }[];
};

const isOpen = (s: string) => s === "OPEN" || s === "INFO_REQUESTED" || s === "INFO_PROVIDED";
const DECISIONS = ["reject", "uphold", "ask"] as const;

/** An open objection's decision: reject, uphold or ask for more, with the reason for the resident. */
function DecideForm({ disputeId }: { disputeId: string }) {
  const { t } = useTranslation();
  const formId = `decide-${disputeId}`;
  const decision = useSentValue(formId, "decision");
  return (
    <Form method="post" reloadDocument id={formId}>
      <FormError id={formId} />
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="disputeId" value={disputeId} />
      <fieldset>
        <legend>{t("backoffice.decide")}</legend>
        {DECISIONS.map((k) => (
          <p key={k}>
            <input
              type="radio"
              name="decision"
              value={k}
              id={`${disputeId}-${k}`}
              required
              defaultChecked={decision === k}
            />{" "}
            <label htmlFor={`${disputeId}-${k}`}>{t(`backoffice.decision.${k}`)}</label>
          </p>
        ))}
      </fieldset>
      <StaffReasonField
        id={`${disputeId}-reason`}
        formId={formId}
        label={t("backoffice.reasonForResident")}
      />
      <button type="submit" className="button button--primary">
        {t("backoffice.record")}
      </button>
    </Form>
  );
}

/** The case's objections: what the resident wrote and sent, what was decided, and the decision. */
export function StaffCaseDisputes({ disputes }: { disputes: CaseDispute[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section aria-labelledby="disputes-heading">
      <h2 id="disputes-heading">{t("backoffice.disputes")}</h2>
      {disputes.length === 0 ? <p>{t("backoffice.none")}</p> : null}
      {disputes.map((d) => (
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
          {isOpen(d.status) ? <DecideForm disputeId={d.id} /> : null}
        </article>
      ))}
    </section>
  );
}
