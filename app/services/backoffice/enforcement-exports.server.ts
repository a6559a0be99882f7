import { randomUUID } from "node:crypto";
import { categoryOf } from "~/domain/balance";
import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { statementOf, type ClaimSnapshot } from "~/domain/claim";
import { ENFORCEMENT_EXPORT_MACHINE } from "~/domain/case-transitions";
import { checkMove } from "~/domain/state-machine";
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
import { encryptFile } from "~/infra/pii.server";
import { writeClaimMoves } from "../claims/claim-writer.server";
import { loadClaims, type Loaded } from "../claims/load-claims.server";
import { recordEvent } from "../events/events.server";
import { openAddress, revealNationalId } from "../identity/residents.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { may, type ExportFailure, type ExportResult } from "./enforcement-batches.server";
import { filingObstacles, OPEN_DISPUTES, type ApprovalRefusal } from "./enforcement.server";
import { staffActor, type StaffContext } from "./queues.server";

/*
 * Making an enforcement export batch (docs/decisions/0097). A supervisor makes a batch of a
 * creditor's approved claims for one route (Kronofogden; in Norway the municipality as
 * særnamsmann, or the ordinary enforcement officer): the file is written in the route's format and
 * stored with its checksum, in the same transaction as its claims move to ENFORCEMENT_EXPORTED.
 * What then becomes of it (the receipt, or an undo) is in enforcement-receipts.server.ts; the
 * list and the file in enforcement-batches.server.ts.
 */

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

const routeOf = (claim: Pick<ClaimSnapshot, "creditor" | "claimType">): EnforcementRoute =>
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
        if (claim.creditorId !== creditor.id || routeOf(claim) !== route) continue;
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
            // Names, identity numbers and addresses: encrypted at rest, like on the resident.
            content: new Uint8Array(encryptFile(file.content, env().PII_ENCRYPTION_KEY)),
            contentEncrypted: true,
            claimIds: claims.map((c) => c.id),
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
