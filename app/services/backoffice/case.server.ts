import { recordEvent } from "../events/events.server";
import type { EventData } from "~/domain/events";
import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { maskNationalId } from "~/domain/national-id";
import { db } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { readAttachmentForCreditors } from "../disputes/attachments.server";
import type { StaffContext } from "./queues.server";
import { claimWithHistory, HISTORY_SQL } from "../portal/claims.server";
import { revealNationalId } from "../identity/residents.server";
import { loadClaim } from "../claims/load-claims.server";
import { writtenOffFeesOf } from "~/domain/write-off";
import { loadLawBook } from "../law/legal-figures.server";
import { filingChecks, OPEN_DISPUTES } from "./enforcement.server";
import { reasonGiven } from "~/domain/reason-limits";

const RESIDENT_SQL = {
  nationalIdCipher: `r."nationalIdCipher"`,
  phone: "r.phone",
};

/** A claim of one of the staff member's creditors, or null: another creditor's is not there. */
function staffClaim<K extends string>(
  staff: StaffContext,
  claimId: string,
  extra: Record<K, string>,
) {
  if (!isUuid(claimId)) return Promise.resolve(null);
  return loadClaim(undefined, { creditorIds: staff.creditorIds, claimId }, { extra });
}

async function audit(
  staff: StaffContext,
  claim: { id: string; residentId: string; creditorId: string; timeZone: string },
  ...[type, data]:
    | ["staff.viewed_case", EventData<"staff.viewed_case">]
    | ["staff.revealed_identity", EventData<"staff.revealed_identity">]
    | ["staff.viewed_attachment", EventData<"staff.viewed_attachment">]
) {
  await recordEvent(undefined, {
    claimId: claim.id,
    residentId: claim.residentId,
    creditorId: claim.creditorId,
    type,
    actor: `staff:${staff.staffId}`,
    on: todayIn(claim.timeZone, new Date()),
    data,
  });
}

/**
 * Everything about one claim for a case worker: the claim as the resident and the creditor see it
 * (statement, timeline, notices, holds), its disputes and the resident, identity number masked.
 * Every look is written to the audit log.
 */
export async function caseView(staff: StaffContext, claimId: string, now: Date) {
  const [claim, law] = await Promise.all([
    staffClaim(staff, claimId, { ...HISTORY_SQL, ...RESIDENT_SQL, openDisputes: OPEN_DISPUTES }),
    loadLawBook(),
  ]);
  if (!claim) return null;
  await audit(staff, { ...claim, timeZone: claim.creditor.timeZone }, "staff.viewed_case", {});
  const view = claimWithHistory(claim, law, now);
  const [disputes, flags, filing, writeOffTasks, plans] = await Promise.all([
    db().dispute.findMany({
      where: { claimId: claim.id },
      include: { messages: { orderBy: { createdAt: "asc" } }, attachments: true },
      orderBy: { createdAt: "asc" },
    }),
    db().vulnerabilityFlag.findMany({
      where: { residentId: claim.residentId },
      orderBy: { raisedAt: "asc" },
    }),
    db().enforcementFiling.findUnique({
      where: { claimId: claim.id },
      include: { export: { select: { id: true, status: true, createdAt: true, receipt: true } } },
    }),
    db().staffTask.count({ where: { claimId: claim.id, kind: "WRITE_OFF", status: "OPEN" } }),
    db().planClaim.findMany({
      where: { claimId: claim.id },
      select: { plan: { select: { id: true, createdAt: true } } },
    }),
  ]);
  const dayOf = (at: Date) => todayIn(claim.creditor.timeZone, at);
  return {
    ...view,
    resident: {
      id: claim.residentId,
      name: claim.resident.name,
      email: claim.resident.email,
      phone: claim.extra.phone as string | null,
      nationalIdMasked: maskNationalId(revealNationalId(claim.extra.nationalIdCipher as string)),
    },
    disputes: disputes.map((d) => ({
      id: d.id,
      reason: d.reason,
      text: d.text,
      status: d.status,
      chargeId: d.chargeId,
      createdAt: d.createdAt.toISOString(),
      decidedOn: d.decidedAt ? dayOf(d.decidedAt) : null,
      decisionReason: d.decisionReason,
      freshDeadline: d.freshDeadline ? isoOf(d.freshDeadline) : null,
      messages: d.messages.map((m) => ({
        author: m.author.split(":")[0],
        text: m.text,
        at: m.createdAt.toISOString(),
      })),
      attachments: d.attachments.map((a) => ({ id: a.id, fileName: a.fileName, size: a.size })),
    })),
    flags: flags.map((f) => ({
      id: f.id,
      kind: f.kind,
      note: f.note,
      raisedAt: f.raisedAt.toISOString(),
      resolvedAt: f.resolvedAt?.toISOString() ?? null,
      resolution: f.resolution,
    })),
    allHolds: holdsInWords(
      claim.holds,
      disputes.map((d) => ({ id: d.id, holdId: d.holdId })),
      plans.map(({ plan }) => ({ id: plan.id, madeOn: dayOf(plan.createdAt) })),
    ),
    // The fees a supervisor may write off one by one (decision 0106), and those written off.
    fees: claim.charges
      .filter((c) => c.kind !== "PRINCIPAL" && !c.cancelledOn && !c.pending)
      .map((c) => ({ id: c.id, kind: c.kind, amount: c.amount, chargedOn: c.chargedOn })),
    writtenOffFees: writtenOffFeesOf(claim),
    // In the small-balances queue: a supervisor writes it off or answers "keep collecting".
    writeOffQueued: writeOffTasks > 0,
    // Waiting for a supervisor: each safeguard the approval re-checks, as it stands now (the same
    // code that refuses the approval).
    approvalChecks:
      claim.status === "OPEN" && claim.stage === "READY_FOR_ENFORCEMENT"
        ? filingChecks(claim, law, todayIn(claim.creditor.timeZone, now))
        : null,
    // The approval and the batch the claim is in, dated on the creditor's clock.
    filing: filing
      ? {
          approvedOn: todayIn(claim.creditor.timeZone, filing.approvedAt),
          batch: filing.export
            ? {
                id: filing.export.id,
                status: filing.export.status,
                madeOn: todayIn(claim.creditor.timeZone, filing.export.createdAt),
                receipt: filing.export.receipt,
              }
            : null,
        }
      : null,
  };
}

