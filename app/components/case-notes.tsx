import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import type { CaseNoteView } from "~/services/backoffice/notes.server";

type Refused = {
  error: "empty" | "too_long" | "not_found";
  text: string;
  claimId: string;
  creditorId: string;
};

/**
 * A resident's case notes, newest first, and the form to add one (or a correction of one): a
 * plain form, so it works without JavaScript; a refused note comes back as it was filled in.
 */
export function CaseNotes(props: {
  notes: CaseNoteView[];
  creditors: { id: string; name: string }[];
  claims: { id: string; externalId: string; creditorId: string }[];
  added: boolean;
  refused: Refused | null;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = (k: string, o?: Record<string, unknown>) => t(`backoffice.notes.${k}`, o);
  const single = props.creditors.length === 1 ? props.creditors[0]! : null;
  return (
    <section aria-labelledby="notes" className="card">
      <h2 id="notes">{n("heading")}</h2>
      <p className="hint">{n("hint")}</p>
      {props.added ? (
        <p className="notice notice--info" role="status" data-testid="note-result">
          {n("added")}
        </p>
      ) : null}
      {props.refused ? (
        <p className="notice notice--error" role="alert" data-testid="note-result">
          {n(`error.${props.refused.error}`)}
        </p>
      ) : null}
      <Form method="post" className="stack" reloadDocument>
        {single ? (
          <input type="hidden" name="creditorId" value={single.id} />
        ) : (
          <p>
            <label htmlFor="note-creditor" className="field-label">
              {n("creditor")}
            </label>
            <select
              className="text-input"
              id="note-creditor"
              name="creditorId"
              defaultValue={props.refused?.creditorId ?? undefined}
            >
              {props.creditors.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </p>
        )}
        <p>
          <label htmlFor="note-claim" className="field-label">
            {n("claim")}
          </label>
          <select
            className="text-input"
            id="note-claim"
            name="claimId"
            defaultValue={props.refused?.claimId ?? ""}
          >
            <option value="">{n("wholeResident")}</option>
            {props.claims.map((c) => (
              <option key={c.id} value={c.id}>
                {c.externalId}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label htmlFor="note-text" className="field-label">
            {n("text")}
          </label>
          <textarea
            className="text-input text-input--wide"
            id="note-text"
            name="text"
            rows={4}
            maxLength={2000}
            required
            defaultValue={props.refused?.text ?? ""}
            aria-invalid={props.refused ? true : undefined}
          />
        </p>
        <button type="submit" className="button">
          {n("add")}
        </button>
      </Form>
      {props.notes.length === 0 ? (
        <p>{n("none")}</p>
      ) : (
        <ol className="plain-list notes" data-testid="case-notes">
          {props.notes.map((note) => {
            const when = f.dateTime(note.createdAt, note.timeZone);
            const corrected = props.notes.find((o) => o.id === note.correctsId);
            return (
              <li key={note.id} className="card" data-testid="case-note">
                <p className="hint">
                  {n("by", { name: note.staffName, date: when })} · {note.creditorName}
                  {note.claimExternalId
                    ? ` · ${n("onClaim", { claim: note.claimExternalId })}`
                    : ""}
                </p>
                {corrected ? (
                  <p className="hint">
                    {n("correction", { date: f.dateTime(corrected.createdAt, corrected.timeZone) })}
                  </p>
                ) : null}
                <p className="note-text">{note.text}</p>
                {note.correctedBy ? <p className="hint">{n("correctedBy")}</p> : null}
                <details>
                  <summary>{n("correct")}</summary>
                  <Form method="post" className="stack" reloadDocument>
                    <input type="hidden" name="creditorId" value={note.creditorId} />
                    <input type="hidden" name="claimId" value={note.claimId ?? ""} />
                    <input type="hidden" name="correctsId" value={note.id} />
                    <p>
                      <label htmlFor={`correct-${note.id}`} className="field-label">
                        {n("text")}
                      </label>
                      <textarea
                        className="text-input text-input--wide"
                        id={`correct-${note.id}`}
                        name="text"
                        rows={3}
                        maxLength={2000}
                        required
                      />
                    </p>
                    <button type="submit" className="button button--secondary">
                      {n("add")}
                    </button>
                  </Form>
                </details>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
