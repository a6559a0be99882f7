import { randomUUID } from "node:crypto";
import { categoryOf } from "~/domain/balance";
import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { statementOf } from "~/domain/claim";
import { ENFORCEMENT_EXPORT_MACHINE } from "~/domain/case-transitions";
import { checkMove, IllegalMoveError } from "~/domain/state-machine";
import {
  ENFORCEMENT_ROUTES,
  exportFileName,
  FilingDataError,
  jurisdictionOf,
  renderCsv,
  type EnforcementFormat,
  type EnforcementRoute,
  type FilingClaim,
} from "~/integrations/enforcement";
import { db, type Tx } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { query } from "~/infra/sql.server";
import { writeClaimMoves } from "../claims/claim-writer.server";
import { loadClaims, type Loaded } from "../claims/load-claims.server";
import { refreshNextActions } from "../claims/next-action.server";
import { recordEvent } from "../events/events.server";
import { openAddress, revealNationalId } from "../identity/residents.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { writeDecisionNotices } from "../letters/decision-notices.server";
import {
  APPROVER_ROLES,
  filingObstacles,
  OPEN_DISPUTES,
  type ApprovalRefusal,
} from "./enforcement.server";
import { staffActor, type StaffContext } from "./queues.server";

/*
 * Enforcement export batches (docs/decisions/0097). A supervisor makes a batch of a creditor's
 * approved claims for one route (Kronofogden; in Norway the municipality as særnamsmann, or the
 * ordinary enforcement officer): the file is written in the route's format and stored with its
 * checksum, in the same transaction as its claims move to ENFORCEMENT_EXPORTED. The file can then
 * be downloaded as often as needed. A claim is FILED only when staff record the authority's
 * receipt of its batch (the resident gets a letter then), or goes back to ENFORCEMENT_APPROVED
 * when staff undo the batch. Every query is scoped by the staff member's creditors; agents can
 * do none of it.
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

const may = (staff: StaffContext) => APPROVER_ROLES.has(staff.role);

/** What a filing reads beside the claim snapshot (SQL over the claim row `c` and resident `r`). */
const FILING_SQL = {
  openDisputes: OPEN_DISPUTES,
  nationalIdCipher: `r."nationalIdCipher"`,
  addressCipher: `r."addressCipher"`,
  approvedAt: `(SELECT f."approvedAt" FROM "EnforcementFiling" f WHERE f."claimId" = c.id)`,
};
type FilingRow = Loaded<keyof typeof FILING_SQL>;

/** Approved claims of these creditors not in any batch (none after an undo puts them back). */
async function approvedWaiting(conn: Tx | undefined, creditorIds: readonly string[]) {
  const rows = await (conn ?? db()).enforcementFiling.findMany({
    where: {
      exportId: null,
      claim: {
        creditorId: { in: [...creditorIds] },
        status: "OPEN",
        stage: "ENFORCEMENT_APPROVED",
      },
    },
    select: { claimId: true },
  });
  return rows.map((r) => r.claimId);
}

const routeOf = (claim: FilingRow): EnforcementRoute =>
  jurisdictionOf(claim.creditor.country).routeOf({
    ownEnforcement: claim.claimType.ownEnforcement ?? false,
  });

export type RouteSummary = {
  route: EnforcementRoute;
  /** Approved claims that would go in a batch made now, and what they come to. */
  ready: number;
  total: number;
  /** Approved claims that may not go now (a pause, an objection, ...), per reason. */
  heldBack: number;
  reasons: Partial<Record<ApprovalRefusal, number>>;
};

