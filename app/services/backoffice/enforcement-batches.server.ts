import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import { jurisdictionOf, type EnforcementRoute } from "~/integrations/enforcement";
import { db } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { decryptFile } from "~/infra/pii.server";
import { query } from "~/infra/sql.server";
import { recordEvent } from "../events/events.server";
import { APPROVER_ROLES } from "./enforcement.server";
import { staffActor, type StaffContext } from "./queues.server";

/*
 * Enforcement export batches as staff see them (docs/decisions/0097): the list, one batch with its
 * claims, and its stored file, byte for byte. Shared by the making
 * (enforcement-exports.server.ts) and the receipt or undo (enforcement-receipts.server.ts): what
 * a refusal is and who may. Supervisors and admins, scoped by their creditors.
 */

export type ExportError =
  | "role"
  | "not_found"
  | "bad_route"
  | "nothing_to_export"
  | "missing_data"
  | "receipt_required"
  | "reason_required"
  | "wrong_state";

export type ExportResult<T> = { ok: true } & T;
export type ExportFailure = { ok: false; error: ExportError; missing?: string; claim?: string };

export const may = (staff: StaffContext) => APPROVER_ROLES.has(staff.role);

type ExportRow = {
  id: string;
  creditorId: string;
  creditorName: string;
  country: "SE" | "NO";
  timeZone: string;
  format: string;
  fileName: string;
  sha256: string;
  size: number;
  claims: number;
  total: string;
  currency: string;
  status: "EXPORTED" | "FILED" | "UNDONE";
  createdAt: Date;
  createdByName: string | null;
  receipt: string | null;
  receiptAt: Date | null;
  receiptByName: string | null;
  undoneAt: Date | null;
  undoneByName: string | null;
  undoReason: string | null;
  fileRemovedOn: string | null;
  downloadedAt: Date | null;
  downloadedByName: string | null;
};

const EXPORT_COLUMNS = `e.id::text, e."creditorId"::text, cr.name AS "creditorName", cr.country::text,
  cr."timeZone", e.format, e."fileName", e.sha256, e.size, e.claims, e.total::text, e.currency,
  e.status::text, e."createdAt", cs.name AS "createdByName", e.receipt, e."receiptAt",
  rs.name AS "receiptByName", e."undoneAt", us.name AS "undoneByName", e."undoReason",
  to_char(e."contentRemovedOn", 'YYYY-MM-DD') AS "fileRemovedOn",
  dl."createdAt" AS "downloadedAt", ds.name AS "downloadedByName"`;
/**
 * The batches with who made, filed or undid them, and the first download of each file (an audit
 * event: the file has left the system only then). `creditors` is the query's parameter holding
 * the staff member's creditors, which bounds the events read.
 */
const exportFrom = (creditors: string) => `FROM "EnforcementExport" e
  JOIN "Creditor" cr ON cr.id = e."creditorId"
  LEFT JOIN "Staff" cs ON 'staff:' || cs.id::text = e."createdBy"
  LEFT JOIN "Staff" rs ON 'staff:' || rs.id::text = e."receiptBy"
  LEFT JOIN "Staff" us ON 'staff:' || us.id::text = e."undoneBy"
  LEFT JOIN (
    SELECT DISTINCT ON (ev.data->>'exportId') ev.data->>'exportId' AS "exportId", ev."createdAt",
           ev.actor
    FROM "Event" ev
    WHERE ev.type = 'staff.downloaded_enforcement_export' AND ev."creditorId" = ANY(${creditors})
    ORDER BY ev.data->>'exportId', ev.id
  ) dl ON dl."exportId" = e.id::text
  LEFT JOIN "Staff" ds ON 'staff:' || ds.id::text = dl.actor`;

const routeOfFormat = (country: "SE" | "NO", format: string): EnforcementRoute | null => {
  const j = jurisdictionOf(country);
  return j.routes.find((r) => j.format(r).id === format) ?? null;
};

function exportOf(row: ExportRow) {
  return {
    ...row,
    total: Number(row.total),
    route: routeOfFormat(row.country, row.format),
  };
}
export type EnforcementExportSummary = ReturnType<typeof exportOf>;

/** The batches of the staff member's creditors, newest first. */
export async function listEnforcementExports(staff: StaffContext, limit = 100) {
  if (!may(staff)) return [];
  const rows = await query<ExportRow>(
    undefined,
    `SELECT ${EXPORT_COLUMNS} ${exportFrom("$1::uuid[]")}
     WHERE e."creditorId" = ANY($1::uuid[]) ORDER BY e."createdAt" DESC, e.id LIMIT $2`,
    [staff.creditorIds, limit],
  );
  return rows.map(exportOf);
}

