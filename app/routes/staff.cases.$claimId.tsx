import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { BreakdownTable } from "~/components/breakdown-table";
import { useFormat } from "~/components/format";
import { StaffCaseActions } from "~/components/staff-case-actions";
import { StaffCaseAddress } from "~/components/staff-case-address";
import { StaffCaseLetters } from "~/components/staff-case-letters";
import { StageLabel } from "~/components/stage-label";
import { Timeline } from "~/components/timeline";
import { StaffCaseWriteOff } from "~/components/staff-case-write-off";
import {
  FieldErrorProvider,
  FormError,
  SentFormProvider,
  useErrorWords,
  type FieldError,
  type SentForm,
} from "~/components/staff-field-error";
import { StaffReasonField } from "~/components/staff-reason-field";
import { LETTER_REASON_MAX, REASON_MAX } from "~/domain/reason-limits";
import { caseView, revealResidentNationalId } from "~/services/backoffice/case.server";
import {
  canWriteOff,
  staffKeepCollecting,
  staffWriteOffClaim,
  staffWriteOffFee,
} from "~/services/backoffice/write-offs.server";
import { decideDispute, resolveFlag } from "~/services/backoffice/decisions.server";
import { staffPlaceHold, staffReleaseHold } from "~/services/backoffice/staff-holds.server";
import {
  approveEnforcement,
  sendBackFromEnforcement,
} from "~/services/backoffice/enforcement.server";
import {
  correctResidentAddress,
  residentAddressOnCase,
} from "~/services/identity/staff-address.server";
import { requireStaff } from "~/services/identity/staff-auth.server";
import { recordReturnedLetter, resendNotice } from "~/services/letters/resend.server";
import { caseLetters } from "~/services/letters/staff-letters.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const view = await caseView(staff, params.claimId ?? "", new Date());
  // Another creditor's claim is not there at all for this staff member.
  if (!view) throw new Response("Not found", { status: 404 });
  const [letters, address] = await Promise.all([
    caseLetters(staff, view.id),
    residentAddressOnCase(staff, view.id),
  ]);
  if (!address) throw new Response("Not found", { status: 404 });
  const addressDone = new URL(request.url).searchParams.get("done") === "address";
  return {
    view,
    letters,
    address,
    addressDone,
    canApprove: staff.role !== "AGENT",
    canWriteOff: canWriteOff(staff),
  };
}

const WriteOffIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("write-off"), reason: z.string().max(REASON_MAX).default("") }),
  z.object({
    intent: z.literal("write-off-fee"),
    chargeId: z.uuid(),
    reason: z.string().max(REASON_MAX).default(""),
  }),
  z.object({
    intent: z.literal("keep-collecting"),
    reason: z.string().max(REASON_MAX).default(""),
  }),
]);

/** The write-off forms (decision 0106): a 4xx with the reason when refused, and nothing changed. */
async function writeOffAction(
  staff: Awaited<ReturnType<typeof requireStaff>>,
  claimId: string,
  form: Record<string, FormDataEntryValue>,
) {
  const parsed = WriteOffIntent.safeParse(form);
  if (!parsed.success) return invalid(form, parsed.error.issues);
  const input = parsed.data;
  const now = new Date();
  const r =
    input.intent === "write-off"
      ? await staffWriteOffClaim(staff, { claimId, reason: input.reason, now })
      : input.intent === "keep-collecting"
        ? await staffKeepCollecting(staff, { claimId, reason: input.reason, now })
        : await staffWriteOffFee(staff, {
            claimId,
            chargeId: input.chargeId,
            reason: input.reason,
            now,
          });
  const DONE = {
    "write-off": "backoffice.done.writeOff",
    "write-off-fee": "backoffice.done.writeOffFee",
    "keep-collecting": "backoffice.done.keepCollecting",
  } as const;
  if (r.ok) return data({ done: DONE[input.intent] });
  if (r.error === "not_found") throw new Response("Not found", { status: 404 });
  return data(
    {
      error: `backoffice.writeOff.error.${r.error}`,
      at: whereOf(form, r.error === "reason_required" ? "reason" : null),
      sent: sentBack(form),
    },
    { status: statusOf(r.error) },
  );
}

