/**
 * A form field's own error, above the field. The field lists its id first in `aria-describedby`
 * and has `aria-invalid`, so a screen reader says what is wrong on reaching it; the same markup
 * with JavaScript on or off.
 */
export function FieldError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}

/** What a field's `aria-describedby` lists: its error (when it has one), then its hints. */
export const describedBy = (...ids: (string | null | undefined | false)[]) =>
  ids.filter(Boolean).join(" ") || undefined;

/**
 * The form's problems at its top, announced, each a link to its field (where that field says it
 * again): on a phone the field may be a screen or two down.
 */
export function ErrorSummary({
  title,
  errors,
}: {
  title: string;
  errors: { field: string; message: string }[];
}) {
  if (errors.length === 0) return null;
  return (
    <div
      className="notice notice--error"
      role="alert"
      aria-labelledby="error-summary-title"
      data-testid="form-errors"
    >
      <p id="error-summary-title">
        <strong>{title}</strong>
      </p>
      <ul>
        {errors.map((e) => (
          <li key={e.field}>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
