import type { IsoDate } from "~/domain/calendar-date";
import type { ClaimSnapshot } from "~/domain/claim";
import type { SharedById } from "~/domain/claim-received";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";

/*
 * The one loader of claims. Pages, the creditor API, the back office, the sweep, payments and
 * plans all read a claim through `loadClaims`, as the plain `ClaimSnapshot` of app/domain/claim.ts:
 * one statement whatever the number of claims (two when they are locked), the snapshot built by
 * PostgreSQL as JSON, so dates arrive as 'YYYY-MM-DD', money as integers and nothing is rebuilt
 * by hand. A claim's rows are in one order everywhere: their own date, then when recorded, then
 * id (two payments of one day can never swap between two pages).
 */

export type ClaimSelector =
  /** These claims, whoever they belong to (the caller has scoped the ids). */
  | { ids: readonly string[] }
  /**
   * A resident's own claims: all, the open ones, or those named (none that are not theirs);
   * `creditorIds`: only those of these creditors (a staff member's).
   */
  | {
      residentId: string;
      claimId?: string;
      claimIds?: readonly string[];
      open?: boolean;
      creditorIds?: readonly string[];
    }
  /** A creditor's claim by the creditor's own invoice id (the intake API). */
  | { creditorId: string; externalId: string }
  /** One claim, if it belongs to one of these creditors (a staff member's). */
  | { creditorIds: readonly string[]; claimId: string }
  /** The claims of a payment plan. */
  | { planId: string };

export type LoadOptions<K extends string> = {
  /**
   * `update`: the claims are locked FOR UPDATE in id order before they are read (payments,
   * decisions: the state read is the state written on). `{ dueOn }`: the sweep's batches: only
   * claims still open and due that day, locked FOR UPDATE SKIP LOCKED (another sweep may hold
   * some; they are left to it). Locking is a statement of its own, so the read after it sees
   * every change committed before the lock was taken.
   */
  lock?: "update" | { dueOn: IsoDate };
  /**
   * More of what a page shows, in the same statement: SQL expressions over the claim row `c`
   * (e.g. its timeline), returned beside each snapshot.
   */
  extra?: Record<K, string>;
};

export type Loaded<K extends string> = ClaimSnapshot & { extra: Record<K, unknown> };

/** Dates in JSON are ISO dates already; the rows' order is date, then recorded, then id. */
const order = (alias: string, date: string) =>
  `${alias}."${date}", ${alias}."createdAt", ${alias}.id`;

