import type { IsoDate } from "~/domain/calendar-date";
import { rowsOf, sql, sqlText, type Conn } from "~/infra/db.server";
import type { ClaimStateRow } from "./claim-state.server";
import { rowOrderSql } from "./row-order.server";

/*
 * Claim states for a batch, inside a transaction: the sweep's batches, and payments and Stripe
 * events booking several claims at once. The same rows as `findMany({ include:
 * claimStateInclude })` (claim-state.server.test.ts compares them), in plain statements on the
 * transaction's connection. The resident pages read theirs in resident-claim-state.server.ts.
 */

type Row = ClaimStateRow;
/** A claim row as the first query returns it: with its one-to-one relations, not yet its lists. */
type Loaded = Omit<
  Row,
  "creditor" | "claimType" | "policy" | "charges" | "payments" | "holds" | "steps"
> &
  Partial<Row>;

function byClaim<T extends { claimId: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(r.claimId);
    if (list) list.push(r);
    else map.set(r.claimId, [r]);
  }
  return map;
}

/**
 * The claims' own rows with their resident. With `lockDueOn` (the sweep's batches), only those
 * still open and due on that day, locked FOR UPDATE SKIP LOCKED: another sweep may hold some of
 * them (they are left to it) or have finished them since they were listed (no longer due).
 * Locking and loading in one statement reads each claim once, not once to lock and once to load.
 */
function claimsQuery(ids: string[], lockDueOn: IsoDate | undefined) {
  const text = `
    SELECT c.*,
           json_build_object('name', r.name, 'email', r.email, 'language', r.language,
                             'flags', ARRAY(SELECT json_build_object('id', f.id)
                                            FROM "VulnerabilityFlag" f
                                            WHERE f."residentId" = c."residentId"
                                              AND f."resolvedAt" IS NULL)) AS resident
    FROM "Claim" c JOIN "Resident" r ON r.id = c."residentId"
    WHERE c.id = ANY($1::uuid[])`;
  if (lockDueOn === undefined) return sqlText(`${text} ORDER BY c.id`, [ids]);
  return sqlText(
    `${text} AND c.status = 'OPEN' AND c."nextActionOn" <= $2::date
     ORDER BY c.id FOR UPDATE OF c SKIP LOCKED`,
    [ids, lockDueOn],
  );
}

/**
 * The same rows as `findMany({ include: claimStateInclude })`, for a batch of the sweep. Prisma
 * runs one query per relation and builds each row through its query interpreter, which cost
 * about a quarter of a millisecond per claim; here it is eight plain queries, one per table.
 * Policies, creditors and claim types are shared by the batch's rows that use them: nothing
 * changes them.
 */
export async function loadClaimStates(
  conn: Conn,
  ids: string[],
  opts: { lockDueOn?: IsoDate } = {},
): Promise<ClaimStateRow[]> {
  if (ids.length === 0) return [];
  // Sequential on purpose: the statements share the transaction's one connection. The resident
  // comes back as a JSON object already in its final shape, creditors and claim types (a handful
  // per batch) once each, and the lists are set on each row: building the rows by copying cost
  // more than reading them.
  const claims = await rowsOf<Loaded>(conn, claimsQuery(ids, opts.lockDueOn));
  if (claims.length === 0) return [];
  // The lists below are those of the claims found (with `lockDueOn`, only those locked).
  if (opts.lockDueOn !== undefined) ids = claims.map((c) => c.id);
  const creditors = await rowsOf<Row["creditor"]>(
    conn,
    sql`
    SELECT id, slug, name, country, "timeZone", "bankAccount" FROM "Creditor"
    WHERE id = ANY(${[...new Set(claims.map((c) => c.creditorId))]}::uuid[])`,
  );
  const claimTypes = await rowsOf<Row["claimType"] & { id: string }>(
    conn,
    sql`
    SELECT id, slug, name, names FROM "ClaimType"
    WHERE id = ANY(${[...new Set(claims.map((c) => c.claimTypeId))]}::uuid[])`,
  );
  const policyIds = [...new Set(claims.map((c) => c.policyId))];
  const policies = await rowsOf<Row["policy"]>(
    conn,
    sql`SELECT * FROM "Policy" WHERE id = ANY(${policyIds}::uuid[])`,
  );
  const charges = await rowsOf<Row["charges"][number]>(
    conn,
    sqlText(
      `SELECT ch.*, json_build_object('type', e.type) AS "causeEvent"
       FROM "Charge" ch JOIN "Event" e ON e.id = ch."causeEventId"
       WHERE ch."claimId" = ANY($1::uuid[]) ORDER BY ${rowOrderSql("charges", "ch")}`,
      [ids],
    ),
  );
  const payments = await rowsOf<Row["payments"][number]>(
    conn,
    sqlText(
      `SELECT p.*, COALESCE(
         (SELECT json_agg(json_build_object('amount', r.amount, 'allocations', r.allocations)
                          ORDER BY ${rowOrderSql("recorded", "r")})
          FROM "Refund" r WHERE r."paymentId" = p.id), '[]'::json) AS refunds
       FROM "Payment" p WHERE p."claimId" = ANY($1::uuid[]) ORDER BY ${rowOrderSql("payments", "p")}`,
      [ids],
    ),
  );
  const holds = await rowsOf<Row["holds"][number]>(
    conn,
    sqlText(
      `SELECT * FROM "Hold" WHERE "claimId" = ANY($1::uuid[]) ORDER BY ${rowOrderSql("holds", "")}`,
      [ids],
    ),
  );
  const steps = await rowsOf<Row["steps"][number]>(
    conn,
    sqlText(
      `SELECT * FROM "ClaimStep" WHERE "claimId" = ANY($1::uuid[]) ORDER BY ${rowOrderSql("steps", "")}`,
      [ids],
    ),
  );

  const policyById = new Map(policies.map((p) => [p.id, p]));
  // Shared by the batch's claims of one creditor and type; nothing changes them.
  const creditorById = new Map(creditors.map((c) => [c.id, c]));
  const claimTypeById = new Map(
    claimTypes.map((t) => [t.id, { slug: t.slug, name: t.name, names: t.names }]),
  );
  const chargesOf = byClaim(charges);
  const paymentsOf = byClaim(payments);
  const holdsOf_ = byClaim(holds);
  const stepsOf = byClaim(steps);
  for (const c of claims) {
    c.creditor = creditorById.get(c.creditorId)!;
    c.claimType = claimTypeById.get(c.claimTypeId)!;
    c.policy = policyById.get(c.policyId)!;
    c.charges = chargesOf.get(c.id) ?? [];
    c.payments = paymentsOf.get(c.id) ?? [];
    c.holds = holdsOf_.get(c.id) ?? [];
    c.steps = stepsOf.get(c.id) ?? [];
  }
  return claims as Row[];
}
