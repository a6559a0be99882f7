import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { maskNationalId } from "~/domain/national-id";
import { db } from "~/infra/db.server";
import { dbDate, isoOf } from "~/infra/db-dates.server";
import { readAttachmentForCreditors } from "../disputes/attachments.server";
import type { StaffContext } from "./queues.server";
import { getCreditorClaim } from "../portal/claims.server";
import { revealNationalId } from "../identity/residents.server";
import { rowOrder } from "../claims/row-order.server";

/** A claim of one of the staff member's creditors, or null: another creditor's is not there. */
export async function staffClaim(staff: StaffContext, claimId: string) {
  if (!isUuid(claimId)) return null;
  return db().claim.findFirst({
    where: { id: claimId, creditorId: { in: staff.creditorIds } },
    include: { resident: true, creditor: true },
  });
}

async function audit(
  staff: StaffContext,
  claim: { id: string; residentId: string; creditorId: string },
  type: string,
  data: Record<string, unknown> = {},
) {
  await db().event.create({
    data: {
      claimId: claim.id,
      residentId: claim.residentId,
      creditorId: claim.creditorId,
      type,
      actor: `staff:${staff.staffId}`,
      occurredOn: dbDate(todayIn("Europe/Stockholm", new Date())),
      data: data as object,
    },
  });
}

/**
 * Everything about one claim for a case worker: the claim as the resident and the creditor see it
 * (statement, timeline, notices, holds), its disputes and the resident, identity number masked.
 * Every look is written to the audit log.
 */
export async function caseView(staff: StaffContext, claimId: string, now: Date) {
  const claim = await staffClaim(staff, claimId);
  if (!claim) return null;
  await audit(staff, claim, "staff.viewed_case");
  const view = await getCreditorClaim(claim.creditorId, claim.externalId, now);
  if (!view) return null;
  const [disputes, flags, allHolds, filing] = await Promise.all([
    db().dispute.findMany({
      where: { claimId: claim.id },
      include: { messages: { orderBy: { createdAt: "asc" } }, attachments: true },
      orderBy: { createdAt: "asc" },
    }),
    db().vulnerabilityFlag.findMany({
      where: { residentId: claim.residentId },
      orderBy: { raisedAt: "asc" },
    }),
    db().hold.findMany({
      where: { claimId: claim.id },
      orderBy: rowOrder("holds"),
    }),
    db().enforcementFiling.findUnique({ where: { claimId: claim.id } }),
  ]);
  return {
    ...view,
    resident: {
      id: claim.residentId,
      name: claim.resident.name,
      email: claim.resident.email,
      phone: claim.resident.phone,
      nationalIdMasked: maskNationalId(revealNationalId(claim.resident.nationalIdCipher)),
    },
    disputes: disputes.map((d) => ({
      id: d.id,
      reason: d.reason,
      text: d.text,
      status: d.status,
      chargeId: d.chargeId,
      createdAt: d.createdAt.toISOString(),
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
    allHolds: allHolds.map((h) => ({
      id: h.id,
      kind: h.kind,
      reason: h.reason,
      startsOn: isoOf(h.startsOn),
      endsOn: h.endsOn ? isoOf(h.endsOn) : null,
      releasedOn: h.releasedOn ? isoOf(h.releasedOn) : null,
    })),
    filing: filing
      ? {
          approvedAt: filing.approvedAt.toISOString(),
          exportedAt: filing.exportedAt?.toISOString() ?? null,
        }
      : null,
  };
}

/** The full identity number, shown only with a stated reason, which the audit log keeps. */
export async function revealResidentNationalId(
  staff: StaffContext,
  claimId: string,
  reason: string,
) {
  if (reason.trim().length < 5) return { ok: false as const, error: "reason_required" };
  const claim = await staffClaim(staff, claimId);
  if (!claim) return { ok: false as const, error: "not_found" };
  await audit(staff, claim, "staff.revealed_identity", { reason: reason.trim() });
  return { ok: true as const, nationalId: revealNationalId(claim.resident.nationalIdCipher) };
}

/** A dispute's file for staff of the claim's creditor; the look is written to the audit log. */
export async function staffAttachment(staff: StaffContext, attachmentId: string) {
  const file = await readAttachmentForCreditors(staff.creditorIds, attachmentId);
  if (!file) return null;
  const owner = await db().attachment.findUniqueOrThrow({
    where: { id: attachmentId },
    select: {
      dispute: { select: { claim: { select: { id: true, residentId: true, creditorId: true } } } },
    },
  });
  await audit(staff, owner.dispute.claim, "staff.viewed_attachment", { attachmentId });
  return file;
}