// A claim's own rows, without its creditor, claim type and policy (see loadClaims for how those
// come).
const SNAPSHOT = `json_build_object(
  'id', c.id, 'keepCollectingSince', c."keepCollectingSince", 'writeOffs', c."writeOffs",
  'externalId', c."externalId", 'description', c.description,
  'currency', c.currency, 'issuedOn', c."issuedOn", 'dueOn', c."dueOn",
  'paymentReference', c."paymentReference", 'status', c.status, 'stage', c.stage,
  'stageEnteredOn', c."stageEnteredOn", 'closedOn', c."closedOn", 'nextActionOn', c."nextActionOn",
  'creditorId', c."creditorId", 'claimTypeId', c."claimTypeId", 'residentId', c."residentId",
  'policyId', c."policyId",
  'charges', COALESCE((SELECT json_agg(json_build_object('id', ch.id, 'kind', ch.kind,
      'amount', ch.amount, 'chargedOn', ch."chargedOn", 'causeType', ch."causeType", 'legalBasis', ch."legalBasis", 'cancelledOn', ch."cancelledOn", 'pending', ch."pendingNoticeId" IS NOT NULL,
      'cancelReason', ch."cancelReason", 'writtenOff', ch."writtenOff") ORDER BY ${order("ch", "chargedOn")})
    FROM "Charge" ch
    WHERE ch."claimId" = c.id), '[]'),
  'payments', COALESCE((SELECT json_agg(json_build_object('id', pm.id, 'amount', pm.amount,
      'currency', pm.currency, 'receivedOn', pm."receivedOn", 'method', pm.method,
      'providerRef', pm."providerRef", 'allocations', pm.allocations,
      'creditAmount', pm."creditAmount", 'interestWaived', pm."interestWaived",
      'checkoutId', pm."checkoutId",
      'refunds', COALESCE((SELECT json_agg(json_build_object('amount', rf.amount,
                    'allocations', rf.allocations) ORDER BY rf."createdAt", rf.id)
                  FROM "Refund" rf WHERE rf."paymentId" = pm.id), '[]'))
      ORDER BY ${order("pm", "receivedOn")})
    FROM "Payment" pm WHERE pm."claimId" = c.id), '[]'),
  'holds', COALESCE((SELECT json_agg(json_build_object('id', h.id, 'kind', h.kind,
      'reason', h.reason, 'startsOn', h."startsOn", 'endsOn', h."endsOn",
      'releasedOn', h."releasedOn") ORDER BY ${order("h", "startsOn")})
    FROM "Hold" h WHERE h."claimId" = c.id), '[]'),
  'steps', COALESCE((SELECT json_agg(json_build_object('id', s.id, 'key', s.key,
      'takenOn', s."takenOn", 'deadline', s.deadline) ORDER BY ${order("s", "takenOn")})
    FROM "ClaimStep" s WHERE s."claimId" = c.id), '[]'),
'notices', COALESCE((SELECT json_agg(json_build_object('id', n.id, 'kind', n.kind,
      'status', n.status, 'stepId', n."stepId", 'channel', n.channel,
      'dispatchedOn', n."dispatchedOn", 'deadline', n.deadline, 'deadlineDays', n."deadlineDays")
      ORDER BY ${order("n", "sentOn")})
    FROM "Notice" n WHERE n."claimId" = c.id), '[]'),
  'resident', json_build_object('name', r.name, 'email', r.email, 'language', r.language,
    'vulnerable', EXISTS (SELECT 1 FROM "VulnerabilityFlag" f
                          WHERE f."residentId" = c."residentId" AND f."resolvedAt" IS NULL))
)`;

// A claim's creditor, claim type and policy, over the aliases cr, ct and p.
const CREDITOR_JSON = `json_build_object('id', cr.id, 'slug', cr.slug, 'name', cr.name,
    'country', cr.country, 'timeZone', cr."timeZone", 'bankAccount', cr."bankAccount",
    'writtenForm', cr."writtenForm")`;
const CLAIM_TYPE_JSON = `json_build_object('id', ct.id, 'slug', ct.slug, 'name', ct.name,
    'names', ct.names, 'ownEnforcement', ct."ownEnforcement")`;
const POLICY_JSON = `json_build_object('id', p.id, 'version', p.version, 'steps', p.steps,
    'enforcementMinimum', p."enforcementMinimum", 'chargesInterest', p."chargesInterest",
    'allocationOrder', p."allocationOrder", 'resumeDeadlineDays', p."resumeDeadlineDays",
    'planRules', p."planRules", 'postalDays', p."postalDays", 'writeOff', p."writeOff")`;

/** The creditors, claim types and policies of the claims in `sel`, each once, keyed by id. */
const SHARED = `json_build_object(
  'creditors', (SELECT json_object_agg(cr.id, ${CREDITOR_JSON})
    FROM "Creditor" cr WHERE cr.id IN (SELECT crid FROM sel)),
  'claimTypes', (SELECT json_object_agg(ct.id, ${CLAIM_TYPE_JSON})
    FROM "ClaimType" ct WHERE ct.id IN (SELECT ctid FROM sel)),
  'policies', (SELECT json_object_agg(p.id, ${POLICY_JSON})
    FROM "Policy" p WHERE p.id IN (SELECT pid FROM sel))
)`;

/**
 * Creditors, claim types and policies by id, as a loaded claim holds them: for a writer that
 * builds the snapshot of a claim it is creating (the intake's first look) rather than reading it
 * back.
 */
