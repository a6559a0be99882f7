import { createContext, useContext } from "react";
import { useTranslation } from "react-i18next";

/**
 * A refused form on a staff page: its message (a translation key) and the id of the field it is
 * about, or of the form itself when no one field is wrong (someone decided it already, the role).
 */
export type FieldError = { error: string; at: string };

const Current = createContext<FieldError | null>(null);

/** The page's refused form, for the fields below to find their own message. */
export const FieldErrorProvider = Current.Provider;

/**
 * The message of field `id`, if the refused form was about it, and what ties it to the field:
 * `aria-invalid` and `aria-describedby` (the message, then the field's hint if it has one).
 */
export function useFieldError(id: string, hintId?: string) {
  const message = useFieldMessage(id);
  const describedBy = [message ? `${id}-error` : null, hintId ?? null].filter(Boolean).join(" ");
  return {
    message: message ? (
      <p id={`${id}-error`} className="field-error" data-testid="field-error">
        {message}
      </p>
    ) : null,
    attrs: {
      "aria-invalid": message ? true : undefined,
      "aria-describedby": describedBy || undefined,
    },
  };
}

/** The message of field `id`, in words, if the refused form was about it. */
export function useFieldMessage(id: string): string | null {
  const { t } = useTranslation();
  const current = useContext(Current);
  return current?.at === id ? t(current.error) : null;
}

/** A message about a whole form (no one field is wrong), shown at its top. */
export function FormError({ id }: { id: string }) {
  return useFieldError(id).message;
}

/** Where the page's refused form is (a field's or a form's id), for a folded form to open. */
export function useFieldErrorAt(): string | null {
  return useContext(Current)?.at ?? null;
}