/** One batch with its claims; null when it is not one of the staff member's creditors'. */
export async function enforcementExportView(staff: StaffContext, exportId: string) {
  if (!may(staff) || !isUuid(exportId)) return null;
  const [row] = await query<ExportRow>(
    undefined,
    `SELECT ${EXPORT_COLUMNS} ${exportFrom("$2::uuid[]")}
     WHERE e.id = $1::uuid AND e."creditorId" = ANY($2::uuid[])`,
    [exportId, staff.creditorIds],
  );
  if (!row) return null;
  // Its claims while it stands (an undone batch gave them back: its file still lists them).
  const claims = await query<{
    id: string;
    externalId: string;
    residentName: string;
    status: string;
    stage: string;
    ownEnforcement: boolean;
  }>(
    undefined,
    `SELECT c.id::text, c."externalId", r.name AS "residentName", c.status::text, c.stage::text,
            ct."ownEnforcement"
     FROM "EnforcementFiling" f JOIN "Claim" c ON c.id = f."claimId"
     JOIN "Resident" r ON r.id = c."residentId" JOIN "ClaimType" ct ON ct.id = c."claimTypeId"
     WHERE f."exportId" = $1::uuid ORDER BY f."approvedAt", c.id`,
    [exportId],
  );
  return { ...exportOf(row), claimList: claims };
}

/**
 * A batch's file exactly as it was made, for staff of its creditor (null otherwise); each
 * download is an audit event. Once the retention rules have removed it, only the day it went.
 */
export async function enforcementExportFile(staff: StaffContext, exportId: string, now: Date) {
  if (!may(staff) || !isUuid(exportId)) return null;
  const file = await db().enforcementExport.findFirst({
    where: { id: exportId, creditorId: { in: staff.creditorIds } },
    select: {
      creditorId: true,
      fileName: true,
      contentType: true,
      content: true,
      contentEncrypted: true,
      contentRemovedOn: true,
      sha256: true,
      size: true,
      creditor: { select: { timeZone: true } },
    },
  });
  if (!file) return null;
  if (file.contentRemovedOn)
    return { removedOn: file.contentRemovedOn.toISOString().slice(0, 10) } as const;
  await recordEvent(undefined, {
    type: "staff.downloaded_enforcement_export",
    creditorId: file.creditorId,
    actor: staffActor(staff).id,
    on: todayIn(file.creditor.timeZone, now),
    data: { exportId, sha256: file.sha256 },
  });
  return {
    fileName: file.fileName,
    contentType: file.contentType,
    content: file.contentEncrypted
      ? decryptFile(file.content, env().PII_ENCRYPTION_KEY)
      : Buffer.from(file.content),
    sha256: file.sha256,
    size: file.size,
  };
}

/**
 * What is true of a batch, as staff are told it (docs/architecture: the enforcement export
 * machine has EXPORTED, FILED, UNDONE): made, its file not downloaded yet; downloaded, so on its
 * way to the authority, with no receipt yet; handed over, the authority's receipt recorded; or
 * undone. "Made" (EXPORTED) is not "sent": nothing leaves until someone downloads the file.
 */
export function exportState(b: {
  status: "EXPORTED" | "FILED" | "UNDONE";
  downloadedAt: Date | null;
}): "MADE" | "DOWNLOADED" | "FILED" | "UNDONE" {
  if (b.status === "EXPORTED") return b.downloadedAt ? "DOWNLOADED" : "MADE";
  return b.status;
}

/** A batch as a page shows it (plain JSON: moments as ISO strings, read on the creditor's clock). */
export function exportRow(b: EnforcementExportSummary) {
  return {
    id: b.id,
    creditorName: b.creditorName,
    route: b.route,
    timeZone: b.timeZone,
    createdAt: b.createdAt.toISOString(),
    createdByName: b.createdByName,
    claims: b.claims,
    total: b.total,
    currency: b.currency,
    status: b.status,
    fileName: b.fileName,
    sha256: b.sha256,
    size: b.size,
    receipt: b.receipt,
    receiptAt: b.receiptAt?.toISOString() ?? null,
    receiptByName: b.receiptByName,
    undoneAt: b.undoneAt?.toISOString() ?? null,
    undoneByName: b.undoneByName,
    undoReason: b.undoReason,
    fileRemovedOn: b.fileRemovedOn,
    downloadedAt: b.downloadedAt?.toISOString() ?? null,
    downloadedByName: b.downloadedByName,
    stateWords: exportState(b),
  };
}

/** The HTTP status a refusal answers with: nothing was changed. */
export function exportErrorStatus(error: ExportError): number {
  switch (error) {
    case "role":
      return 403;
    case "not_found":
      return 404;
    case "nothing_to_export":
    case "missing_data":
    case "wrong_state":
      return 409;
    default:
      return 400;
  }
}