export async function loadSharedRows(
  conn: Conn,
  ids: { creditors: string[]; claimTypes: string[]; policies: string[] },
): Promise<SharedById> {
  const [row] = await query<{ shared: { [K in keyof SharedById]: SharedById[K] | null } }>(
    conn,
    `SELECT json_build_object(
       'creditors', (SELECT json_object_agg(cr.id, ${CREDITOR_JSON})
         FROM "Creditor" cr WHERE cr.id = ANY($1::uuid[])),
       'claimTypes', (SELECT json_object_agg(ct.id, ${CLAIM_TYPE_JSON})
         FROM "ClaimType" ct WHERE ct.id = ANY($2::uuid[])),
       'policies', (SELECT json_object_agg(p.id, ${POLICY_JSON})
         FROM "Policy" p WHERE p.id = ANY($3::uuid[]))) AS shared`,
    [ids.creditors, ids.claimTypes, ids.policies],
  );
  const shared = row!.shared;
  return {
    creditors: shared.creditors ?? {},
    claimTypes: shared.claimTypes ?? {},
    policies: shared.policies ?? {},
  };
}

const FROM = `
  FROM "Claim" c
  JOIN "Creditor" cr ON cr.id = c."creditorId"
  JOIN "ClaimType" ct ON ct.id = c."claimTypeId"
  JOIN "Resident" r ON r.id = c."residentId"
  JOIN "Policy" p ON p.id = c."policyId"`;

/** The selector as a WHERE clause over `c` and its parameters, from `$first` on. */
function where(selector: ClaimSelector, first = 1): { text: string; values: unknown[] } {
  const $ = (i: number) => `$${first + i}`;
  if ("ids" in selector) return { text: `c.id = ANY(${$(0)}::uuid[])`, values: [selector.ids] };
  if ("externalId" in selector)
    return {
      text: `c."creditorId" = ${$(0)}::uuid AND c."externalId" = ${$(1)}`,
      values: [selector.creditorId, selector.externalId],
    };
  if ("planId" in selector)
    return {
      text: `c.id IN (SELECT pc."claimId" FROM "PlanClaim" pc WHERE pc."planId" = ${$(0)}::uuid)`,
      values: [selector.planId],
    };
  if (!("residentId" in selector))
    return {
      text: `c.id = ${$(0)}::uuid AND c."creditorId" = ANY(${$(1)}::uuid[])`,
      values: [selector.claimId, selector.creditorIds],
    };
  const parts = [`c."residentId" = ${$(0)}::uuid`];
  const values: unknown[] = [selector.residentId];
  if (selector.claimId !== undefined) {
    parts.push(`c.id = ${$(values.length)}::uuid`);
    values.push(selector.claimId);
  }
  if (selector.claimIds !== undefined) {
    parts.push(`c.id = ANY(${$(values.length)}::uuid[])`);
    values.push(selector.claimIds);
  }
  if (selector.creditorIds !== undefined) {
    parts.push(`c."creditorId" = ANY(${$(values.length)}::uuid[])`);
    values.push(selector.creditorIds);
  }
  if (selector.open) parts.push(`c.status = 'OPEN'`);
  return { text: parts.join(" AND "), values };
}

/** Locks the selected claims (see `LoadOptions.lock`) and returns the ids locked. */
async function lockClaims(
  conn: Conn,
  selector: ClaimSelector,
  lock: NonNullable<LoadOptions<string>["lock"]>,
): Promise<string[]> {
  const w = where(selector);
  const text =
    lock === "update"
      ? `SELECT c.id::text FROM "Claim" c WHERE ${w.text} ORDER BY c.id FOR UPDATE`
      : `SELECT c.id::text FROM "Claim" c
         WHERE ${w.text} AND c.status = 'OPEN' AND c."nextActionOn" <= $${w.values.length + 1}::date
         ORDER BY c.id FOR UPDATE SKIP LOCKED`;
  const values = lock === "update" ? w.values : [...w.values, lock.dueOn];
  return (await query<{ id: string }>(conn, text, values)).map((r) => r.id);
}

