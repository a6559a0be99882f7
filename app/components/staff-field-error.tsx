import { createContext, useContext } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";

/**
 * A refused form on a staff page: its message (a translation key, with the numbers it names) and
 * the id of the field it is about, or of the form itself when no one field is wrong (someone
 * decided it already, the role).
 */
export type FieldError = { error: string; at: string; values?: Record<string, number> };

/**
 * What a refused form sent, given back so its fields show it again (not typed twice): the id of
 * the form (as `FieldError.at` names a form) and its fields by name.
 */
export type SentForm = { form: string; values: Record<string, string> };

const Current = createContext<FieldError | null>(null);
const Sent = createContext<SentForm | null>(null);

/** The page's refused form, for the fields below to find their own message. */
export const FieldErrorProvider = Current.Provider;

/** What the page's refused form sent, for its fields to show again. */
export const SentFormProvider = Sent.Provider;

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

/** A refusal's message in words, its numbers written as this language writes them (2 000). */
export function useErrorWords(): (e: Pick<FieldError, "error" | "values">) => string {
  const { t } = useTranslation();
  const { locale } = useFormat();
  return (e) => {
    const numbers = new Intl.NumberFormat(locale);
    const values = Object.fromEntries(
      Object.entries(e.values ?? {}).map(([k, v]) => [k, numbers.format(v)]),
    );
    return t(e.error, values);
  };
}

/** The message of field `id`, in words, if the refused form was about it. */
export function useFieldMessage(id: string): string | null {
  const words = useErrorWords();
  const current = useContext(Current);
  return current?.at === id ? words(current) : null;
}

/**
 * What the refused form `formId` sent in its field `name`, to show again; undefined when the
 * page's refused form (if any) was another one.
 */
export function useSentValue(formId: string, name: string): string | undefined {
  return useSentForm(formId)(name);
}

/** What the refused form `formId` sent, field by field (all undefined for another form). */
export function useSentForm(formId: string): (name: string) => string | undefined {
  const sent = useContext(Sent);
  return (name) => (sent?.form === formId ? sent.values[name] : undefined);
}

/** A message about a whole form (no one field is wrong), shown at its top. */
export function FormError({ id }: { id: string }) {
  return useFieldError(id).message;
}

/** Where the page's refused form is (a field's or a form's id), for a folded form to open. */
export function useFieldErrorAt(): string | null {
  return useContext(Current)?.at ?? null;
}
