import { DISPUTE_MACHINE } from "~/domain/case-transitions";
import { checkMove } from "~/domain/state-machine";
import { recordEvent } from "../events/events.server";
import { randomUUID } from "node:crypto";
import { z } from "zod/v4";
import type { DisputeReason } from "~/generated/prisma/client.ts";
import { todayIn } from "~/domain/calendar-date";
import { DISPUTE_REASONS } from "~/domain/dispute-reasons";
import { db } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { env } from "~/infra/env.server";
import {
  checkFiles,
  removeFiles,
  storeFiles,
  type FieldError,
  type IncomingFile,
  type StoredFile,
} from "./attachments.server";
import { loadClaims } from "../claims/load-claims.server";
import { refreshNextActions } from "../claims/next-action.server";
import { loadLawBook } from "../law/legal-figures.server";
import { writeDecisionNotice } from "../letters/decision-notices.server";
import { isWithEnforcement } from "~/domain/claim-stages";

// The domain's list must stay the database's enum: this fails to compile when they part.
const REASONS_MATCH_DATABASE: readonly DisputeReason[] = DISPUTE_REASONS;
void REASONS_MATCH_DATABASE;

export type DisputeResult = { ok: true; disputeId: string } | { ok: false; errors: FieldError[] };

export const text = (max: number) =>
  z.string().trim().min(1, "dispute.error.textRequired").max(max, "dispute.error.textTooLong");

const FileDisputeSchema = z.object({
  claimId: z.uuid("dispute.error.notFound"),
  chargeId: z.uuid("dispute.error.badCharge").optional(),
  reason: z.enum(DISPUTE_REASONS, "dispute.error.reasonRequired"),
  text: text(4000),
});

export function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: i.path.join(".") || "form", message: i.message }));
}

export const actorOf = (residentId: string) => `resident:${residentId}`;

function attachmentRows(disputeId: string, stored: StoredFile[]) {
  return stored.map((f) => ({
    disputeId,
    fileName: f.fileName,
    contentType: f.contentType,
    size: f.size,
    sha256: f.sha256,
    storageKey: f.storageKey,
  }));
}

/** Writes the files, runs `write`, and removes the files again if the transaction fails. */
async function withStoredFiles<T>(
  files: Parameters<typeof storeFiles>[0],
  write: (stored: StoredFile[]) => Promise<T>,
): Promise<T> {
  const stored = await storeFiles(files);
  try {
    return await write(stored);
  } catch (e) {
    await removeFiles(stored.map((s) => s.storageKey));
    throw e;
  }
}

/**
 * A resident objects to a claim or to one of its charges. Everything is checked before anything
 * is written; then the dispute, its hold (escalation of this claim stops today), the events, the
 * attachments, the letter saying it was received (`DISPUTE_RECEIVED`, pending, on this claim) and
 * the claim's next look are written in one transaction.
 */
