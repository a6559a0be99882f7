import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";
import { FormError, useSentValue } from "./staff-field-error";
import { StaffReasonField } from "./staff-reason-field";

type Props = {
  claimId: string;
  status: string;
  currency: string;
  total: number;
  fees: { id: string; kind: string; amount: number; chargedOn: string }[];
  writtenOffFees: { kind: string; amount: number; on: string }[];
  /** In the small-balances queue: the supervisor may also answer "keep collecting". */
  queued: boolean;
  /** Supervisors and admins (the claim table's `write_off`): agents see only what was done. */
  canWriteOff: boolean;
};

/**
 * Writing off (decision 0106): the whole claim, or one fee, each with a reason. Plain forms that
 * work without JavaScript; the fees written off so far are listed for everyone.
 */
export function StaffCaseWriteOff(props: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  // The fee chosen in a refused fee write-off, chosen again.
  const chosenFee = useSentValue("write-off-fee-form", "chargeId");
  const open = props.status === "OPEN";
  if (!props.writtenOffFees.length && !(open && props.canWriteOff)) return null;
  return (
    <section aria-labelledby="write-off-heading" data-testid="case-write-off">
      <h2 id="write-off-heading">{t("backoffice.writeOff.heading")}</h2>
      {props.writtenOffFees.length > 0 ? (
        <ul className="plain-list" data-testid="written-off-fees">
          {props.writtenOffFees.map((w, i) => (
            <li key={i}>
              {t("backoffice.writeOff.feeWrittenOff", {
                what: t(`chargeKind.${w.kind}`),
                amount: f.money(w.amount, props.currency),
                date: f.date(w.on),
              })}
            </li>
          ))}
        </ul>
      ) : null}
      {open && props.canWriteOff ? (
        <>
          <p>{t("backoffice.writeOff.intro")}</p>
          {props.fees.length > 0 ? (
            <ReasonForm
              intent="write-off-fee"
              reasonId="write-off-fee-reason"
              submit={t("backoffice.writeOff.feeSubmit")}
            >
              <fieldset>
                <legend>{t("backoffice.writeOff.feeLegend")}</legend>
                {props.fees.map((fee) => (
                  <div key={fee.id} className="radio">
                    <input
                      type="radio"
                      id={`wo-fee-${fee.id}`}
                      name="chargeId"
                      value={fee.id}
                      required
                      defaultChecked={chosenFee === fee.id}
                    />
                    <label htmlFor={`wo-fee-${fee.id}`}>
                      {t("backoffice.writeOff.feeOption", {
                        what: t(`chargeKind.${fee.kind}`),
                        amount: f.money(fee.amount, props.currency),
                        date: f.date(fee.chargedOn),
                      })}
                    </label>
                  </div>
                ))}
              </fieldset>
            </ReasonForm>
          ) : null}
          <ReasonForm
            intent="write-off"
            reasonId="write-off-reason"
            submit={t("backoffice.writeOff.claimSubmit")}
          >
            <p>
              {t("backoffice.writeOff.claimIntro", {
                amount: f.money(props.total, props.currency),
              })}
            </p>
          </ReasonForm>
          {props.queued ? (
            <ReasonForm
              intent="keep-collecting"
              reasonId="keep-collecting-reason"
              submit={t("backoffice.writeOff.keepSubmit")}
              testId="keep-collecting"
            >
              <p>{t("backoffice.writeOff.keepIntro")}</p>
            </ReasonForm>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/**
 * One answer with a reason (at least five characters, as the services require): the intent it
 * posts, what it is about (`children`, above the reason) and its button.
 */
function ReasonForm(props: {
  intent: "write-off-fee" | "write-off" | "keep-collecting";
  /** The reason field's id: unique on the case page. */
  reasonId: string;
  submit: string;
  testId?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const formId = `${props.intent}-form`;
  return (
    <Form method="post" reloadDocument className="card" data-testid={props.testId} id={formId}>
      <FormError id={formId} />
      <input type="hidden" name="intent" value={props.intent} />
      {props.children}
      <StaffReasonField
        id={props.reasonId}
        formId={formId}
        label={t("backoffice.writeOff.reason")}
      />
      <button type="submit" className="button button--secondary">
        {props.submit}
      </button>
    </Form>
  );
}
