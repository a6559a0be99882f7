import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CaseLetter } from "~/services/letters/staff-letters.server";
import { AddressFields } from "./address-fields";
import { useFormat } from "./format";
import { FormError, useFieldErrorAt, useFieldMessage, useSentForm } from "./staff-field-error";
import { useLetterWords } from "./staff-letter-words";
import { LETTER_REASON_MAX } from "~/domain/reason-limits";
import { StaffReasonField } from "./staff-reason-field";

const RESEND_CHANNELS = ["AUTO", "PRINT", "EMAIL", "DIGITAL_MAILBOX"] as const;

/**
 * A form about one letter, folded under its summary: the intent and the letter's id, the fields
 * of its own, the reason every letter action asks for, and the button.
 */
function LetterActionForm({
  letter,
  intent,
  texts,
  open = false,
  primary = false,
  children,
}: {
  letter: CaseLetter;
  intent: "letter-returned" | "letter-resend";
  texts: { summary: string; reason: string; submit: string };
  open?: boolean;
  primary?: boolean;
  children?: ReactNode;
}) {
  const reasonId = `${intent}-reason-${letter.id}`;
  const formId = `${intent}-form-${letter.id}`;
  // A refusal about this form opens it, to show the message beside its field.
  const at = useFieldErrorAt();
  const refusedHere =
    at !== null && (at === formId || at === reasonId || at.startsWith(`resend-${letter.id}-`));
  return (
    <details className="letter-action" open={open || refusedHere}>
      <summary>{texts.summary}</summary>
      <Form method="post" reloadDocument id={formId}>
        <FormError id={formId} />
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="noticeId" value={letter.id} />
        {children}
        <StaffReasonField
          id={reasonId}
          formId={formId}
          label={texts.reason}
          max={LETTER_REASON_MAX}
        />
        <button type="submit" className={primary ? "button" : "button button--secondary"}>
          {texts.submit}
        </button>
      </Form>
    </details>
  );
}

function ReturnedForm({ letter }: { letter: CaseLetter }) {
  const { t } = useTranslation();
  return (
    <LetterActionForm
      letter={letter}
      intent="letter-returned"
      texts={{
        summary: t("backoffice.letters.returned.summary"),
        reason: t("backoffice.letters.returned.reason"),
        submit: t("backoffice.letters.returned.submit"),
      }}
    />
  );
}

function ResendForm({ letter }: { letter: CaseLetter }) {
  const { t } = useTranslation();
  const id = (f: string) => `resend-${f}-${letter.id}`;
  // A refused address: its message beside the first street line.
  const line1 = useFieldMessage(`resend-${letter.id}-line1`);
  // A refused form: what was chosen and written, shown again.
  const sent = useSentForm(`letter-resend-form-${letter.id}`);
  const channel = sent("channel") ?? (letter.channel === "PRINT" ? "PRINT" : "AUTO");
  const address = {
    lines: [sent("line1") ?? "", sent("line2") ?? ""],
    postalCode: sent("postalCode") ?? "",
    city: sent("city") ?? "",
  };
  return (
    <LetterActionForm
      letter={letter}
      intent="letter-resend"
      open={letter.status === "RETURNED"}
      primary
      texts={{
        summary: t("backoffice.letters.resend.summary"),
        reason: t("backoffice.letters.resend.reason"),
        submit: t("backoffice.letters.resend.submit"),
      }}
    >
      <fieldset>
        <legend>{t("backoffice.letters.resend.channel")}</legend>
        {RESEND_CHANNELS.map((c) => (
          <div key={c}>
            <input
              type="radio"
              id={id(c)}
              name="channel"
              value={c}
              defaultChecked={c === channel}
            />{" "}
            <label htmlFor={id(c)}>
              {t(
                c === "AUTO" ? "backoffice.letters.resend.auto" : `backoffice.letters.resend.${c}`,
              )}
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t("backoffice.letters.resend.address")}</legend>
        <AddressFields
          idPrefix={`resend-${letter.id}`}
          values={address}
          errors={line1 ? { line1 } : {}}
        />
      </fieldset>
    </LetterActionForm>
  );
}

/** Every letter of the case: what it was, how and when it went, and what staff can do with it. */
export function StaffCaseLetters({ letters }: { letters: CaseLetter[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const words = useLetterWords();
  const col = (k: string) => t(`backoffice.letters.col.${k}`);
  return (
    <section aria-labelledby="letters-heading">
      <h2 id="letters-heading">{t("backoffice.letters.heading")}</h2>
      {letters.length === 0 ? <p>{t("backoffice.letters.none")}</p> : null}
      {letters.map((l) => {
        const why = words.reason(l.failedReason);
        return (
          <article key={l.id} className="card" data-testid="staff-letter" data-status={l.status}>
            <h3>
              {words.kind(l.kind)} – {words.how(l.status, l.channel)}
            </h3>
            <dl className="facts">
              <div>
                <dt>{col("dates")}</dt>
                <dd>
                  {l.dispatchedOn
                    ? t("backoffice.letters.sentOn", { date: f.date(l.dispatchedOn) }) +
                      (l.deliveredOn
                        ? `, ${t("backoffice.letters.deliveredOn", { date: f.date(l.deliveredOn) })}`
                        : "")
                    : t("backoffice.letters.writtenOn", { date: f.date(l.writtenOn) })}
                </dd>
              </div>
              <div>
                <dt>{col("deadline")}</dt>
                <dd>
                  {l.deadline
                    ? f.date(l.deadline)
                    : l.deadlineDays !== null && !l.dispatchedOn
                      ? t("backoffice.letters.deadlineLater", { count: l.deadlineDays })
                      : t("backoffice.letters.noDeadline")}
                </dd>
              </div>
              {why ? (
                <div>
                  <dt>{col("reason")}</dt>
                  <dd>
                    {why.words}
                    {why.detail ? (
                      <span className="hint">
                        {" "}
                        {t("backoffice.letters.why.detail", { detail: why.detail })}
                      </span>
                    ) : null}
                  </dd>
                </div>
              ) : null}
            </dl>
            {l.resendOfId ? <p className="hint">{t("backoffice.letters.resendOf")}</p> : null}
            {l.dispatchedOn ? (
              <p>
                <a href={`/staff/letters/${l.id}`} download>
                  {t("backoffice.letters.pdf")}
                </a>
              </p>
            ) : null}
            {l.status === "DISPATCHED" || l.status === "DELIVERED" ? (
              <ReturnedForm letter={l} />
            ) : null}
            {l.status === "FAILED" || l.status === "RETURNED" ? <ResendForm letter={l} /> : null}
          </article>
        );
      })}
    </section>
  );
}
