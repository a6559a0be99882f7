import { todayIn } from "~/domain/calendar-date";
import { parseNationalId, type NationalIdCountry } from "~/domain/national-id";
import { query } from "~/infra/sql.server";
import { recordEvent } from "../events/events.server";
import { hashNationalId } from "../identity/residents.server";
import { staffTimeZone } from "../identity/staff-auth.server";
import type { StaffContext } from "./queues.server";

/*
 * One search box for the back office. A term is, in this order: a full identity number (looked up
 * by its keyed hash, never by decrypting rows), a claim's payment reference (KID/OCR), a creditor's
 * invoice number, a plan reference, or else a name (every word a prefix of a word of the name,
 * case and accents ignored, over a trigram index: see the migration staff_search_and_notes).
 * Everything is scoped to the staff member's creditors; each search is an audit event with the
 * kind of term and the counts, never the term.
 */

export type SearchKind = "nationalId" | "reference" | "invoice" | "plan" | "name" | "none";

export type ResidentHit = {
  id: string;
  name: string;
  country: string;
  openClaims: number;
  claims: number;
  creditors: string[];
};
export type ClaimHit = {
  id: string;
  residentId: string;
  residentName: string;
  externalId: string;
  paymentReference: string;
  creditorName: string;
  stage: string;
  status: string;
  country: string;
  ownEnforcement: boolean;
};
export type SearchResult = { kind: SearchKind; residents: ResidentHit[]; claims: ClaimHit[] };

const LIMIT = 50;

/**
 * Residents with at least one claim of the staff member's creditors, matched by `where` (over
 * `r`). The first 50 by name are picked from the resident index with an EXISTS probe per
 * resident, and only those 50 have their claims counted: a common name prefix matching thousands
 * of residents no longer joins (and scans) every claim of the creditors.
 */
async function residentsWhere(staff: StaffContext, where: string, values: unknown[]) {
  return query<ResidentHit>(
    undefined,
    `WITH hits AS (
       SELECT r.id, r.name, r.country FROM "Resident" r
        WHERE ${where}
          AND EXISTS (SELECT 1 FROM "Claim" c
                       WHERE c."residentId" = r.id AND c."creditorId" = ANY($1::uuid[]))
        ORDER BY r.name, r.id LIMIT ${LIMIT})
     SELECT h.id::text, h.name, h.country::text,
            count(*) FILTER (WHERE c.status = 'OPEN')::int AS "openClaims", count(*)::int AS claims,
            array_agg(DISTINCT cr.name ORDER BY cr.name) AS creditors
       FROM hits h
       JOIN "Claim" c ON c."residentId" = h.id AND c."creditorId" = ANY($1::uuid[])
       JOIN "Creditor" cr ON cr.id = c."creditorId"
      GROUP BY h.id, h.name, h.country ORDER BY h.name, h.id`,
    [staff.creditorIds, ...values],
  );
}

async function claimsWhere(staff: StaffContext, where: string, values: unknown[]) {
  return query<ClaimHit>(
    undefined,
    `SELECT c.id::text, c."residentId"::text, r.name AS "residentName", c."externalId",
            c."paymentReference", cr.name AS "creditorName", c.stage::text, c.status::text,
            cr.country::text, ct."ownEnforcement"
       FROM "Claim" c JOIN "Resident" r ON r.id = c."residentId"
       JOIN "Creditor" cr ON cr.id = c."creditorId" JOIN "ClaimType" ct ON ct.id = c."claimTypeId"
      WHERE c."creditorId" = ANY($1::uuid[]) AND ${where}
      ORDER BY c."dueOn" DESC, c.id LIMIT ${LIMIT}`,
    [staff.creditorIds, ...values],
  );
}

/** Which identity-number hashes a term could be (a Swedish and a Norwegian reading). */
function nationalIdHashes(term: string): string[] {
  const hashes: string[] = [];
  for (const country of ["SE", "NO"] as NationalIdCountry[]) {
    const parsed = parseNationalId(term.replace(/-/g, ""), country);
    if (parsed.ok) hashes.push(hashNationalId(country, parsed.value.canonical));
  }
  return hashes;
}

