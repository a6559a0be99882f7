import { useTranslation } from "react-i18next";
import { ADDRESS_LINE_MAX, CITY_MAX, POSTAL_CODE_MAX } from "~/domain/postal-address";
import { useFormat } from "./format";

// The countries offered first (the Nordic ones), then the rest of the list by name. An address
// on record in a country not listed is offered too.
const NEAR = ["NO", "SE", "DK", "FI", "IS"];
const FURTHER = ["DE", "EE", "ES", "FR", "GB", "IT", "LT", "LV", "NL", "PL", "US"];

export type AddressValues = {
  lines: string[];
  postalCode: string;
  city: string;
  country?: string;
};

/** What a wrong field's message says, by the field's name (`line1`, `postalCode`, ...). */
export type FieldErrors = Partial<Record<string, string>>;

const LINE_LABELS = ["line1", "line2", "line3", "line4"] as const;

/**
 * The fields of a postal address in a staff form: street lines, postal code, town and (where
 * asked for) the country, named `line1`…, `postalCode`, `city`, `country`. Each field with an
 * error says so above it and points to it (`aria-describedby`, `aria-invalid`); ids are
 * `<idPrefix>-<name>`, for an error summary's links.
 */
export function AddressFields({
  idPrefix,
  lineCount = 2,
  values,
  errors = {},
  withCountry = false,
  required = false,
}: {
  idPrefix: string;
  lineCount?: number;
  values?: AddressValues | null;
  errors?: FieldErrors;
  withCountry?: boolean;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const field = (
    name: string,
    label: string,
    value: string | undefined,
    props: Record<string, unknown>,
  ) => {
    const id = `${idPrefix}-${name}`;
    const error = errors[name];
    return (
      <div key={name}>
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ) : null}
        <input
          id={id}
          name={name}
          className="text-input"
          defaultValue={value ?? ""}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          {...props}
        />
      </div>
    );
  };
  const lines = Array.from({ length: lineCount }, (_, i) =>
    field(`line${i + 1}`, t(`backoffice.address.field.${LINE_LABELS[i]}`), values?.lines[i], {
      maxLength: ADDRESS_LINE_MAX,
      autoComplete: "off",
      required: required && i === 0,
    }),
  );
  const countryId = `${idPrefix}-country`;
  const countryError = errors.country;
  const current = values?.country ?? "";
  const codes = [
    ...NEAR,
    ...[...FURTHER, ...(current && ![...NEAR, ...FURTHER].includes(current) ? [current] : [])]
      .map((code) => ({ code, name: f.country(code) }))
      .sort((a, b) => a.name.localeCompare(b.name, f.locale))
      .map((c) => c.code),
  ];
  return (
    <>
      {lines}
      {field("postalCode", t("backoffice.address.field.postalCode"), values?.postalCode, {
        maxLength: POSTAL_CODE_MAX,
        size: POSTAL_CODE_MAX,
        autoComplete: "off",
        required,
      })}
      {field("city", t("backoffice.address.field.city"), values?.city, {
        maxLength: CITY_MAX,
        autoComplete: "off",
        required,
      })}
      {withCountry ? (
        <div>
          <label htmlFor={countryId} className="field-label">
            {t("backoffice.address.field.country")}
          </label>
          {countryError ? (
            <p id={`${countryId}-error`} className="field-error">
              {countryError}
            </p>
          ) : null}
          <select
            id={countryId}
            name="country"
            className="text-input"
            defaultValue={current}
            required={required}
            aria-invalid={countryError ? true : undefined}
            aria-describedby={countryError ? `${countryId}-error` : undefined}
          >
            {current === "" ? (
              <option value="">{t("backoffice.address.chooseCountry")}</option>
            ) : null}
            {codes.map((code) => (
              <option key={code} value={code}>
                {f.country(code)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </>
  );
}
