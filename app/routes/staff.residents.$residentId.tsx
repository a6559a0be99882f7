import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { CaseNotes } from "~/components/case-notes";
import { useFormat } from "~/components/format";
import { StaffClaimState } from "~/components/stage-label";
import { ResidentFlags, FLAG_FORM } from "~/components/resident-flags";
import type { FieldError, SentForm } from "~/components/staff-field-error";
import { REASON_MAX } from "~/domain/reason-limits";
import { FLAG_KINDS } from "~/domain/vulnerability";
import { raiseFlag } from "~/services/backoffice/flags.server";
import { addCaseNote, NOTE_MAX } from "~/services/backoffice/notes.server";
import { residentView } from "~/services/backoffice/resident-view.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

/** One resident across the staff member's creditors: claims, contact, flags and case notes. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const view = await residentView(staff, params.residentId ?? "", new Date());
  // Another creditor's resident is not there at all for this staff member.
  if (!view) throw new Response("Not found", { status: 404 });
  const done = new URL(request.url).searchParams.get("done");
  return {
    view,
    noteAdded: done === "note",
    flagDone:
      done === "flag" ? ("raised" as const) : done === "flag-open" ? ("open" as const) : null,
  };
}

// Generous on length here: the service names a note that is too long.
const NoteForm = z.object({
  creditorId: z.string().max(100),
  claimId: z.string().max(100).default(""),
  correctsId: z.string().max(100).default(""),
  text: z.string().max(NOTE_MAX * 4),
});
const NOTE_STATUS = { empty: 400, too_long: 400, not_found: 404 } as const;

// A flag's kind and what the staff member knows; the service holds the note to its limits.
const FlagForm = z.object({
  intent: z.literal("flag"),
  kind: z.enum(FLAG_KINDS),
  reason: z.string().max(REASON_MAX),
});
const FLAG_STATUS = { reason_required: 400, too_long: 400, not_found: 404 } as const;

type FlagRefusal = FieldError & { sent: SentForm };

/** A refused flag: its message beside the field it is about, what was sent given back. */
function flagRefused(form: Record<string, FormDataEntryValue>, error: string, status: number) {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(form))
    if (typeof v === "string") values[k] = v.slice(0, REASON_MAX * 2);
  const at =
    error === "reason_required" || error === "too_long"
      ? "flag-reason"
      : error === "kind"
        ? "flag-kind"
        : FLAG_FORM;
  const refusal: FlagRefusal = {
    error: `backoffice.error.${error === "kind" ? "invalid" : error}`,
    at,
    ...(error === "too_long" ? { values: { max: REASON_MAX } } : {}),
    sent: { form: FLAG_FORM, values },
  };
  return data({ flag: refusal }, { status });
}

