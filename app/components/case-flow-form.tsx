import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Country } from "~/domain/calendar-date";
import { WRITE_OFF_MODES } from "~/domain/write-off";
import { PLAN_STAGES } from "~/domain/payment-plan";
import type { LegalFigures } from "~/domain/policy";
import {
  ALLOCATION_CATEGORIES,
  PLAN_FIELDS,
  POLICY_FIELDS,
  WRITE_OFF_FIELDS,
  STEP_FEE_KIND,
  stagesFor,
  type Field,
  type FormValues,
} from "~/domain/policy-form";
import { fieldLabel } from "./case-flow-words";
import { useFormat } from "./format";

export type ShownError = { field: string; message: string };

/**
 * An admin's draft of the next case flow, as a plain POST form (works without JavaScript). The
 * fields come from the lists in app/domain/policy-form.ts, so a new policy value is one row there.
 * Every reason the law check gives is listed at the top, linked to its field, and beside it.
 */
export function CaseFlowForm(props: {
  values: FormValues;
  errors: ShownError[];
  country: Country;
  currency: string;
  figures: LegalFigures;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const { values, errors } = props;
  const errorOf = (name: string) => errors.filter((e) => e.field === name);
  const idOf = (name: string) => `f-${name.replace(/\./g, "-")}`;

  const input = (field: Field, label: string, hint?: string) => {
    const name = field.name;
    const id = idOf(name);
    const own = errorOf(name);
    const described = [hint ? `${id}-hint` : "", own.length ? `${id}-error` : ""].filter(Boolean).join(" "); // prettier-ignore
    if (field.kind === "bool")
      return (
        <div className="field field--check" key={name}>
          <input
            type="checkbox"
            id={id}
            name={name}
            defaultChecked={!!values[name]}
            aria-describedby={described || undefined}
          />{" "}
          <label htmlFor={id}>{label}</label>
          {own.length ? <ErrorText id={`${id}-error`} errors={own} /> : null}
        </div>
      );
    return (
      <div className="field" key={name}>
        <label htmlFor={id}>{label}</label>
        {hint ? (
          <p className="hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        <input
          id={id}
          name={name}
          type="text"
          inputMode={field.kind === "money" ? "decimal" : "numeric"}
          defaultValue={values[name] ?? ""}
          aria-invalid={own.length ? true : undefined}
          aria-describedby={described || undefined}
          size={10}
        />
        {own.length ? <ErrorText id={`${id}-error`} errors={own} /> : null}
      </div>
    );
  };

  return (
    <Form method="post" className="case-flow-form" data-testid="draft-form" noValidate>
      <input type="hidden" name="intent" value="save" />
      {errors.length > 0 ? (
        <div className="notice notice--error" role="alert" data-testid="draft-errors">
          <h3>{t("backoffice.caseFlows.form.errorsTitle", { count: errors.length })}</h3>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>
                <a href={`#${idOf(e.field)}`}>{fieldLabel(t, e.field)}</a>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {stagesFor(props.country).map((stage) => {
        const feeKind = stage === "READY_FOR_ENFORCEMENT" ? null : STEP_FEE_KIND[stage];
        const cap = feeKind ? props.figures.caps[feeKind] : undefined;
        const at = (n: string) => `step.${stage}.${n}`;
        return (
          <fieldset key={stage}>
            <legend>{t(`backoffice.caseFlows.stage.${stage}`)}</legend>
            {input({ name: at("on"), kind: "bool" }, t("backoffice.caseFlows.field.on"))}
            {input(
              { name: at("daysAfter"), kind: "int" },
              t("backoffice.caseFlows.field.daysAfter"),
            )}
            {feeKind ? (
              <>
                {input(
                  { name: at("notice"), kind: "bool" },
                  t("backoffice.caseFlows.field.notice"),
                )}
                {input(
                  { name: at("deadlineDays"), kind: "int" },
                  t("backoffice.caseFlows.field.deadlineDays"),
                  t("backoffice.caseFlows.form.deadlineHint", {
                    count: props.figures.minDeadlineDays[stage] ?? 1,
                  }),
                )}
                {input(
                  { name: at("fee"), kind: "money" },
                  t("backoffice.caseFlows.field.fee"),
                  cap !== undefined
                    ? t("backoffice.caseFlows.form.capHint", {
                        amount: f.money(cap, props.currency),
                      })
                    : t("backoffice.caseFlows.form.noCapHint"),
                )}
              </>
            ) : null}
          </fieldset>
        );
      })}
      <fieldset>
        <legend>{t("backoffice.caseFlows.form.general")}</legend>
        {POLICY_FIELDS.map(
          (field) =>
          input(field, fieldLabel(t, field.name), field.kind === "money" ? t("backoffice.caseFlows.form.moneyHint") : undefined), // prettier-ignore
        )}
        {[0, 1, 2].map((i) => {
          const name = `allocation.${i}`;
          return (
            <div className="field" key={name}>
              <label htmlFor={idOf(name)}>{fieldLabel(t, name)}</label>
              <select id={idOf(name)} name={name} defaultValue={values[name] ?? ""}>
                {ALLOCATION_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`backoffice.caseFlows.category.${c}`)}
                  </option>
                ))}
              </select>
              {errorOf(name).length ? (
                <ErrorText id={`${idOf(name)}-error`} errors={errorOf(name)} />
              ) : null}
            </div>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>{t("backoffice.caseFlows.form.plans")}</legend>
        {input({ name: "plan.on", kind: "bool" }, t("backoffice.caseFlows.field.plan_on"))}
        <fieldset>
          <legend>{t("backoffice.caseFlows.field.planStages")}</legend>
          {PLAN_STAGES.map((s) =>
            input({ name: `plan.stage.${s}`, kind: "bool" }, t(`backoffice.caseFlows.stage.${s}`)),
          )}
        </fieldset>
        {PLAN_FIELDS.map((field) =>
          input({ ...field, name: `plan.${field.name}` }, fieldLabel(t, `plan.${field.name}`)),
        )}
      </fieldset>
      <fieldset>
        <legend>{t("backoffice.caseFlows.form.writeOff")}</legend>
        <p className="hint">{t("backoffice.caseFlows.form.writeOffHint")}</p>
        {input({ name: "writeOff.on", kind: "bool" }, fieldLabel(t, "writeOff.on"))}
        {WRITE_OFF_FIELDS.map((field) =>
          input(
            { ...field, name: `writeOff.${field.name}` },
            fieldLabel(t, `writeOff.${field.name}`),
            field.kind === "money" ? t("backoffice.caseFlows.form.moneyHint") : undefined,
          ),
        )}
        <div className="field">
          <label htmlFor={idOf("writeOff.mode")}>{fieldLabel(t, "writeOff.mode")}</label>
          <select
            id={idOf("writeOff.mode")}
            name="writeOff.mode"
            defaultValue={values["writeOff.mode"] ?? "queue"}
            aria-invalid={errorOf("writeOff.mode").length ? true : undefined}
          >
            {WRITE_OFF_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`backoffice.caseFlows.writeOffMode.${m}`)}
              </option>
            ))}
          </select>
          {errorOf("writeOff.mode").length ? (
            <ErrorText id={`${idOf("writeOff.mode")}-error`} errors={errorOf("writeOff.mode")} />
          ) : null}
        </div>
      </fieldset>
      <button type="submit" className="button">
        {t("backoffice.caseFlows.form.save")}
      </button>
    </Form>
  );
}

function ErrorText(props: { id: string; errors: ShownError[] }) {
  return (
    <p className="field-error" id={props.id}>
      {props.errors.map((e) => e.message).join(" ")}
    </p>
  );
}
