import { Form } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import type { PostalAddress } from "~/domain/postal-address";
import type { AddressOnCase } from "~/services/identity/staff-address.server";
import { AddressFields, type FieldErrors } from "./address-fields";
import { useFormat } from "./format";
import { FormError, useFieldErrorAt } from "./staff-field-error";

/** What the form sent, given back with the fields that were wrong. */
export type AddressFormState = {
  fields: string[];
  values: {
    line1: string;
    line2: string;
    line3: string;
    line4: string;
    postalCode: string;
    city: string;
    country: string;
    source: string;
  };
};

const ID = "address";

/**
 * The resident's postal address on a case, as staff see it (paper letters go there), and the form
 * to correct it with where the new one comes from. A refused form comes back with its values, an
 * error summary whose links lead to the wrong fields, and each field's own message.
 */
export function StaffCaseAddress({
  claimId,
  defaultCountry,
  onRecord,
  done,
  form,
}: {
  claimId: string;
  /** The creditor's: offered when there is no address on record. */
  defaultCountry: string;
  onRecord: AddressOnCase;
  done: boolean;
  form: AddressFormState | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const { address, lastChange } = onRecord;
  const refusedHere = useFieldErrorAt() === `${ID}-form`;
  const a = "backoffice.address";
  const labelOf = (field: string) => t(`${a}.field.${field}`);
  const messageOf = (field: string) =>
    field === "line1" || !field.startsWith("line")
      ? t(`${a}.error.${field}`)
      : t(`${a}.error.line`, { label: labelOf(field) });
  const errors: FieldErrors = Object.fromEntries(
    (form?.fields ?? []).filter((field) => field !== "source").map((x) => [x, messageOf(x)]),
  );
  const sourceError = form?.fields.includes("source") ? messageOf("source") : null;
  const values: PostalAddress = form
    ? {
        lines: [form.values.line1, form.values.line2, form.values.line3, form.values.line4],
        postalCode: form.values.postalCode,
        city: form.values.city,
        country: form.values.country,
      }
    : (address ?? { lines: [], postalCode: "", city: "", country: "" });
  // Three lines, or as many as the address uses (at most four).
  const used = values.lines.reduce((n, l, i) => (l.trim() !== "" ? i + 1 : n), 0);
  return (
    <section aria-labelledby={`${ID}-heading`} id="postal-address">
      <h2 id={`${ID}-heading`}>{t(`${a}.heading`)}</h2>
      {done ? (
        <p className="notice notice--info" role="status" data-testid="address-result">
          {t(`${a}.done`)}
        </p>
      ) : null}
      <div className="card">
        {address ? (
          <p className="postal-address" data-testid="address-on-record">
            {[
              ...address.lines,
              `${address.postalCode} ${address.city}`,
              f.country(address.country),
            ].map((line, i) => (
              <Fragment key={i}>
                {i > 0 ? <br /> : null}
                {line}
              </Fragment>
            ))}
          </p>
        ) : (
          <p className="postal-address" data-testid="address-on-record">
            {t(`${a}.none`)}
          </p>
        )}
        <p className="hint">{t(`${a}.hint`)}</p>
        {lastChange ? (
          <p className="hint" data-testid="address-last-change">
            {lastChange.by === "staff" && lastChange.staffName
              ? t(`${a}.lastChange`, { date: f.date(lastChange.on), name: lastChange.staffName })
              : lastChange.by === "staff"
                ? t(`${a}.lastChangeStaff`, { date: f.date(lastChange.on) })
                : t(`${a}.lastChangeOther`, { date: f.date(lastChange.on) })}
            {lastChange.source ? ` ${t(`${a}.source`, { source: lastChange.source })}` : null}
          </p>
        ) : null}
      </div>
      <details className="letter-action" open={!!form || !address || refusedHere}>
        <summary>{t(`${a}.correct`)}</summary>
        <Form
          method="post"
          action={`/staff/cases/${claimId}#postal-address`}
          reloadDocument
          noValidate
          id={`${ID}-form`}
        >
          <FormError id={`${ID}-form`} />
          {form ? (
            <div
              className="notice notice--error"
              role="alert"
              aria-labelledby={`${ID}-errors-title`}
              data-testid="form-errors"
            >
              <p id={`${ID}-errors-title`}>
                <strong>{t(`${a}.errorTitle`)}</strong>
              </p>
              <ul>
                {form.fields.map((field) => (
                  <li key={field}>
                    <a href={`#${ID}-${field}`}>{messageOf(field)}</a>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <input type="hidden" name="intent" value="address-correct" />
          <fieldset>
            <legend>{t(`${a}.newAddress`)}</legend>
            <AddressFields
              idPrefix={ID}
              lineCount={Math.min(4, Math.max(3, used))}
              values={form ? values : { ...values, country: values.country || defaultCountry }}
              errors={errors}
              withCountry
              required
            />
          </fieldset>
          <label htmlFor={`${ID}-source`} className="field-label">
            {t(`${a}.sourceLabel`)}
          </label>
          <p id={`${ID}-source-hint`} className="hint">
            {t(`${a}.sourceHint`)}
          </p>
          {sourceError ? (
            <p id={`${ID}-source-error`} className="field-error">
              {sourceError}
            </p>
          ) : null}
          <input
            id={`${ID}-source`}
            name="source"
            className="text-input text-input--wide"
            required
            minLength={5}
            maxLength={200}
            defaultValue={form?.values.source ?? ""}
            aria-invalid={sourceError ? true : undefined}
            aria-describedby={
              sourceError ? `${ID}-source-error ${ID}-source-hint` : `${ID}-source-hint`
            }
          />
          <button type="submit" className="button">
            {t(`${a}.submit`)}
          </button>
        </Form>
      </details>
    </section>
  );
}
