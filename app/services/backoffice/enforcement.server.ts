import { randomUUID } from "node:crypto";
import { todayIn } from "~/domain/calendar-date";
import { isHoldActive } from "~/domain/escalation";
import { db } from "~/infra/db.server";
import { dbDate, isoOf } from "~/infra/db-dates.server";
import type { StaffContext } from "./queues.server";
import { claimStateInclude, holdsOf, statementOf } from "../claims/claim-state.server";
import { refreshNextActions } from "../claims/next-action.server";
import { loadLawBook } from "../law/legal-figures.server";
import { revealNationalId } from "../identity/residents.server";

export type ApprovalRefusal =
  | "not_found"
  | "role"
  | "not_ready"
  | "held"
  | "open_dispute"
  | "below_minimum"
  | "only_costs"
  | "vulnerable"
  | "already_approved";

const APPROVERS = new Set(["SUPERVISOR", "ADMIN"]);

/**
 * A person approves filing a claim with the enforcement authority. Everything is checked again
 * at this moment, whatever was true when the claim was queued: holds, open disputes, the
 * policy's minimum, only fees left, vulnerability flags. Agents cannot approve.
 */
export async function approveEnforcement(
  staff: StaffContext,
  claimId: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; reasons: ApprovalRefusal[] }> {
  if (!APPROVERS.has(staff.role)) return { ok: false, reasons: ["role"] };
  const law = await loadLawBook();
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Claim" WHERE id = ${claimId}::uuid FOR UPDATE`;
    const row = await tx.claim.findFirst({
      where: { id: claimId, creditorId: { in: staff.creditorIds } },
      include: {
        ...claimStateInclude,
        filing: true,
        disputes: { where: { status: { in: ["OPEN", "INFO_REQUESTED", "INFO_PROVIDED"] } } },
      },
    });
    if (!row) return { ok: false as const, reasons: ["not_found" as const] };
    const today = todayIn(row.creditor.timeZone, now);
    const reasons: ApprovalRefusal[] = [];
    if (row.filing) reasons.push("already_approved");
    if (row.status !== "OPEN" || row.stage !== "READY_FOR_ENFORCEMENT") reasons.push("not_ready");
    if (holdsOf(row).some((h) => isHoldActive(h, today))) reasons.push("held");
    if (row.disputes.length > 0) reasons.push("open_dispute");
    const principal = statementOf(row, law, today).balance.principal;
    if (principal <= 0) reasons.push("only_costs");
    else if (principal < row.policy.enforcementMinimum) reasons.push("below_minimum");
    if (row.resident.flags.length > 0) reasons.push("vulnerable");
    if (reasons.length > 0) {
      await tx.event.create({
        data: {
          claimId: row.id,
          residentId: row.residentId,
          creditorId: row.creditorId,
          type: "enforcement.refused",
          actor: `staff:${staff.staffId}`,
          occurredOn: dbDate(today),
          data: { reasons },
        },
      });
      return { ok: false as const, reasons };
    }
    await tx.enforcementFiling.create({ data: { claimId: row.id, approvedBy: staff.staffId } });
    await tx.event.create({
      data: {
        claimId: row.id,
        residentId: row.residentId,
        creditorId: row.creditorId,
        type: "enforcement.approved",
        actor: `staff:${staff.staffId}`,
        occurredOn: dbDate(today),
      },
    });
    return { ok: true as const };
  });
}

/** Sends a queued claim back: a manual hold with the reason; the case waits for a person again. */
export async function sendBackFromEnforcement(
  staff: StaffContext,
  claimId: string,
  reason: string,
  now: Date,
) {
  if (reason.trim().length < 5) return { ok: false as const, error: "reason_required" };
  const claim = await db().claim.findFirst({
    where: { id: claimId, creditorId: { in: staff.creditorIds }, stage: "READY_FOR_ENFORCEMENT" },
    include: { creditor: true },
  });
  if (!claim) return { ok: false as const, error: "not_found" };
  const today = todayIn(claim.creditor.timeZone, now);
  const law = await loadLawBook();
  await db().$transaction(async (tx) => {
    const hold = await tx.hold.create({
      data: { claimId, kind: "MANUAL", reason: reason.trim(), startsOn: dbDate(today) },
    });
    await tx.event.create({
      data: {
        claimId,
        residentId: claim.residentId,
        creditorId: claim.creditorId,
        type: "enforcement.sent_back",
        actor: `staff:${staff.staffId}`,
        occurredOn: dbDate(today),
        data: { reason: reason.trim(), holdId: hold.id },
      },
    });
    await refreshNextActions(tx, [claimId], law, today);
  });
  return { ok: true as const };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote everything that could break a row, and defuse spreadsheet formulas.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/**
 * The export file for the enforcement authority: every approved claim of a creditor not yet
 * exported, with what a filing needs (debtor, identity number, amounts split into principal,
 * fees and interest, due date, reference). Exported claims become FILED; nothing is filed without
 * an approval. Returns the CSV text.
 */
export async function exportFilings(staff: StaffContext, creditorId: string, now: Date) {
  if (!APPROVERS.has(staff.role) || !staff.creditorIds.includes(creditorId)) return null;
  const law = await loadLawBook();
  const exportId = randomUUID();
  return db().$transaction(async (tx) => {
    const filings = await tx.enforcementFiling.findMany({
      where: { exportId: null, claim: { creditorId } },
      include: {
        claim: {
          include: {
            ...claimStateInclude,
            resident: {
              select: {
                name: true,
                email: true,
                language: true,
                nationalIdCipher: true,
                flags: { where: { resolvedAt: null }, select: { id: true } },
              },
            },
          },
        },
      },
      orderBy: { approvedAt: "asc" },
    });
    const header = [
      "creditor",
      "external_id",
      "payment_reference",
      "debtor_name",
      "debtor_national_id",
      "currency",
      "principal",
      "fees",
      "interest",
      "total",
      "due_on",
      "description",
      "approved_at",
    ];
    const lines = [header.join(",")];
    for (const f of filings) {
      const row = f.claim;
      const today = todayIn(row.creditor.timeZone, now);
      const b = statementOf(row, law, today).balance;
      lines.push(
        [
          row.creditor.name,
          row.externalId,
          row.paymentReference,
          row.resident.name,
          revealNationalId(row.resident.nationalIdCipher),
          row.currency,
          (b.principal / 100).toFixed(2),
          (b.fees / 100).toFixed(2),
          (b.interest / 100).toFixed(2),
          (b.total / 100).toFixed(2),
          isoOf(row.dueOn),
          row.description,
          f.approvedAt.toISOString(),
        ]
          .map(csvCell)
          .join(","),
      );
      await tx.enforcementFiling.update({
        where: { id: f.id },
        data: { exportId, exportedAt: now },
      });
      await tx.claim.update({
        where: { id: row.id },
        data: { stage: "FILED", stageEnteredOn: dbDate(today), nextActionOn: null },
      });
      await tx.event.create({
        data: {
          claimId: row.id,
          residentId: row.residentId,
          creditorId: row.creditorId,
          type: "enforcement.filed",
          actor: `staff:${staff.staffId}`,
          occurredOn: dbDate(today),
          data: { exportId },
        },
      });
    }
    return { exportId, count: filings.length, csv: `${lines.join("\n")}\n` };
  });
}