/** Per creditor of the staff member and per route: what a batch made now would hold. */
export async function exportOverview(staff: StaffContext, now: Date) {
  if (!may(staff)) return [];
  const [creditors, ids, law] = await Promise.all([
    db().creditor.findMany({
      where: { id: { in: staff.creditorIds } },
      select: { id: true, name: true, country: true, currency: true, timeZone: true },
      orderBy: { name: "asc" },
    }),
    approvedWaiting(undefined, staff.creditorIds),
    loadLawBook(),
  ]);
  const claims = await loadClaims(undefined, { ids }, { extra: { openDisputes: OPEN_DISPUTES } });
  return creditors.map((creditor) => {
    const today = todayIn(creditor.timeZone, now);
    const routes = jurisdictionOf(creditor.country).routes.map((route): RouteSummary => {
      const summary: RouteSummary = { route, ready: 0, total: 0, heldBack: 0, reasons: {} };
      for (const claim of claims) {
        if (claim.creditorId !== creditor.id || routeOf(claim as FilingRow) !== route) continue;
        const obstacles = filingObstacles(claim, law, today);
        if (obstacles.length === 0) {
          summary.ready += 1;
          summary.total += statementOf(claim, law, today).balance.total;
        } else {
          summary.heldBack += 1;
          for (const r of obstacles) summary.reasons[r] = (summary.reasons[r] ?? 0) + 1;
        }
      }
      return summary;
    });
    return {
      creditorId: creditor.id,
      name: creditor.name,
      country: creditor.country,
      currency: creditor.currency,
      routes,
    };
  });
}

/** The fees still owed, each by kind: what was paid towards costs is taken from the oldest first. */
function feesStillOwed(claim: FilingRow, feesOutstanding: number): FilingClaim["fees"] {
  const fees = claim.charges
    .filter((c) => !c.cancelledOn && !c.pending && categoryOf(c.kind) === "costs")
    .map((c) => ({ kind: c.kind, amount: c.amount, chargedOn: c.chargedOn }));
  let paid = fees.reduce((s, f) => s + f.amount, 0) - feesOutstanding;
  return fees
    .map((f) => {
      const off = Math.min(Math.max(paid, 0), f.amount);
      paid -= off;
      return { ...f, amount: f.amount - off };
    })
    .filter((f) => f.amount > 0);
}

/** The last letter of a kind that left: when, and the deadline it gave. */
function lastSent(claim: FilingRow, kind: string) {
  const sent = claim.notices.filter((n) => n.kind === kind && n.dispatchedOn !== null);
  const last = sent.at(-1);
  return last ? { on: last.dispatchedOn!, deadline: last.deadline } : null;
}

function filingClaim(
  claim: FilingRow,
  creditor: { name: string; orgNumber: string | null },
  law: LawBook,
  asOf: IsoDate,
): FilingClaim {
  const statement = statementOf(claim, law, asOf);
  const b = statement.balance;
  const interest = statement.lines.find((l) => l.type === "interest");
  const demand = lastSent(claim, "PAYMENT_DEMAND");
  return {
    creditor,
    externalId: claim.externalId,
    paymentReference: claim.paymentReference,
    claimTypeName: claim.claimType.name,
    description: claim.description,
    currency: claim.currency,
    issuedOn: claim.issuedOn,
    dueOn: claim.dueOn,
    debtor: {
      name: claim.resident.name,
      nationalId: revealNationalId(claim.extra.nationalIdCipher as string),
      address: openAddress(claim.extra.addressCipher as string | null),
    },
    outstanding: { principal: b.principal, fees: b.fees, interest: b.interest, total: b.total },
    fees: feesStillOwed(claim, b.fees),
    interestFrom: interest && interest.type === "interest" ? interest.from : null,
    collectionNoticeSentOn: lastSent(claim, "COLLECTION_NOTICE")?.on ?? null,
    paymentDemandSentOn: demand?.on ?? null,
    paymentDemandDeadline: demand?.deadline ?? null,
    approvedOn: todayIn(claim.creditor.timeZone, new Date(claim.extra.approvedAt as string)),
    asOf,
  };
}

/**
 * Makes a batch of a creditor's approved claims for one route, as of `now`: the claims that may
 * be filed today (every safeguard checked again: a claim paused, objected to or flagged since its
 * approval stays approved, and is counted in `leftOut`), oldest approval first. The claims move
 * to ENFORCEMENT_EXPORTED and the file is stored, all in one transaction: if any claim's row
 * cannot be written, nothing changes. `format` replaces the route's format (tests).
 */
