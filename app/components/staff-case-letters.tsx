import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";
import { useLetterWords } from "./staff-letter-words";

export type CaseLetterRow = {
  id: string;
  kind: string;
  status: string;
  channel: string | null;
  channelReason: string | null;
  writtenOn: string;
  dispatchedOn: string | null;
  deliveredOn: string | null;
  deadline: string | null;
  deadlineDays: number | null;
  failedReason: string | null;
  resendOfId: string | null;
};

const RESEND_CHANNELS = ["AUTO", "PRINT", "EMAIL", "DIGITAL_MAILBOX"] as const;

function ReturnedForm({ letter }: { letter: CaseLetterRow }) {
  const { t } = useTranslation();
  const id = `returned-${letter.id}`;
  return (
    <details className="letter-action">
      <summary>{t("backoffice.letters.returned.summary")}</summary>
      <Form method="post" reloadDocument>
        <input type="hidden" name="intent" value="letter-returned" />
        <input type="hidden" name="noticeId" value={letter.id} />
        <label htmlFor={id} className="field-label">
          {t("backoffice.letters.returned.reason")}
        </label>
        <textarea
          id={id}
          name="reason"
          required
          minLength={5}
          maxLength={500}
          rows={2}
          className="text-input"
        />
        <button type="submit" className="button button--secondary">
          {t("backoffice.letters.returned.submit")}
        </button>
      </Form>
    </details>
  );
}

function ResendForm({ letter }: { letter: CaseLetterRow }) {
  const { t } = useTranslation();
  const id = (f: string) => `resend-${f}-${letter.id}`;
  const field = (f: string, label: string, props: Record<string, unknown> = {}) => (
    <div>
      <label htmlFor={id(f)} className="field-label">
        {label}
      </label>
      <input id={id(f)} name={f} className="text-input" {...props} />
    </div>
  );
  return (
    <details className="letter-action" open={letter.status === "RETURNED"}>
      <summary>{t("backoffice.letters.resend.summary")}</summary>
      <Form method="post" reloadDocument>
        <input type="hidden" name="intent" value="letter-resend" />
        <input type="hidden" name="noticeId" value={letter.id} />
        <fieldset>
          <legend>{t("backoffice.letters.resend.channel")}</legend>
          {RESEND_CHANNELS.map((c) => (
            <div key={c}>
              <input
                type="radio"
                id={id(c)}
                name="channel"
                value={c}
                defaultChecked={c === (letter.channel === "PRINT" ? "PRINT" : "AUTO")}
              />{" "}
              <label htmlFor={id(c)}>
                {t(
                  c === "AUTO"
                    ? "backoffice.letters.resend.auto"
                    : `backoffice.letters.resend.${c}`,
                )}
              </label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("backoffice.letters.resend.address")}</legend>
          {field("line1", t("backoffice.letters.resend.line1"), {
            maxLength: 70,
            autoComplete: "off",
          })}
          {field("line2", t("backoffice.letters.resend.line2"), {
            maxLength: 70,
            autoComplete: "off",
          })}
          {field("postalCode", t("backoffice.letters.resend.postalCode"), {
            maxLength: 10,
            size: 10,
          })}
          {field("city", t("backoffice.letters.resend.city"), { maxLength: 60 })}
        </fieldset>
        <label htmlFor={id("reason")} className="field-label">
          {t("backoffice.letters.resend.reason")}
        </label>
        <textarea
          id={id("reason")}
          name="reason"
          required
          minLength={5}
          maxLength={500}
          rows={2}
          className="text-input"
        />
        <button type="submit" className="button">
          {t("backoffice.letters.resend.submit")}
        </button>
      </Form>
    </details>
  );
}

/** Every letter of the case: what it was, how and when it went, and what staff can do with it. */
export function StaffCaseLetters({ letters }: { letters: CaseLetterRow[] }) {
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