/**
 * Adds a note, or raises a vulnerability flag (POST-redirect-GET); refused with a 4xx, what was
 * written kept, and nothing stored.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const residentId = params.residentId ?? "";
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "flag") {
    const flag = FlagForm.safeParse(form);
    if (!flag.success) {
      const wrong = flag.error.issues[0]?.path[0];
      const tooLong = flag.error.issues.some((i) => i.code === "too_big");
      return flagRefused(form, tooLong ? "too_long" : wrong === "kind" ? "kind" : "invalid", 400);
    }
    const r = await raiseFlag(staff, {
      residentId,
      kind: flag.data.kind,
      note: flag.data.reason,
      now: new Date(),
    });
    if (r.ok)
      return redirect(
        `/staff/residents/${residentId}?done=${r.alreadyOpen ? "flag-open" : "flag"}#flags`,
        303,
      );
    return flagRefused(form, r.error, FLAG_STATUS[r.error]);
  }
  const parsed = NoteForm.safeParse(form);
  if (!parsed.success)
    return data(
      { error: "not_found" as const, text: "", claimId: "", creditorId: "" },
      { status: 400 },
    );
  const r = await addCaseNote(staff, { residentId, ...parsed.data }, new Date());
  if (r.ok) return redirect(`/staff/residents/${residentId}?done=note#notes`, 303);
  const { text, claimId, creditorId } = parsed.data;
  return data({ error: r.error, text, claimId, creditorId }, { status: NOTE_STATUS[r.error] });
}

export default function ResidentPage() {
  const { view, noteAdded, flagDone } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const flagRefusal = refused && "flag" in refused ? refused.flag : null;
  const noteRefusal = refused && !("flag" in refused) ? refused : null;
  const { t } = useTranslation();
  const f = useFormat();
  const col = (k: string) => t(`backoffice.residentView.col.${k}`);
  const rv = (k: string, o?: Record<string, unknown>) => t(`backoffice.residentView.${k}`, o);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{rv("title", { name: view.name })}</h1>
      <section aria-labelledby="contact-heading" className="card">
        <h2 id="contact-heading">{rv("contact")}</h2>
        <dl className="facts">
          <div>
            <dt>{rv("nationalId")}</dt>
            <dd>{view.nationalIdMasked}</dd>
          </div>
          <div>
            <dt>{rv("email")}</dt>
            <dd>
              {view.email ?? rv("none")}
              <br />
              <span className="hint">
                {view.emailNotices ? rv("emailNotices") : rv("noEmailNotices")}
              </span>
            </dd>
          </div>
          <div>
            <dt>{rv("phone")}</dt>
            <dd>{view.phone ?? rv("none")}</dd>
          </div>
          <div>
            <dt>{rv("address")}</dt>
            <dd data-testid="resident-address">
              {view.address
                ? [...view.address.lines, `${view.address.postalCode} ${view.address.city}`].map(
                    (line) => (
                      <span key={line} className="address-line">
                        {line}
                        <br />
                      </span>
                    ),
                  )
                : rv("none")}
            </dd>
          </div>
          {view.owed.map((o) => (
            <div key={o.currency}>
              <dt>{rv("owed")}</dt>
              <dd className="amount">{f.money(o.amount, o.currency)}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="claims-heading">
        <h2 id="claims-heading">{rv("claims")}</h2>
        <table className="breakdown staff-table" data-testid="resident-claims">
          <thead>
            <tr>
              <th scope="col">{col("claim")}</th>
              <th scope="col">{col("creditor")}</th>
              <th scope="col">{col("stage")}</th>
              <th scope="col">{col("balance")}</th>
              <th scope="col">{col("holds")}</th>
              <th scope="col">{col("plan")}</th>
              <th scope="col">{col("letters")}</th>
              <th scope="col">{col("payments")}</th>
            </tr>
          </thead>
          <tbody>
            {view.claims.map((c) => (
              <tr key={c.id} data-testid="resident-claim">
                <td data-label={col("claim")}>
                  <Link to={`/staff/cases/${c.id}`}>{c.externalId}</Link>
                  <br />
                  <span className="hint">{f.localName(c.claimType.names, c.claimType.name)}</span>
                </td>
                <td data-label={col("creditor")}>{c.creditorName}</td>
                <td data-label={col("stage")}>
                  <StaffClaimState
                    status={c.status}
                    stage={c.stage}
                    country={c.country}
                    own={c.ownEnforcement}
                  />
                </td>
                <td data-label={col("balance")} className="amount">
                  {f.money(c.balance, c.currency)}
                </td>
                <td data-label={col("holds")}>
                  {c.holds.map((h) => t(`backoffice.words.hold.${h}`)).join(", ") || "–"}
                </td>
                <td data-label={col("plan")}>
                  {c.plan ? (
                    <Link to={`/staff/plans/${c.plan.planId}`}>
                      {t(`backoffice.words.plan.${c.plan.status}`)}
                    </Link>
                  ) : (
                    "–"
                  )}
                </td>
                <td data-label={col("letters")}>
                  {c.letters.last
                    ? rv("lettersSent", {
                        count: c.letters.sent,
                        kind: t(`backoffice.letters.kind.${c.letters.last.kind}`),
                        date: f.date(c.letters.last.on!),
                      })
                    : rv("noLetters")}
                </td>
                <td data-label={col("payments")}>
                  {c.payments.lastOn
                    ? rv("payments", {
                        count: c.payments.count,
                        amount: f.money(c.payments.total, c.currency),
                        date: f.date(c.payments.lastOn),
                      })
                    : rv("noPayments")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <ResidentFlags
        flags={view.flags}
        timeZone={view.timeZone}
        done={flagDone}
        refused={flagRefusal}
      />

      <CaseNotes
        notes={view.notes}
        creditors={view.noteCreditors}
        claims={view.claims.map((c) => ({
          id: c.id,
          externalId: c.externalId,
          creditorId: c.creditorId,
        }))}
        added={noteAdded}
        refused={noteRefusal}
      />
    </div>
  );
}