export async function makeEnforcementExport(
  staff: StaffContext,
  input: { creditorId: string; route: string },
  now: Date,
  opts: { format?: (route: EnforcementRoute) => EnforcementFormat } = {},
): Promise<ExportResult<{ exportId: string; claims: number; leftOut: number }> | ExportFailure> {
  if (!may(staff)) return { ok: false, error: "role" };
  if (!staff.creditorIds.includes(input.creditorId)) return { ok: false, error: "not_found" };
  const creditor = await db().creditor.findUnique({ where: { id: input.creditorId } });
  if (!creditor) return { ok: false, error: "not_found" };
  const jurisdiction = jurisdictionOf(creditor.country);
  const route = ENFORCEMENT_ROUTES.find((r) => r === input.route);
  if (!route || !jurisdiction.routes.includes(route)) return { ok: false, error: "bad_route" };
  const format = (opts.format ?? jurisdiction.format)(route);
  const role = staffActor(staff).role;
  checkMove(ENFORCEMENT_EXPORT_MACHINE, null, "make", role);
  const law = await loadLawBook();
  const today = todayIn(creditor.timeZone, now);
  const exportId = randomUUID();
  try {
    return await db().$transaction(
      async (tx) => {
        const ids = await approvedWaiting(tx, [creditor.id]);
        // Locked, then read: a claim another batch took meanwhile is no longer approved here.
        const locked = await loadClaims(tx, { ids }, { lock: "update", extra: FILING_SQL });
        const candidates = locked.filter(
          (c) => c.status === "OPEN" && c.stage === "ENFORCEMENT_APPROVED" && routeOf(c) === route,
        );
        const claims = candidates.filter((c) => filingObstacles(c, law, today).length === 0);
        const leftOut = candidates.length - claims.length;
        if (claims.length === 0) return { ok: false as const, error: "nothing_to_export" as const };
        const approvedAt = (c: FilingRow) => new Date(c.extra.approvedAt as string).getTime();
        claims.sort((a, b) => approvedAt(a) - approvedAt(b) || a.id.localeCompare(b.id));

        const by = staffActor(staff);
        await writeClaimMoves(
          tx,
          claims.map((claim) => ({
            claim,
            move: "export_for_enforcement" as const,
            by,
            on: today,
            data: { exportId },
          })),
          // Exported claims wait for a person (the receipt, or an undo): the engine has nothing to do.
          claims.map((claim) => ({ claim, on: null })),
        );
        const who = { name: creditor.name, orgNumber: creditor.orgNumber };
        const rows = claims.map((c) => filingClaim(c, who, law, today));
        const file = renderCsv(format, rows);
        const total = rows.reduce((s, r) => s + r.outstanding.total, 0);
        await tx.enforcementExport.create({
          data: {
            id: exportId,
            creditorId: creditor.id,
            format: format.id,
            fileName: exportFileName(format, { creditorSlug: creditor.slug, day: today, exportId }),
            contentType: format.contentType,
            content: new Uint8Array(file.content),
            sha256: file.sha256,
            size: file.size,
            claims: claims.length,
            total: BigInt(total),
            currency: creditor.currency,
            createdBy: by.id,
            createdAt: now,
          },
        });
        await tx.enforcementFiling.updateMany({
          where: { claimId: { in: claims.map((c) => c.id) }, exportId: null },
          data: { exportId, exportedAt: now },
        });
        await recordEvent(tx, {
          type: "enforcement_export.made",
          creditorId: creditor.id,
          actor: by.id,
          on: today,
          data: {
            exportId,
            format: format.id,
            claims: claims.length,
            total,
            currency: creditor.currency,
            sha256: file.sha256,
          },
        });
        return { ok: true as const, exportId, claims: claims.length, leftOut };
      },
      { timeout: 120_000 },
    );
  } catch (error) {
    if (error instanceof FilingDataError)
      return {
        ok: false,
        error: "missing_data",
        missing: error.missing,
        ...(error.claimExternalId ? { claim: error.claimExternalId } : {}),
      };
    throw error;
  }
}

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
};

