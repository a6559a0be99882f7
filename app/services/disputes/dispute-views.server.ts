import { z } from "zod/v4";
import type { ChargeKind, DisputeReason, DisputeStatus } from "~/generated/prisma/client.ts";
import { type IsoDate } from "~/domain/calendar-date";
import { sql } from "~/infra/sql.server";
import { loadClaim } from "../claims/load-claims.server";
import { authorityKey, isWithEnforcement } from "~/domain/claim-stages";

type DisputeJson = {
  id: string;
  reason: DisputeReason;
  text: string;
  status: DisputeStatus;
  createdAt: string;
  chargeKind: ChargeKind | null;
  chargedOn: IsoDate | null;
  decisionReason: string | null;
  freshDeadline: IsoDate | null;
  messages: { author: string; text: string; at: string }[];
  attachments: { id: string; fileName: string; size: number; contentType: string }[];
};

/**
 * The resident's disputes on one claim as one json value, newest first: a SQL expression over the
 * claim's and the resident's ids (expressions too), for `residentDisputesOf`. The claim page reads
 * it in the same statement as the claim.
 */
export function residentDisputesSql(claimId: string, residentId: string): string {
  return `COALESCE((SELECT json_agg(json_build_object(
      'id', d.id, 'reason', d.reason, 'text', d.text, 'status', d.status,
      'createdAt', d."createdAt", 'decisionReason', d."decisionReason",
      'freshDeadline', d."freshDeadline", 'chargeKind', ch.kind, 'chargedOn', ch."chargedOn",
      'messages', COALESCE((SELECT json_agg(json_build_object('author', m.author, 'text', m.text,
                                                              'at', m."createdAt")
                                            ORDER BY m."createdAt")
                            FROM "DisputeMessage" m WHERE m."disputeId" = d.id), '[]'),
      'attachments', COALESCE((SELECT json_agg(json_build_object('id', a.id,
                                                                 'fileName', a."fileName",
                                                                 'size', a.size,
                                                                 'contentType', a."contentType")
                                               ORDER BY a."createdAt")
                               FROM "Attachment" a WHERE a."disputeId" = d.id), '[]'))
      ORDER BY d."createdAt" DESC)
    FROM "Dispute" d
    LEFT JOIN "Charge" ch ON ch.id = d."chargeId" AND ch."claimId" = d."claimId"
    WHERE d."claimId" = ${claimId} AND d."residentId" = ${residentId}), '[]')`;
}

/** The value of `residentDisputesSql` as the pages show it. */
export function residentDisputesOf(value: unknown) {
  return (value as DisputeJson[]).map((d) => ({
    id: d.id,
    reason: d.reason,
    text: d.text,
    status: d.status,
    createdAt: new Date(d.createdAt).toISOString(),
    charge: d.chargeKind && d.chargedOn ? { kind: d.chargeKind, chargedOn: d.chargedOn } : null,
    decisionReason: d.decisionReason,
    freshDeadline: d.freshDeadline,
    messages: d.messages.map((m) => ({
      fromResident: m.author === "resident",
      text: m.text,
      at: new Date(m.at).toISOString(),
    })),
    attachments: d.attachments,
  }));
}

/**
 * The resident's disputes on one of their claims, newest first, with messages and files. One
 * plain statement, scoped by the resident in the query.
 */
export async function listResidentDisputes(residentId: string, claimId: string) {
  if (!z.uuid().safeParse(claimId).success) return [];
  const [row] = await sql<{ disputes: unknown }>(
    `SELECT ${residentDisputesSql("$1::uuid", "$2::uuid")} AS disputes`,
    [claimId, residentId],
  );
  return residentDisputesOf(row!.disputes);
}

/** What the dispute form needs: the claim (the resident's own, open) and its fees to choose from. */
export async function disputeForm(residentId: string, claimId: string) {
  if (!z.uuid().safeParse(claimId).success) return null;
  const claim = await loadClaim(undefined, { residentId, claimId });
  if (!claim) return null;
  // A bill with the enforcement authority (or on its way there) is objected to there, not here.
  const withEnforcement = claim.status === "OPEN" && isWithEnforcement(claim.stage);
  return {
    id: claim.id,
    open: claim.status === "OPEN" && !withEnforcement,
    withEnforcement,
    authority: authorityKey(claim.creditor.country, claim.claimType.ownEnforcement),
    currency: claim.currency,
    description: claim.description,
    creditorName: claim.creditor.name,
    claimTypeName: claim.claimType.name,
    claimTypeNames: claim.claimType.names,
    fees: claim.charges
      .filter((c) => c.kind !== "PRINCIPAL")
      .map((c) => ({ id: c.id, kind: c.kind, amount: c.amount, chargedOn: c.chargedOn })),
  };
}
