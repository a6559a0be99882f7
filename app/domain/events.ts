import { z } from "zod/v4";

/*
 * Every event type in one place: what it is about, whether the resident sees it on a claim's
 * timeline, and the schema of its data. The writers (app/services/events/*) accept only these
 * types with data of their shape; the timeline, the resident's texts (`event.<type>` in common)
 * and the staff texts (`event.<type>` in staff) are read from here, and a test checks that every
 * type has its texts in every language.
 */

export type EventSubject = "claim" | "resident" | "staff" | "creditor" | "system";

type Spec<D extends z.ZodType> = {
  subject: EventSubject;
  /** Shown on the resident's timeline of the claim (staff see every claim event). */
  timeline: boolean;
  data: D;
};

const spec = <D extends z.ZodType>(subject: EventSubject, timeline: boolean, data: D): Spec<D> => ({
  subject,
  timeline,
  data,
});

const none = z.object({});
const money = z.number().int();
const reason = z.string();
const date = z.string();
const fee = z.object({ kind: z.string(), amount: money }).nullable();
const step = z.object({ step: z.string(), deadline: date.nullable(), fee });
const hold = { holdId: z.string(), kind: z.string() };
const plan = { planId: z.string() };

export const EVENTS = {
  // A claim's life: the moves of the claim transition table (app/domain/claim-transitions.ts).
  "claim.received": spec(
    "claim",
    true,
    z.object({ principal: money, currency: z.string(), dueOn: date, policyVersion: z.number() }),
  ),
  "reminder.sent": spec("claim", true, step),
  "collection_notice.sent": spec("claim", true, step),
  "payment_demand.sent": spec("claim", true, step),
  "enforcement.queued": spec("claim", true, step),
  "deadline.renewed": spec("claim", true, step),
  "enforcement.approved": spec("claim", true, none),
  "enforcement.sent_back": spec(
    "claim",
    true,
    z.object({ reason, toStage: z.string(), deadlineDays: z.number().int() }),
  ),
  "enforcement.exported": spec("claim", true, z.object({ exportId: z.string() })),
  // `receipt`: the authority's receipt or case number (absent on filings made before batches were
  // stored, when an export filed its claims at once).
  "enforcement.filed": spec(
    "claim",
    true,
    z.object({ exportId: z.string(), receipt: z.string().optional() }),
  ),
  "enforcement.export_undone": spec("claim", true, z.object({ exportId: z.string(), reason })),
  "claim.paid": spec("claim", true, none),
  "claim.reopened": spec("claim", true, z.object({ reason })),
  "claim.cancelled": spec("claim", true, z.object({ reason, disputeId: z.string().optional() })),
  "charge.cancelled": spec(
    "claim",
    true,
    z.object({ reason, chargeId: z.string(), disputeId: z.string().optional() }),
  ),
  "claim.written_off": spec("claim", true, z.object({ reason, amount: money })),
  // Staff answer "keep collecting" to a queued small balance (decision 0106): the steps go on.
  "claim.write_off_declined": spec(
    "claim",
    false,
    z.object({ reason, amount: money, since: date }),
  ),
  // One fee written off (not worth collecting): no longer owed from that day, never paid.
  "charge.written_off": spec(
    "claim",
    true,
    z.object({ reason, chargeId: z.string(), kind: z.string(), amount: money }),
  ),
  // Attempts and decisions that change no claim state.
  "enforcement.refused": spec("claim", true, z.object({ reasons: z.array(z.string()) })),
  // Money.
  "payment.started": spec("claim", true, z.object({ checkoutId: z.string(), amount: money })),
  "payment.received": spec(
    "claim",
    true,
    z.object({
      amount: money,
      method: z.string(),
      allocated: z.record(z.string(), money),
      credit: money,
    }),
  ),
  // The interest that ran on after a checkout's day, forgiven because its payment settled what it
  // asked (decision 0099).
  "interest.waived": spec(
    "claim",
    true,
    z.object({
      paymentId: z.string(),
      amount: money,
      pricedOn: date,
      checkoutId: z.string().nullable(),
    }),
  ),
  // Part of a payment that a later change (a fee cancelled, an earlier payment booked after it)
  // left with nothing to pay: booked as its credit, with a refund task (decision 0099).
  "payment.credit_freed": spec(
    "claim",
    true,
    z.object({ paymentId: z.string(), amount: money, from: z.record(z.string(), money) }),
  ),
  "payment.refunded": spec(
    "claim",
    true,
    z.object({ paymentId: z.string(), amount: money, reversed: z.record(z.string(), money) }),
  ),
  "bank_file.imported": spec(
    "creditor",
    false,
    z.object({
      importId: z.string(),
      format: z.string(),
      fileId: z.string(),
      fileName: z.string().nullable(),
      sha256: z.string().nullable(),
      entries: z.number().int(),
      total: money,
      matched: z.number().int(),
      overpaid: z.number().int(),
      unmatched: z.number().int(),
      mismatched: z.number().int(),
    }),
  ),
  "staff.payment_task_resolved": spec(
    "claim",
    false,
    z.object({
      taskId: z.string(),
      kind: z.string(),
      action: z.string(),
      note: z.string(),
      amount: money.nullable().optional(),
      currency: z.string().nullable().optional(),
      paymentId: z.string().nullable().optional(),
      refundId: z.string().nullable().optional(),
    }),
  ),
  // Pauses.
  "hold.placed": spec(
    "claim",
    true,
    z.object({
      ...hold,
      reason: reason.optional(),
      endsOn: date.nullable().optional(),
      planId: z.string().optional(),
    }),
  ),
  "hold.released": spec(
    "claim",
    true,
    z.object({ ...hold, reason: reason.optional(), planId: z.string().optional() }),
  ),
  // Objections and help.
  "dispute.filed": spec(
    "claim",
    true,
    z.object({
      disputeId: z.string(),
      reason: z.string(),
      chargeId: z.string().nullable(),
      attachments: z.number().int(),
    }),
  ),
  "dispute.information_requested": spec("claim", true, z.object({ disputeId: z.string(), reason })),
  "dispute.info_provided": spec(
    "claim",
    true,
    z.object({ disputeId: z.string(), attachments: z.number().int() }),
  ),
  "dispute.upheld": spec("claim", true, z.object({ disputeId: z.string(), reason })),
  "dispute.rejected": spec(
    "claim",
    true,
    z.object({ disputeId: z.string(), reason, freshDeadline: date }),
  ),
  "vulnerability.flagged": spec(
    "resident",
    false,
    // Consent is asked of a resident who asks for help; a flag staff raise has none.
    z.object({
      flagId: z.string(),
      kind: z.string(),
      consentToSocialServices: z.boolean().optional(),
    }),
  ),
  "flag.resolved": spec(
    "resident",
    false,
    z.object({ flagId: z.string(), sentToSocialServices: z.boolean() }),
  ),
  // Payment plans (written on each of the plan's claims).
  "plan.requested": spec("resident", true, z.object({ ...plan }).catchall(z.unknown())),
  "plan.granted": spec("resident", true, z.object({ ...plan }).catchall(z.unknown())),
  "plan.approved": spec("resident", true, z.object({ ...plan, reason: reason.nullable() })),
  "plan.offered": spec("resident", true, z.object({ ...plan, reason }).catchall(z.unknown())),
  "plan.accepted": spec("resident", true, z.object({ ...plan })),
  "plan.declined": spec("resident", true, z.object({ ...plan })),
  "plan.refused": spec("resident", true, z.object({ ...plan, reason })),
  "plan.instalment_missed": spec("resident", true, z.object({ ...plan }).catchall(z.unknown())),
  "plan.ended": spec("resident", true, z.object({ ...plan }).catchall(z.unknown())),
  "plan.completed": spec("resident", true, z.object({ ...plan })),
  "plan.restructured": spec("resident", true, z.object({ ...plan, reason }).catchall(z.unknown())),
  // Letters: a notice's life (app/domain/notice-transitions.ts, NOTICE_MACHINE).
  "notice.dispatched": spec(
    "claim",
    true,
    z.object({
      noticeId: z.string(),
      kind: z.string(),
      channel: z.string(),
      why: z.string(),
      deadline: date.nullable(),
    }),
  ),
  "notice.delivered": spec("claim", true, z.object({ noticeId: z.string(), channel: z.string() })),
  "notice.read": spec("claim", false, z.object({ noticeId: z.string() })),
  "notice.failed": spec("claim", true, z.object({ noticeId: z.string(), reason })),
  "notice.returned": spec("claim", true, z.object({ noticeId: z.string(), reason })),
  "notice.resent": spec(
    "claim",
    true,
    z.object({
      noticeId: z.string(),
      newNoticeId: z.string(),
      /** The channel staff chose; null: chosen again at dispatch. */
      channel: z.string().nullable(),
      reason,
      /** Staff saved a corrected postal address with it. */
      addressCorrected: z.boolean(),
    }),
  ),
  "print_batch.created": spec(
    "creditor",
    false,
    z.object({
      batchId: z.string(),
      letters: z.number().int(),
      sha256: z.string(),
      deliveredTo: z.string(),
    }),
  ),
  // Enforcement export batches (app/domain/case-transitions.ts, ENFORCEMENT_EXPORT_MACHINE).
  "enforcement_export.made": spec(
    "creditor",
    false,
    z.object({
      exportId: z.string(),
      format: z.string(),
      claims: z.number().int(),
      total: money,
      currency: z.string(),
      sha256: z.string(),
    }),
  ),
  "enforcement_export.receipt_recorded": spec(
    "creditor",
    false,
    z.object({
      exportId: z.string(),
      receipt: z.string(),
      filed: z.number().int(),
      /** Claims of the batch closed meanwhile (paid, cancelled): left as they are. */
      closed: z.number().int(),
    }),
  ),
  "enforcement_export.undone": spec(
    "creditor",
    false,
    z.object({
      exportId: z.string(),
      reason,
      returned: z.number().int(),
      closed: z.number().int(),
    }),
  ),
  // Residents.
  "resident.registered": spec("resident", false, none),
  "resident.contact_completed": spec("resident", false, z.object({ fields: z.array(z.string()) })),
  "resident.logged_in": spec("resident", false, z.object({ acr: z.string().nullable() })),
  "resident.logged_out": spec("resident", false, none),
  "resident.email_consent_given": spec("resident", false, z.object({ email: z.string() })),
  "resident.email_consent_withdrawn": spec("resident", false, none),
  "resident.address_changed": spec(
    "resident",
    false,
    // `source`: where staff got the address (the population register, the resident's call).
    z.object({ by: z.string(), source: z.string().optional() }),
  ),
  // Staff, and what staff looked at (the audit log; never on a resident's timeline).
  "staff.created": spec(
    "staff",
    false,
    z.object({ staffId: z.string(), email: z.string(), role: z.string() }),
  ),
  "staff.logged_in": spec(
    "staff",
    false,
    z.object({ staffId: z.string().optional(), method: z.string() }).catchall(z.unknown()),
  ),
  "staff.login_failed": spec(
    "staff",
    false,
    z.object({ staffId: z.string().optional(), method: z.string() }).catchall(z.unknown()),
  ),
  "staff.logged_out": spec("staff", false, z.object({ staffId: z.string() })),
  "staff.locked_out": spec(
    "staff",
    false,
    z.object({
      staffId: z.string(),
      failedLogins: z.number().int(),
      minutes: z.number().int(),
      until: z.string(),
    }),
  ),
  "staff.password_changed": spec("staff", false, z.object({ staffId: z.string() })),
  "staff.password_reset": spec(
    "staff",
    false,
    z.object({ staffId: z.string() }).catchall(z.unknown()),
  ),
  "staff.totp_reset": spec("staff", false, z.object({ staffId: z.string() }).catchall(z.unknown())),
  "staff.disabled": spec("staff", false, z.object({ staffId: z.string() }).catchall(z.unknown())),
  "staff.enabled": spec("staff", false, z.object({ staffId: z.string() }).catchall(z.unknown())),
  "staff.role_changed": spec(
    "staff",
    false,
    z.object({ staffId: z.string() }).catchall(z.unknown()),
  ),
  "staff.viewed_case": spec("claim", false, none),
  "staff.revealed_identity": spec("claim", false, z.object({ reason })),
  "staff.viewed_attachment": spec("claim", false, z.object({ attachmentId: z.string() })),
  "staff.viewed_letter": spec("claim", false, z.object({ noticeId: z.string() })),
  // A search in the back office: what kind of term and how much it found, never the term itself
  // (it may be an identity number).
  "staff.searched": spec(
    "staff",
    false,
    z.object({ kind: z.string(), residents: z.number().int(), claims: z.number().int() }),
  ),
  "staff.viewed_resident": spec("resident", false, none),
  "staff.added_note": spec(
    "resident",
    false,
    z.object({ noteId: z.string(), correctsId: z.string().nullable() }),
  ),
  "staff.downloaded_print_batch": spec("creditor", false, z.object({ batchId: z.string() })),
  "staff.downloaded_enforcement_export": spec(
    "creditor",
    false,
    z.object({ exportId: z.string(), sha256: z.string() }),
  ),
  // The creditor's own settings.
  // Retention of personal data (app/services/operations/retention.server.ts).
  "retention.anonymised": spec(
    "system",
    false,
    z.object({
      asOf: date,
      claims: z.number().int(),
      residents: z.number().int(),
      attachments: z.number().int(),
    }),
  ),
  "retention.policy_set": spec(
    "creditor",
    false,
    z.object({ years: z.number().int(), minimum: z.number().int() }),
  ),
  "api_key.created": spec("creditor", false, z.object({ keyId: z.string(), prefix: z.string() })),
  "policy.saved": spec("creditor", false, z.object({}).catchall(z.unknown())),
  // The Case flows page (decision 0105): a lawful draft stored, and a draft adopted after a
  // simulation of exactly that content.
  "policy.draft_saved": spec(
    "creditor",
    false,
    z.object({ claimType: z.string(), baseVersion: z.number().int() }),
  ),
  "policy.adopted": spec(
    "creditor",
    false,
    z.object({ claimType: z.string(), version: z.number().int(), simulationId: z.string() }),
  ),
  // A creditor merged into this one (decision 0107): what moved, per table.
  "creditor.merged": spec(
    "creditor",
    false,
    z.object({
      fromCreditorId: z.string(),
      from: z.string(),
      into: z.string(),
      moved: z.record(z.string(), z.number().int()),
      revokedApiKeys: z.number().int(),
      renamedClaimTypes: z.array(z.object({ from: z.string(), to: z.string() })),
      renamedInvoiceNumbers: z.number().int(),
      lettersKeepingOldName: z.number().int(),
    }),
  ),
  // The figures page's alert thresholds, as saved (app/domain/figures.ts).
  "figures.alerts_set": spec(
    "creditor",
    false,
    z.object({
      rules: z.array(
        z.object({ figure: z.string(), range: z.string(), risePercent: z.number().int() }),
      ),
    }),
  ),
} as const;

export type EventType = keyof typeof EVENTS;
export type EventData<T extends EventType> = z.input<(typeof EVENTS)[T]["data"]>;

export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

/** The event types a resident sees on a claim's timeline. */
export const TIMELINE_EVENT_TYPES = EVENT_TYPES.filter((t) => EVENTS[t].timeline);

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENTS, type);
}