/** What started a hold, when the system placed it: the objection, the plan or the card payment. */
export type HoldOrigin =
  | { kind: "dispute"; disputeId: string; on: string }
  | { kind: "plan"; planId: string; on: string }
  | { kind: "payment"; on: string };

const PLAN_HOLD = /^Payment plan ([0-9a-f-]{36})$/i;
const PAYMENT_HOLD = /^Online payment [0-9a-f-]{36}$/i;

/**
 * A claim's holds as staff read them. A hold the system placed stores its cause by id ("Dispute
 * <id>", "Payment plan <id>", "Online payment <id>"): that becomes the objection, plan or
 * payment it stands for, with its day (and `reason` null); a person's reason stays as written.
 */
export function holdsInWords<
  H extends { id: string; kind: string; reason: string; startsOn: string },
>(
  holds: readonly H[],
  disputes: readonly { id: string; holdId: string }[],
  plans: readonly { id: string; madeOn: string }[],
): (Omit<H, "reason"> & { reason: string | null; origin: HoldOrigin | null })[] {
  return holds.map((h) => {
    const dispute = disputes.find((d) => d.holdId === h.id);
    const planId = PLAN_HOLD.exec(h.reason)?.[1];
    const plan = planId ? plans.find((p) => p.id === planId) : undefined;
    const origin: HoldOrigin | null = dispute
      ? // Placed the day the objection was filed, by the same clock.
        { kind: "dispute", disputeId: dispute.id, on: h.startsOn }
      : plan
        ? { kind: "plan", planId: plan.id, on: plan.madeOn }
        : PAYMENT_HOLD.test(h.reason)
          ? { kind: "payment", on: h.startsOn }
          : null;
    // A system reason whose objection or plan is not found still names no id.
    const systemMade = origin !== null || h.kind === "DISPUTE" || planId !== undefined;
    return { ...h, reason: systemMade ? null : h.reason, origin };
  });
}

/** The full identity number, shown only with a stated reason, which the audit log keeps. */
export async function revealResidentNationalId(
  staff: StaffContext,
  claimId: string,
  reason: string,
) {
  if (!reasonGiven(reason)) return { ok: false as const, error: "reason_required" };
  const claim = await staffClaim(staff, claimId, RESIDENT_SQL);
  if (!claim) return { ok: false as const, error: "not_found" };
  await audit(staff, { ...claim, timeZone: claim.creditor.timeZone }, "staff.revealed_identity", {
    reason: reason.trim(),
  });
  return {
    ok: true as const,
    nationalId: revealNationalId(claim.extra.nationalIdCipher as string),
  };
}

/** A dispute's file for staff of the claim's creditor; the look is written to the audit log. */
export async function staffAttachment(staff: StaffContext, attachmentId: string) {
  const file = await readAttachmentForCreditors(staff.creditorIds, attachmentId);
  if (!file) return null;
  const owner = await db().attachment.findUniqueOrThrow({
    where: { id: attachmentId },
    select: {
      dispute: {
        select: {
          claim: {
            select: {
              id: true,
              residentId: true,
              creditorId: true,
              creditor: { select: { timeZone: true } },
            },
          },
        },
      },
    },
  });
  const { creditor, ...claim } = owner.dispute.claim;
  await audit(staff, { ...claim, timeZone: creditor.timeZone }, "staff.viewed_attachment", {
    attachmentId,
  });
  return file;
}