export async function fileDispute(input: {
  residentId: string;
  claimId: string;
  chargeId?: string;
  reason: string;
  text: string;
  files: IncomingFile[];
  now: Date;
}): Promise<DisputeResult> {
  const parsed = FileDisputeSchema.safeParse({
    claimId: input.claimId,
    chargeId: input.chargeId || undefined,
    reason: input.reason,
    text: input.text,
  });
  const checked = await checkFiles(input.files);
  const errors = [
    ...(parsed.success ? [] : zodErrors(parsed.error)),
    ...(checked.ok ? [] : checked.errors),
  ];
  if (!parsed.success || !checked.ok) return { ok: false, errors };
  const data = parsed.data;

  const claim = await db().claim.findFirst({
    where: { id: data.claimId, residentId: input.residentId },
    select: {
      id: true,
      status: true,
      stage: true,
      creditorId: true,
      creditor: { select: { timeZone: true } },
      charges: { select: { id: true } },
    },
  });
  if (!claim)
    return { ok: false, errors: [{ field: "claimId", message: "dispute.error.notFound" }] };
  if (claim.status !== "OPEN") {
    return { ok: false, errors: [{ field: "claimId", message: "dispute.error.closed" }] };
  }
  // Sent to the enforcement authority (or on its way): an objection goes to the authority.
  if (isWithEnforcement(claim.stage)) {
    return { ok: false, errors: [{ field: "claimId", message: "dispute.error.withEnforcement" }] };
  }
  if (data.chargeId && !claim.charges.some((c) => c.id === data.chargeId)) {
    return { ok: false, errors: [{ field: "chargeId", message: "dispute.error.badCharge" }] };
  }

  const today = todayIn(claim.creditor.timeZone, input.now);
  const law = await loadLawBook();
  const disputeId = randomUUID();
  const actor = actorOf(input.residentId);
  await withStoredFiles(checked.files, (stored) =>
    db().$transaction(async (tx) => {
      const hold = await tx.hold.create({
        data: {
          claimId: claim.id,
          kind: "DISPUTE",
          reason: `Dispute ${disputeId}`,
          startsOn: dbDate(today),
        },
      });
      await tx.dispute.create({
        data: {
          status: checkMove(DISPUTE_MACHINE, null, "file", "resident"),
          id: disputeId,
          claimId: claim.id,
          chargeId: data.chargeId ?? null,
          residentId: input.residentId,
          reason: data.reason,
          text: data.text,
          holdId: hold.id,
        },
      });
      const common = {
        claimId: claim.id,
        residentId: input.residentId,
        creditorId: claim.creditorId,
        actor,
        on: today,
      };
      await recordEvent(tx, {
        ...common,
        type: "dispute.filed",
        data: {
          disputeId,
          chargeId: data.chargeId ?? null,
          reason: data.reason,
          attachments: stored.length,
        },
      });
      await recordEvent(tx, {
        ...common,
        type: "hold.placed",
        data: { holdId: hold.id, kind: "DISPUTE" },
      });
      if (stored.length > 0) {
        await tx.attachment.createMany({ data: attachmentRows(disputeId, stored) });
      }
      // The resident hears that it arrived and that collection is paused, by letter like any
      // decision (the page says so too, but not everyone looks at the page).
      const [snapshot] = await loadClaims(tx, { ids: [claim.id] });
      await writeDecisionNotice(tx, {
        claim: snapshot!,
        kind: "DISPUTE_RECEIVED",
        on: today,
        publicUrl: env().PUBLIC_URL,
      });
      await refreshNextActions(tx, [claim.id], law, today);
    }),
  );
  return { ok: true, disputeId };
}

const InfoSchema = z.object({ disputeId: z.uuid("dispute.error.notFound"), text: text(4000) });

/** The resident answers a request for more information: a message and files; status INFO_PROVIDED. */
export async function addDisputeInformation(input: {
  residentId: string;
  disputeId: string;
  text: string;
  files: IncomingFile[];
  now: Date;
}): Promise<DisputeResult> {
  const parsed = InfoSchema.safeParse({ disputeId: input.disputeId, text: input.text });
  const checked = await checkFiles(input.files);
  if (!parsed.success || !checked.ok) {
    return {
      ok: false,
      errors: [
        ...(parsed.success ? [] : zodErrors(parsed.error)),
        ...(checked.ok ? [] : checked.errors),
      ],
    };
  }
  const dispute = await db().dispute.findFirst({
    where: { id: parsed.data.disputeId, residentId: input.residentId },
    include: { claim: { select: { creditorId: true, creditor: { select: { timeZone: true } } } } },
  });
  if (!dispute) {
    return { ok: false, errors: [{ field: "disputeId", message: "dispute.error.notFound" }] };
  }
  if (dispute.status !== "INFO_REQUESTED") {
    return { ok: false, errors: [{ field: "disputeId", message: "dispute.error.notAsked" }] };
  }
  const today = todayIn(dispute.claim.creditor.timeZone, input.now);
  const result = await withStoredFiles(checked.files, (stored) =>
    db().$transaction(async (tx) => {
      // Conditional on the status, so two answers at once cannot both move it.
      const moved = await tx.dispute.updateMany({
        where: { id: dispute.id, status: "INFO_REQUESTED" },
        data: { status: checkMove(DISPUTE_MACHINE, "INFO_REQUESTED", "provide_info", "resident") },
      });
      if (moved.count !== 1) throw new NotAskedError();
      await tx.disputeMessage.create({
        data: { disputeId: dispute.id, author: "resident", text: parsed.data.text },
      });
      if (stored.length > 0) {
        await tx.attachment.createMany({ data: attachmentRows(dispute.id, stored) });
      }
      await recordEvent(tx, {
        claimId: dispute.claimId,
        residentId: input.residentId,
        creditorId: dispute.claim.creditorId,
        type: "dispute.info_provided",
        actor: actorOf(input.residentId),
        on: today,
        data: { disputeId: dispute.id, attachments: stored.length },
      });
      return true;
    }),
  ).catch((e: unknown) => {
    if (e instanceof NotAskedError) return false;
    throw e;
  });
  if (!result) {
    return { ok: false, errors: [{ field: "disputeId", message: "dispute.error.notAsked" }] };
  }
  return { ok: true, disputeId: dispute.id };
}

class NotAskedError extends Error {}