const text = (max: number) => z.string().trim().max(max);
const LetterIntent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("letter-returned"),
    noticeId: z.uuid(),
    reason: text(LETTER_REASON_MAX),
  }),
  z.object({
    intent: z.literal("letter-resend"),
    noticeId: z.uuid(),
    reason: text(LETTER_REASON_MAX),
    channel: z.enum(["AUTO", "PRINT", "EMAIL", "DIGITAL_MAILBOX"]),
    line1: text(70).default(""),
    line2: text(70).default(""),
    postalCode: text(10).default(""),
    city: text(60).default(""),
  }),
]);

/** A letter's forms: a 4xx with the reason when refused, and nothing changed. */
async function letterAction(
  staff: Awaited<ReturnType<typeof requireStaff>>,
  form: Record<string, FormDataEntryValue>,
) {
  const parsed = LetterIntent.safeParse(form);
  if (!parsed.success) return invalid(form, parsed.error.issues);
  const input = parsed.data;
  const r =
    input.intent === "letter-returned"
      ? await recordReturnedLetter({ noticeId: input.noticeId, staff, reason: input.reason })
      : await resendNotice({
          noticeId: input.noticeId,
          staff,
          reason: input.reason,
          channel: input.channel === "AUTO" ? null : input.channel,
          address:
            input.line1 || input.line2 || input.postalCode || input.city
              ? {
                  lines: [input.line1, input.line2].filter(Boolean),
                  postalCode: input.postalCode,
                  city: input.city,
                }
              : null,
        });
  if (r.ok) {
    const done = input.intent === "letter-returned" ? "letterReturned" : "letterResent";
    return data({ done: `backoffice.done.${done}` });
  }
  return data(
    {
      error: `backoffice.error.${r.error}`,
      at: whereOf(form, fieldOf(r.error)),
      sent: sentBack(form),
    },
    { status: statusOf(r.error) },
  );
}

// Generous limits on what is read back; the service checks each field and names the wrong ones.
const AddressIntent = z.object({
  intent: z.literal("address-correct"),
  line1: text(500).default(""),
  line2: text(500).default(""),
  line3: text(500).default(""),
  line4: text(500).default(""),
  postalCode: text(500).default(""),
  city: text(500).default(""),
  country: text(500).default(""),
  source: text(1000).default(""),
});

/**
 * The address form: saved, then back to the case with a confirmation (POST-redirect-GET); a
 * wrong field comes back as a 400 with the values and what is wrong; nothing is changed.
 */
async function addressAction(
  staff: Awaited<ReturnType<typeof requireStaff>>,
  claimId: string,
  form: Record<string, FormDataEntryValue>,
) {
  const parsed = AddressIntent.safeParse(form);
  if (!parsed.success) return invalid(form, parsed.error.issues);
  const v = parsed.data;
  const r = await correctResidentAddress({
    staff,
    claimId,
    form: {
      lines: [v.line1, v.line2, v.line3, v.line4],
      postalCode: v.postalCode,
      city: v.city,
      country: v.country,
      source: v.source,
    },
  });
  if (r.ok) return redirect(`/staff/cases/${claimId}?done=address#postal-address`, 303);
  if (r.error !== "invalid") {
    // Another creditor's case is not there at all.
    if (r.error === "not_found") throw new Response("Not found", { status: 404 });
    return data({ error: "backoffice.error.not_allowed", at: "address-form" }, { status: 403 });
  }
  const { intent: _, ...values } = v;
  return data({ addressForm: { fields: r.fields as string[], values } }, { status: 400 });
}

// A reason goes into the case history and, for a decision, into the resident's letter: at most
// REASON_MAX characters (the same as the write-off forms and the enforcement receipts).
const reason = z.string().max(REASON_MAX);
const Intent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("decide"),
    disputeId: z.uuid(),
    decision: z.enum(["uphold", "reject", "ask"]),
    reason,
  }),
  z.object({
    intent: z.literal("hold"),
    kind: z.enum(["MANUAL", "HARDSHIP", "DEBT_RESPITE", "DEFERRAL"]),
    reason,
    endsOn: z.string().max(10).optional(),
  }),
  z.object({ intent: z.literal("release"), holdId: z.uuid(), reason }),
  z.object({
    intent: z.literal("resolve-flag"),
    flagId: z.uuid(),
    resolution: reason,
    social: z.string().max(10).optional(),
  }),
  z.object({ intent: z.literal("reveal"), reason }),
  z.object({ intent: z.literal("approve"), confirm: z.string().max(10).optional() }),
  z.object({ intent: z.literal("send-back"), reason }),
]);

