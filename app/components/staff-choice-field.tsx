import { useFieldError, useSentValue } from "./staff-field-error";

/**
 * A choice a staff member makes in a form (a hold's kind, a flag's kind): its label, the message
 * when the form was refused about it, and what was chosen before when the form `formId` was
 * refused (else the first choice).
 */
export function StaffChoiceField({
  id,
  formId,
  name,
  label,
  choices,
}: {
  id: string;
  formId: string;
  name: string;
  label: string;
  /** Each choice's value and its words. */
  choices: readonly { value: string; label: string }[];
}) {
  const { message, attrs } = useFieldError(id);
  const sent = useSentValue(formId, name);
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {message}
      <select
        id={id}
        name={name}
        className="text-input"
        defaultValue={sent ?? choices[0]?.value}
        {...attrs}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </>
  );
}
