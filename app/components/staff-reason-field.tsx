import { useTranslation } from "react-i18next";
import { useFormat } from "./format";
import { REASON_MAX, REASON_MIN } from "~/domain/reason-limits";
import { useFieldError, useSentValue } from "./staff-field-error";

/**
 * A reason a staff member writes: its label, a hint with its limits, the message when the form
 * was refused about it (both tied to the field by `aria-describedby`), and what was sent before
 * when the form `formId` was refused.
 */
export function StaffReasonField({
  id,
  formId,
  label,
  name = "reason",
  max = REASON_MAX,
}: {
  /** The field's id: unique on the page; a refusal about the field names it. */
  id: string;
  /** The id of its form, as a refusal of the whole form names it. */
  formId: string;
  label: string;
  name?: string;
  max?: number;
}) {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const hintId = `${id}-hint`;
  const { message, attrs } = useFieldError(id, hintId);
  const sent = useSentValue(formId, name);
  const numbers = new Intl.NumberFormat(locale);
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <p id={hintId} className="hint">
        {t("backoffice.reasonHint", {
          min: numbers.format(REASON_MIN),
          max: numbers.format(max),
        })}
      </p>
      {message}
      <textarea
        id={id}
        name={name}
        required
        minLength={REASON_MIN}
        maxLength={max}
        rows={2}
        className="text-input"
        defaultValue={sent ?? ""}
        {...attrs}
      />
    </>
  );
}
