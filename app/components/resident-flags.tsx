import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";
import {
  FieldErrorProvider,
  FormError,
  SentFormProvider,
  type FieldError,
  type SentForm,
} from "./staff-field-error";
import { StaffChoiceField } from "./staff-choice-field";
import { StaffReasonField } from "./staff-reason-field";
import { FLAG_KINDS } from "~/domain/vulnerability";

export const FLAG_FORM = "flag-form";

type Flag = {
  id: string;
  kind: string;
  note: string;
  raisedAt: string;
  resolvedAt: string | null;
};

function FlagKind() {
  const { t } = useTranslation();
  return (
    <StaffChoiceField
      id="flag-kind"
      formId={FLAG_FORM}
      name="kind"
      label={t("backoffice.residentView.flagKind")}
      choices={FLAG_KINDS.map((k) => ({ value: k, label: t(`backoffice.words.flag.${k}`) }))}
    />
  );
}

/**
 * A resident's vulnerability flags, and the form to raise one (a plain post: it works without
 * JavaScript). A refused form comes back filled in, its message beside the field it is about.
 */
export function ResidentFlags(props: {
  flags: Flag[];
  timeZone: string;
  done: "raised" | "open" | null;
  refused: (FieldError & { sent: SentForm }) | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const rv = (k: string, o?: Record<string, unknown>) => t(`backoffice.residentView.${k}`, o);
  return (
    <section aria-labelledby="flags-heading" id="flags">
      <h2 id="flags-heading">{rv("flags")}</h2>
      {props.done ? (
        <p className="notice notice--info" role="status" data-testid="flag-result">
          {props.done === "raised" ? rv("flagRaisedDone") : rv("flagAlreadyOpen")}
        </p>
      ) : null}
      {props.flags.length === 0 ? (
        <p>{rv("noFlags")}</p>
      ) : (
        <ul data-testid="resident-flags">
          {props.flags.map((fl) => (
            <li key={fl.id}>
              {t(`backoffice.words.flag.${fl.kind}`)}:{" "}
              {rv("flagRaised", { date: f.dateTime(fl.raisedAt, props.timeZone) })},{" "}
              {fl.resolvedAt
                ? rv("flagResolved", { date: f.dateTime(fl.resolvedAt, props.timeZone) })
                : rv("flagOpen")}
              <br />
              <span className="hint">{fl.note}</span>
            </li>
          ))}
        </ul>
      )}
      <FieldErrorProvider value={props.refused}>
        <SentFormProvider value={props.refused?.sent ?? null}>
          <Form method="post" reloadDocument id={FLAG_FORM} className="card">
            <h3>{rv("raiseFlag")}</h3>
            <p className="hint">{rv("raiseFlagHint")}</p>
            <FormError id={FLAG_FORM} />
            <input type="hidden" name="intent" value="flag" />
            <FlagKind />
            <StaffReasonField id="flag-reason" formId={FLAG_FORM} label={rv("flagNote")} />
            <button type="submit" className="button">
              {rv("raise")}
            </button>
          </Form>
        </SentFormProvider>
      </FieldErrorProvider>
    </section>
  );
}
