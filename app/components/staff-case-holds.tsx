import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { HoldOrigin } from "~/services/backoffice/case.server";
import { useFormat } from "./format";
import { FormError, useFieldError, useSentValue } from "./staff-field-error";
import { StaffChoiceField } from "./staff-choice-field";
import { StaffReasonField } from "./staff-reason-field";

export type CaseHold = {
  id: string;
  kind: string;
  /** A person's words; null where the system placed it (then `origin` says what for). */
  reason: string | null;
  origin: HoldOrigin | null;
  startsOn: string;
  endsOn: string | null;
  releasedOn: string | null;
};

/** The kinds of hold a staff member places by hand. */
const STAFF_HOLD_KINDS = ["MANUAL", "HARDSHIP", "DEBT_RESPITE", "DEFERRAL"] as const;
const HOLD_FORM = "hold-form";

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

function HoldKind() {
  const { t } = useTranslation();
  return (
    <StaffChoiceField
      id="hold-kind"
      formId={HOLD_FORM}
      name="kind"
      label={t("backoffice.holdKind")}
      choices={STAFF_HOLD_KINDS.map((k) => ({ value: k, label: t(`backoffice.words.hold.${k}`) }))}
    />
  );
}

function HoldEnds() {
  const { t } = useTranslation();
  const { message, attrs } = useFieldError("hold-ends");
  const sent = useSentValue(HOLD_FORM, "endsOn");
  return (
    <>
      <label htmlFor="hold-ends" className="field-label">
        {t("backoffice.holdEnds")}
      </label>
      {message}
      <input
        id="hold-ends"
        name="endsOn"
        type="date"
        className="text-input"
        defaultValue={sent ?? ""}
        {...attrs}
      />
    </>
  );
}

/** The case's holds, each with its release (all but an objection's), and the form to place one. */
export function StaffCaseHolds({ holds, status }: { holds: CaseHold[]; status: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section aria-labelledby="holds-heading">
      <h2 id="holds-heading">{t("backoffice.holds")}</h2>
      <ul className="plain-list">
        {holds.map((h) => (
          <li key={h.id} className="card" data-testid="staff-hold">
            <HoldWords kind={h.kind} origin={h.origin} reason={h.reason} /> ({f.date(h.startsOn)}
            {h.endsOn ? ` – ${f.date(h.endsOn)}` : ""}
            {h.releasedOn ? `, ${t("backoffice.released")} ${f.date(h.releasedOn)}` : ""})
            {!h.releasedOn && h.kind !== "DISPUTE" ? (
              <Form method="post" reloadDocument id={`release-form-${h.id}`}>
                <FormError id={`release-form-${h.id}`} />
                <input type="hidden" name="intent" value="release" />
                <input type="hidden" name="holdId" value={h.id} />
                <StaffReasonField
                  id={`release-${h.id}`}
                  formId={`release-form-${h.id}`}
                  label={t("backoffice.releaseReason")}
                />
                <button type="submit" className="button button--secondary">
                  {t("backoffice.release")}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {status === "OPEN" ? (
        <Form method="post" reloadDocument className="card" id={HOLD_FORM}>
          <FormError id={HOLD_FORM} />
          <input type="hidden" name="intent" value="hold" />
          <HoldKind />
          <HoldEnds />
          <StaffReasonField
            id="hold-reason"
            formId={HOLD_FORM}
            label={t("backoffice.holdReason")}
          />
          <button type="submit" className="button button--secondary">
            {t("backoffice.placeHold")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