/**
 * The HTTP status of a refused staff action, by the service's reason (any form on the page);
 * nothing was changed in any of them. A reason not named here is about what was written: 400.
 */
const REFUSED_STATUS: Record<string, 400 | 403 | 404 | 409> = {
  reason_required: 400,
  not_found: 404,
  charge_not_found: 404,
  not_allowed: 403,
  role: 403,
  already_decided: 409,
  wrong_state: 409,
  already_approved: 409,
  not_ready: 409,
  // Writing off: the claim or fee moved on.
  closed: 409,
  nothing_owed: 409,
  payment_pending: 409,
  in_plan: 409,
  not_queued: 409,
};
const statusOf = (code: string) => REFUSED_STATUS[code] ?? 400;
/** An approval refused: 403 for the role, 404 for another creditor's case, else 409 (its state). */
const refusedStatus = (codes: readonly string[]) =>
  codes.map((c) => REFUSED_STATUS[c]).find((s) => s !== undefined) ?? 409;

/** The form field a service's refusal is about (null: the form as a whole). */
function fieldOf(error: string): string | null {
  switch (error) {
    case "reason_required":
    case "too_long":
      return "reason";
    case "end_required":
    case "bad_end":
      return "endsOn";
    case "confirm_required":
      return "confirm";
    case "bad_address":
    case "no_address":
      return "line1";
    default:
      return null;
  }
}

/**
 * Where on the case page a refusal is shown: the id of the field it is about (the ids the
 * components give them), else of its form. The ids of a letter, hold, flag or objection are the
 * form's own hidden fields: a made-up one finds no form, and the summary at the top still says it.
 */
function whereOf(form: Record<string, FormDataEntryValue>, field: string | null): string {
  const v = (k: string) => String(form[k] ?? "").slice(0, 40);
  const intent = String(form.intent ?? "");
  switch (intent) {
    case "decide":
      return field === "reason" ? `${v("disputeId")}-reason` : `decide-${v("disputeId")}`;
    case "hold":
      return field === "reason"
        ? "hold-reason"
        : field === "endsOn"
          ? "hold-ends"
          : field === "kind"
            ? "hold-kind"
            : "hold-form";
    case "release":
      return field === "reason" ? `release-${v("holdId")}` : `release-form-${v("holdId")}`;
    case "resolve-flag":
      return field === "resolution" || field === "reason"
        ? `res-${v("flagId")}`
        : `flag-form-${v("flagId")}`;
    case "reveal":
      return field === "reason" ? "reveal-reason" : "reveal-form";
    case "approve":
      return field === "confirm" ? "approve-confirm" : "approve-form";
    case "send-back":
      return field === "reason" ? "send-back-reason" : "send-back-form";
    case "write-off":
    case "write-off-fee":
    case "keep-collecting":
      return field === "reason" ? `${intent}-reason` : `${intent}-form`;
    case "letter-returned":
    case "letter-resend": {
      const id = v("noticeId");
      if (field === "reason") return `${intent}-reason-${id}`;
      if (
        intent === "letter-resend" &&
        field &&
        ["line1", "line2", "postalCode", "city"].includes(field)
      )
        return `resend-${id}-${field}`;
      return `${intent}-form-${id}`;
    }
    case "address-correct":
      return "address-form";
    default:
      return "case-forms";
  }
}

/** The most characters of one field a refused form is given back with (a reason has far fewer). */
const SENT_BACK_MAX = 10_000;

/** What a refused form sent, for its fields to show again: its id (as `whereOf` names it) and values. */
function sentBack(form: Record<string, FormDataEntryValue>): SentForm {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(form))
    if (typeof v === "string") values[k] = v.slice(0, SENT_BACK_MAX);
  return { form: whereOf(form, null), values };
}