async function find(staff: StaffContext, term: string): Promise<SearchResult> {
  const none: SearchResult = { kind: "none", residents: [], claims: [] };
  if (term.length < 2 || staff.creditorIds.length === 0) return none;
  const compact = term.replace(/[\s-]/g, "");
  if (/^\d+$/.test(compact)) {
    const hashes = nationalIdHashes(compact);
    if (hashes.length > 0) {
      const residents = await residentsWhere(staff, `r."nationalIdHash" = ANY($2::text[])`, [
        hashes,
      ]);
      if (residents.length > 0) return { kind: "nationalId", residents, claims: [] };
    }
    const byReference = await claimsWhere(staff, `c."paymentReference" = $2`, [compact]);
    if (byReference.length > 0) return { kind: "reference", residents: [], claims: byReference };
  }
  const byInvoice = await claimsWhere(staff, `c."externalId" = $2`, [term]);
  if (byInvoice.length > 0) return { kind: "invoice", residents: [], claims: byInvoice };
  const byPlan = await claimsWhere(
    staff,
    `c.id IN (SELECT pc."claimId" FROM "PlanClaim" pc JOIN "PaymentPlan" p ON p.id = pc."planId"
               WHERE p.reference = $2)`,
    [term],
  );
  if (byPlan.length > 0) return { kind: "plan", residents: [], claims: byPlan };
  const words = term
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 5);
  if (words.length === 0 || /^\d+$/.test(compact)) return none;
  // Each word starts a word of the name (at its start, or after a space or a hyphen), both sides
  // folded by the same kp_fold as the index, so "odegard" and "Ødegård" find "Ødegård".
  const patterns = words.map((w) => w.replace(/[\\%_]/g, (c) => `\\${c}`));
  const where = patterns
    .map((_, i) => {
      const w = `kp_fold($${i + 2})`;
      return `(kp_fold(r.name) LIKE ${w} || '%' OR kp_fold(r.name) LIKE '% ' || ${w} || '%'
               OR kp_fold(r.name) LIKE '%-' || ${w} || '%')`;
    })
    .join(" AND ");
  const residents = await residentsWhere(staff, where, patterns);
  return { kind: residents.length > 0 ? "name" : "none", residents, claims: [] };
}

/** The search box's answer; every search is written to the audit log. */
export async function staffSearch(
  staff: StaffContext,
  rawTerm: string,
  now: Date,
): Promise<SearchResult> {
  const term = rawTerm.trim().slice(0, 100);
  const result = await find(staff, term);
  await recordEvent(undefined, {
    type: "staff.searched",
    actor: `staff:${staff.staffId}`,
    on: todayIn(await staffTimeZone(staff), now),
    data: { kind: result.kind, residents: result.residents.length, claims: result.claims.length },
  });
  return result;
}

export type ClaimCandidate = ClaimHit & { description: string; dueOn: string; currency: string };

/**
 * Claims a payment could be matched to, found the way the search box finds them (a resident found
 * brings their open claims); only the staff member's creditors', at most 20.
 */
export async function claimCandidates(
  staff: StaffContext,
  term: string,
  now: Date,
): Promise<ClaimCandidate[]> {
  const found = await staffSearch(staff, term, now);
  const ids = found.claims.map((c) => c.id);
  const residents = found.residents.map((r) => r.id);
  if (ids.length === 0 && residents.length === 0) return [];
  return query<ClaimCandidate>(
    undefined,
    `SELECT c.id::text, c."residentId"::text, r.name AS "residentName", c."externalId",
            c."paymentReference", cr.name AS "creditorName", c.stage::text, c.status::text,
            cr.country::text, ct."ownEnforcement", c.description,
            to_char(c."dueOn", 'YYYY-MM-DD') AS "dueOn", c.currency
       FROM "Claim" c JOIN "Resident" r ON r.id = c."residentId"
       JOIN "Creditor" cr ON cr.id = c."creditorId" JOIN "ClaimType" ct ON ct.id = c."claimTypeId"
      WHERE c."creditorId" = ANY($1::uuid[])
        AND (c.id = ANY($2::uuid[]) OR (c."residentId" = ANY($3::uuid[]) AND c.status = 'OPEN'))
      ORDER BY r.name, c."dueOn", c.id LIMIT 20`,
    [staff.creditorIds, ids, residents],
  );
}