/**
 * Claims as snapshots, oldest due date first. `conn` is a transaction (Prisma's or a pg
 * connection's) or, for a page's plain read, nothing (the shared pool, prepared statements).
 */
export async function loadClaims<K extends string = never>(
  conn: Conn | undefined,
  selector: ClaimSelector,
  opts: LoadOptions<K> = {},
): Promise<Loaded<K>[]> {
  if ("ids" in selector && selector.ids.length === 0) return [];
  if (opts.lock) {
    if (!conn) throw new Error("claims can only be locked inside a transaction");
    const ids = await lockClaims(conn, selector, opts.lock);
    if (ids.length === 0) return [];
    selector = { ids };
  }
  const names = Object.keys(opts.extra ?? {}) as K[];
  const extra = names.map((k, i) => `, ${opts.extra![k]} AS x_${i}`).join("");
  const extraOut = names.map((_, i) => `, x_${i}`).join("");
  const extraNone = names.map(() => `, NULL`).join("");
  const extraOf = (row: Record<string, unknown>) => {
    const values = {} as Record<K, unknown>;
    names.forEach((k, i) => (values[k] = row[`x_${i}`]));
    return values;
  };
  const w = where(selector);
  // Batches (a list of ids, a plan's claims) share a handful of creditors, claim types and
  // policies among many claims: one statement returns the claims in order (k = 0), then one row
  // (k = 1) with each of those once. A page's few claims take them inline, which costs the
  // database less than gathering them apart (decision 0111).
  const shared = "ids" in selector || "planId" in selector;
  if (!shared) {
    const rows = await query<Record<string, unknown> & { claim: ClaimSnapshot }>(
      conn,
      `SELECT ${SNAPSHOT} AS claim, ${CREDITOR_JSON} AS x_cr, ${CLAIM_TYPE_JSON} AS x_ct,
              ${POLICY_JSON} AS x_p${extra}
       ${FROM} WHERE ${w.text} ORDER BY c."dueOn", c.id`,
      w.values,
    );
    return rows.map((row) =>
      Object.assign(row.claim, {
        creditor: row.x_cr as ClaimSnapshot["creditor"],
        claimType: row.x_ct as ClaimSnapshot["claimType"],
        policy: row.x_p as ClaimSnapshot["policy"],
        extra: extraOf(row),
      }),
    );
  }
  const rows = await query<Record<string, unknown> & { k: number; claim: unknown }>(
    conn,
    `WITH sel AS MATERIALIZED (
       SELECT c."dueOn" AS due, c.id AS cid, c."creditorId" AS crid, c."claimTypeId" AS ctid,
              c."policyId" AS pid, ${SNAPSHOT} AS claim${extra} ${FROM} WHERE ${w.text})
     SELECT 0 AS k, due, cid, claim${extraOut} FROM sel
     UNION ALL
     SELECT 1, NULL, NULL, ${SHARED}${extraNone} WHERE EXISTS (SELECT 1 FROM sel)
     ORDER BY k, due, cid`,
    w.values,
  );
  const last = rows[rows.length - 1];
  if (!last || last.k !== 1) return [];
  const { creditors, claimTypes, policies } = last.claim as SharedById;
  return rows.slice(0, -1).map((row) => {
    const own = row.claim as Omit<ClaimSnapshot, "creditor" | "claimType" | "policy">;
    return Object.assign(own, {
      creditor: creditors[own.creditorId]!,
      claimType: claimTypes[own.claimTypeId]!,
      policy: policies[own.policyId]!,
      extra: extraOf(row),
    });
  });
}

/** One claim, or null. */
export async function loadClaim<K extends string = never>(
  conn: Conn | undefined,
  selector: ClaimSelector,
  opts: LoadOptions<K> = {},
): Promise<Loaded<K> | null> {
  return (await loadClaims(conn, selector, opts))[0] ?? null;
}