const EXPORT_COLUMNS = `e.id::text, e."creditorId"::text, cr.name AS "creditorName", cr.country::text,
  cr."timeZone", e.format, e."fileName", e.sha256, e.size, e.claims, e.total::text, e.currency,
  e.status::text, e."createdAt", cs.name AS "createdByName", e.receipt, e."receiptAt",
  rs.name AS "receiptByName", e."undoneAt", us.name AS "undoneByName", e."undoReason"`;
const EXPORT_FROM = `FROM "EnforcementExport" e
  JOIN "Creditor" cr ON cr.id = e."creditorId"
  LEFT JOIN "Staff" cs ON 'staff:' || cs.id::text = e."createdBy"
  LEFT JOIN "Staff" rs ON 'staff:' || rs.id::text = e."receiptBy"
  LEFT JOIN "Staff" us ON 'staff:' || us.id::text = e."undoneBy"`;

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
    `SELECT ${EXPORT_COLUMNS} ${EXPORT_FROM}
     WHERE e."creditorId" = ANY($1::uuid[]) ORDER BY e."createdAt" DESC, e.id LIMIT $2`,
    [staff.creditorIds, limit],
  );
  return rows.map(exportOf);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One batch with its claims; null when it is not one of the staff member's creditors'. */
export async function enforcementExportView(staff: StaffContext, exportId: string) {
  if (!may(staff) || !UUID.test(exportId)) return null;
  const [row] = await query<ExportRow>(
    undefined,
    `SELECT ${EXPORT_COLUMNS} ${EXPORT_FROM}
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
 * download is an audit event.
 */
export async function enforcementExportFile(staff: StaffContext, exportId: string, now: Date) {
  if (!may(staff) || !UUID.test(exportId)) return null;
  const file = await db().enforcementExport.findFirst({
    where: { id: exportId, creditorId: { in: staff.creditorIds } },
    select: {
      creditorId: true,
      fileName: true,
      contentType: true,
      content: true,
      sha256: true,
      size: true,
      creditor: { select: { timeZone: true } },
    },
  });
  if (!file) return null;
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
    content: Buffer.from(file.content),
    sha256: file.sha256,
    size: file.size,
  };
}

/** Locks a batch of the staff member's creditors and checks the move on it. */
async function lockExport(
  tx: Tx,
  staff: StaffContext,
  exportId: string,
  move: "record_receipt" | "undo",
  reason?: string,
) {
  const [row] = await query<{
    id: string;
    creditorId: string;
    timeZone: string;
    status: "EXPORTED" | "FILED" | "UNDONE";
  }>(
    tx,
    `SELECT e.id::text, e."creditorId"::text, cr."timeZone", e.status::text
     FROM "EnforcementExport" e JOIN "Creditor" cr ON cr.id = e."creditorId"
     WHERE e.id = $1::uuid AND e."creditorId" = ANY($2::uuid[]) FOR UPDATE OF e`,
    [exportId, staff.creditorIds],
  );
  if (!row) return { ok: false as const, error: "not_found" as const };
  try {
    checkMove(ENFORCEMENT_EXPORT_MACHINE, row.status, move, staffActor(staff).role, reason);
  } catch (error) {
    if (error instanceof IllegalMoveError)
      return { ok: false as const, error: "wrong_state" as const };
    throw error;
  }
  return { ok: true as const, row };
}

/** The batch's claims, locked: those still exported, and how many closed meanwhile. */
async function claimsOfExport(tx: Tx, exportId: string) {
  const ids = (
    await tx.enforcementFiling.findMany({ where: { exportId }, select: { claimId: true } })
  ).map((f) => f.claimId);
  const claims = await loadClaims(tx, { ids }, { lock: "update" });
  const exported = claims.filter((c) => c.status === "OPEN" && c.stage === "ENFORCEMENT_EXPORTED");
  return { exported, others: claims.length - exported.length };
}

/**
 * The authority received the batch: staff record its receipt or case number (required). Every
 * claim of the batch still exported is filed, and its resident gets a letter saying so; a claim
 * that closed meanwhile (paid, cancelled) stays as it is. One transaction.
 */
export async function recordExportReceipt(
  staff: StaffContext,
  exportId: string,
  receipt: string,
  now: Date,
  publicUrl = env().PUBLIC_URL,
): Promise<ExportResult<{ filed: number; closed: number }> | ExportFailure> {
  if (!may(staff)) return { ok: false, error: "role" };
  const number = receipt.trim();
  if (number.length === 0 || number.length > 100) return { ok: false, error: "receipt_required" };
  if (!UUID.test(exportId)) return { ok: false, error: "not_found" };
  return db().$transaction(
    async (tx) => {
      const locked = await lockExport(tx, staff, exportId, "record_receipt");
      if (!locked.ok) return locked;
      const today = todayIn(locked.row.timeZone, now);
      const by = staffActor(staff);
      const { exported, others } = await claimsOfExport(tx, exportId);
      await writeClaimMoves(
        tx,
        exported.map((claim) => ({
          claim,
          move: "file" as const,
          by,
          on: today,
          data: { exportId, receipt: number },
        })),
        exported.map((claim) => ({ claim, on: null })),
      );
      // The resident hears of it now that the authority has it, not when the file was made.
      await writeDecisionNotices(
        tx,
        exported.map((claim) => ({
          claim,
          kind: "ENFORCEMENT_FILED" as const,
          on: today,
          by: by.role,
          publicUrl,
        })),
      );
      await tx.enforcementExport.update({
        where: { id: exportId },
        data: { status: "FILED", receipt: number, receiptBy: by.id, receiptAt: now },
      });
      await recordEvent(tx, {
        type: "enforcement_export.receipt_recorded",
        creditorId: locked.row.creditorId,
        actor: by.id,
        on: today,
        data: { exportId, receipt: number, filed: exported.length, closed: others },
      });
      return { ok: true as const, filed: exported.length, closed: others };
    },
    { timeout: 120_000 },
  );
}

/**
 * The batch did not reach the authority, or was wrong: staff undo it, with a reason. Its claims
 * still exported go back to ENFORCEMENT_APPROVED, out of the batch, to go in another one; the
 * file stays stored, as what was made. One transaction.
 */
export async function undoEnforcementExport(
  staff: StaffContext,
  exportId: string,
  reason: string,
  now: Date,
): Promise<ExportResult<{ returned: number; closed: number }> | ExportFailure> {
  if (!may(staff)) return { ok: false, error: "role" };
  const why = reason.trim();
  if (why.length < 5 || why.length > 2000) return { ok: false, error: "reason_required" };
  if (!UUID.test(exportId)) return { ok: false, error: "not_found" };
  const law = await loadLawBook();
  return db().$transaction(
    async (tx) => {
      const locked = await lockExport(tx, staff, exportId, "undo", why);
      if (!locked.ok) return locked;
      const today = todayIn(locked.row.timeZone, now);
      const by = staffActor(staff);
      const { exported, others } = await claimsOfExport(tx, exportId);
      await writeClaimMoves(
        tx,
        exported.map((claim) => ({
          claim,
          move: "undo_export" as const,
          by,
          on: today,
          reason: why,
          data: { exportId },
        })),
      );
      await tx.enforcementFiling.updateMany({
        where: { exportId },
        data: { exportId: null, exportedAt: null },
      });
      await refreshNextActions(
        tx,
        exported.map((c) => c.id),
        law,
        today,
      );
      await tx.enforcementExport.update({
        where: { id: exportId },
        data: { status: "UNDONE", undoneBy: by.id, undoneAt: now, undoReason: why },
      });
      await recordEvent(tx, {
        type: "enforcement_export.undone",
        creditorId: locked.row.creditorId,
        actor: by.id,
        on: today,
        data: { exportId, reason: why, returned: exported.length, closed: others },
      });
      return { ok: true as const, returned: exported.length, closed: others };
    },
    { timeout: 120_000 },
  );
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