/**
 * A form that did not parse: 400, said beside the wrong field. A field too long says the limit
 * the schema holds it to (a reason's, or another field's); else the first wrong field.
 */
function invalid(
  form: Record<string, FormDataEntryValue>,
  issues: readonly { code: string; path: readonly PropertyKey[]; maximum?: number | bigint }[],
) {
  const tooBig = issues.find((i) => i.code === "too_big");
  const first = tooBig ?? issues[0];
  const field = first && typeof first.path[0] === "string" ? first.path[0] : null;
  const isReason = field === "reason" || field === "resolution";
  return data(
    {
      error: tooBig
        ? isReason
          ? "backoffice.error.too_long"
          : "backoffice.error.too_long_field"
        : "backoffice.error.invalid",
      values: tooBig ? { max: Number(tooBig.maximum) } : undefined,
      at: whereOf(form, field === "intent" ? null : field),
      sent: sentBack(form),
    },
    { status: 400 },
  );
}

/** A refusal the page shows beside the form, with its status (400 for what was written). */
function refused(form: Record<string, FormDataEntryValue>, error: string) {
  return data(
    { error: `backoffice.error.${error}`, at: whereOf(form, fieldOf(error)), sent: sentBack(form) },
    { status: statusOf(error) },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const claimId = params.claimId ?? "";
  const form = Object.fromEntries(await request.formData());
  if (String(form.intent).startsWith("letter-")) return letterAction(staff, form);
  if (form.intent === "address-correct") return addressAction(staff, claimId, form);
  if (
    form.intent === "write-off" ||
    form.intent === "write-off-fee" ||
    form.intent === "keep-collecting"
  )
    return writeOffAction(staff, claimId, form);
  if (form.endsOn === "") delete form.endsOn;
  const parsed = Intent.safeParse(form);
  if (!parsed.success) return invalid(form, parsed.error.issues);
  const now = new Date();
  const input = parsed.data;
  switch (input.intent) {
    case "decide": {
      const r = await decideDispute(staff, {
        disputeId: input.disputeId,
        decision: input.decision,
        reason: input.reason,
        now,
      });
      return r.ok ? { done: `backoffice.done.${input.decision}` } : refused(form, r.error);
    }
    case "hold": {
      const r = await staffPlaceHold(staff, {
        claimId,
        kind: input.kind,
        reason: input.reason,
        endsOn: input.endsOn,
        now,
      });
      return r.ok ? { done: "backoffice.done.hold" } : refused(form, r.error);
    }
    case "release": {
      const r = await staffReleaseHold(staff, { holdId: input.holdId, reason: input.reason, now });
      return r.ok ? { done: "backoffice.done.release" } : refused(form, r.error);
    }
    case "resolve-flag": {
      const r = await resolveFlag(staff, {
        flagId: input.flagId,
        resolution: input.resolution,
        sentToSocialServices: input.social === "yes",
        now,
      });
      return r.ok ? { done: "backoffice.done.flag" } : refused(form, r.error);
    }
    case "reveal": {
      const r = await revealResidentNationalId(staff, claimId, input.reason);
      return r.ok ? { revealed: r.nationalId } : refused(form, r.error);
    }
    case "approve": {
      // Sending a bill to enforcement is not undone by a click: the supervisor confirms it.
      if (input.confirm !== "yes") return refused(form, "confirm_required");
      const r = await approveEnforcement(staff, claimId, now);
      return r.ok
        ? { done: "backoffice.done.approve" }
        : data({ refused: r.reasons, at: "approve-form" }, { status: refusedStatus(r.reasons) });
    }
    case "send-back": {
      const r = await sendBackFromEnforcement(staff, claimId, input.reason, now);
      return r.ok ? { done: "backoffice.done.sendBack" } : refused(form, r.error);
    }
  }
}

/** Showing the full identity number, with the reason the audit log keeps. */
function RevealForm() {
  const { t } = useTranslation();
  return (
    <Form method="post" reloadDocument className="inline-form" id="reveal-form">
      <FormError id="reveal-form" />
      <input type="hidden" name="intent" value="reveal" />
      <StaffReasonField
        id="reveal-reason"
        formId="reveal-form"
        label={t("backoffice.revealReason")}
      />
      <button type="submit" className="button button--secondary">
        {t("backoffice.reveal")}
      </button>
    </Form>
  );
}

export default function CasePage() {
  const { view, letters, address, addressDone, canApprove, canWriteOff } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const errorWords = useErrorWords();
  const fieldError: FieldError | null =
    result && "error" in result && result.error && "at" in result && result.at
      ? {
          error: result.error,
          at: result.at,
          // Each refusal's data has them or not; the union of them all does not say which.
          values: "values" in result ? (result.values as FieldError["values"]) : undefined,
        }
      : null;
  const sent = result && "sent" in result ? ((result.sent as SentForm | undefined) ?? null) : null;
  return (
    <FieldErrorProvider value={fieldError}>
      <SentFormProvider value={sent}>
        <div className="page">
          <p className="breadcrumb">
            <Link to="/staff">{t("backoffice.toQueues")}</Link>
          </p>
          <h1>
            {view.externalId}{" "}
            <span className="subtitle">
              {view.creditor.name} – {view.description}
            </span>
          </h1>
          {result && "done" in result && result.done ? (
            <p className="notice notice--info" role="status" data-testid="action-result">
              {t(result.done)}
            </p>
          ) : null}
          {fieldError ? (
            // Said beside its field below; this summary leads there (the page opens at the top).
            <div className="notice notice--error" role="alert" data-testid="action-result">
              <p>
                <strong>{t("backoffice.errorSummary")}</strong>
              </p>
              <p>
                <a href={`#${fieldError.at}`}>{errorWords(fieldError)}</a>
              </p>
            </div>
          ) : null}
          {result && "refused" in result && result.refused ? (
            <div className="notice notice--error" role="alert" data-testid="action-result">
              <p>{t("backoffice.refused")}</p>
              <ul>
                {result.refused.map((r) => (
                  <li key={r}>{t(`backoffice.refusal.${r}`)}</li>
                ))}
              </ul>
              <p>
                <a href="#enforcement-heading">{t("backoffice.toApproval")}</a>
              </p>
            </div>
          ) : null}
          <dl className="facts card">
            <div>
              <dt>{t("backoffice.status")}</dt>
              <dd data-testid="case-status">
                {view.status === "OPEN" ? (
                  <StageLabel
                    stage={view.stage}
                    country={view.creditor.country}
                    own={view.claimType.ownEnforcement}
                  />
                ) : (
                  t(`backoffice.words.claimStatus.${view.status}`)
                )}
              </dd>
            </div>
            <div>
              <dt>{t("breakdown.totalDue")}</dt>
              <dd className="amount">{f.money(view.statement.balance.total, view.currency)}</dd>
            </div>
            <div>
              <dt>{t("backoffice.resident")}</dt>
              <dd>
                {view.resident.name} (
                {result && "revealed" in result ? result.revealed : view.resident.nationalIdMasked})
                <br />
                <Link to={`/staff/residents/${view.resident.id}`}>
                  {t("backoffice.residentView.toResident")}
                </Link>
              </dd>
            </div>
          </dl>
          <RevealForm />
          <StaffCaseActions view={view} canApprove={canApprove} />
          <StaffCaseWriteOff
            claimId={view.id}
            status={view.status}
            currency={view.currency}
            total={view.statement.balance.total}
            fees={view.fees}
            writtenOffFees={view.writtenOffFees}
            queued={view.writeOffQueued}
            canWriteOff={canWriteOff}
          />
          <StaffCaseAddress
            claimId={view.id}
            defaultCountry={view.creditor.country}
            onRecord={address}
            done={addressDone}
            form={result && "addressForm" in result ? result.addressForm : null}
          />
          <StaffCaseLetters letters={letters} />
          <section aria-labelledby="statement-heading">
            <h2 id="statement-heading">{t("backoffice.statementHeading")}</h2>
            <BreakdownTable statement={view.statement} currency={view.currency} audience="staff" />
          </section>
          <section aria-labelledby="history-heading">
            <h2 id="history-heading">{t("detail.timelineHeading")}</h2>
            <Timeline events={view.events} audience="staff" />
          </section>
        </div>
      </SentFormProvider>
    </FieldErrorProvider>
  );
}
