import type { Prisma } from "~/generated/prisma/client.ts";
import type { AllocationOrder, BalanceCategory } from "~/domain/balance";
import type { IsoDate } from "~/domain/calendar-date";
import { claimStatement, type ClaimStatement } from "~/domain/claim-statement";
import { evaluate, isHoldActive, type Decision, type EvaluationHold } from "~/domain/escalation";
import type { Policy, PolicyStep } from "~/domain/policy";
import { rowsOf, sql, sqlText, type Conn } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import type { LawBook } from "./legal-figures.server";
import { recordedOrder, rowOrder, rowOrderSql } from "./row-order.server";

/** Everything the statement and the escalation decision of a claim need, in one Prisma include. */
export const claimStateInclude = {
  creditor: {
    select: { id: true, slug: true, name: true, country: true, timeZone: true, bankAccount: true },
  },
  claimType: { select: { slug: true, name: true, names: true } },
  policy: true,
  charges: {
    include: { causeEvent: { select: { type: true } } },
    orderBy: rowOrder("charges"),
  },
  payments: {
    orderBy: rowOrder("payments"),
    include: {
      refunds: {
        select: { amount: true, allocations: true },
        orderBy: recordedOrder(),
      },
    },
  },
  holds: { orderBy: rowOrder("holds") },
  steps: { orderBy: rowOrder("steps") },
  resident: {
    select: {
      name: true,
      email: true,
      language: true,
      flags: { where: { resolvedAt: null }, select: { id: true } },
    },
  },
} satisfies Prisma.ClaimInclude;

export type ClaimStateRow = Prisma.ClaimGetPayload<{ include: typeof claimStateInclude }>;

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

export function policyOf(row: ClaimStateRow): Policy {
  return {
    steps: row.policy.steps as unknown as PolicyStep[],
    enforcementMinimum: row.policy.enforcementMinimum,
    chargesInterest: row.policy.chargesInterest,
    allocationOrder: row.policy.allocationOrder as unknown as AllocationOrder,
    resumeDeadlineDays: row.policy.resumeDeadlineDays,
  };
}

export function holdsOf(row: ClaimStateRow): EvaluationHold[] {
  return row.holds.map((h) => ({
    id: h.id,
    kind: h.kind,
    startsOn: isoOf(h.startsOn),
    endsOn: h.endsOn ? isoOf(h.endsOn) : null,
    releasedOn: h.releasedOn ? isoOf(h.releasedOn) : null,
  }));
}

export function statementOf(row: ClaimStateRow, law: LawBook, today: IsoDate): ClaimStatement {
  return claimStatement({
    country: row.creditor.country,
    dueOn: isoOf(row.dueOn),
    today,
    chargesInterest: row.policy.chargesInterest,
    // A cancelled charge (an upheld dispute) is owed by no one; it stays on record, not in sums.
    charges: row.charges
      .filter((c) => !c.cancelledOn)
      .map((c) => ({
        kind: c.kind,
        amount: c.amount,
        chargedOn: isoOf(c.chargedOn),
        causeType: c.causeEvent.type,
        legalBasis: c.legalBasis,
      })),
    payments: row.payments.map(netOfRefunds),
    rates: law.interest[row.creditor.country],
    order: row.policy.allocationOrder as unknown as AllocationOrder,
  });
}

/**
 * The escalation decision for a claim on a day: the one the engine acts on and the resident is
 * shown. `statement` must be the claim's statement on the same day; passed as a function, it is
 * computed only if the decision needs the balance (only the step to enforcement does).
 */
export function decisionOf(
  row: ClaimStateRow,
  statement: ClaimStatement | (() => ClaimStatement),
  law: LawBook,
  today: IsoDate,
): Decision {
  let known = typeof statement === "function" ? undefined : statement;
  const balance = () => (known ??= (statement as () => ClaimStatement)()).balance;
  return evaluate({
    status: row.status,
    stage: row.stage,
    dueOn: isoOf(row.dueOn),
    country: row.creditor.country,
    policy: policyOf(row),
    figures: (date) => law.figures(row.creditor.country, date),
    outstanding: {
      get principal() {
        return balance().principal;
      },
      get fees() {
        return balance().fees;
      },
      get interest() {
        return balance().interest;
      },
    },
    holds: holdsOf(row),
    stepsTaken: row.steps.map((s) => ({
      key: s.key,
      takenOn: isoOf(s.takenOn),
      deadline: s.deadline ? isoOf(s.deadline) : null,
    })),
    vulnerable: row.resident.flags.length > 0,
    today,
  });
}

/** When the sweep must look at the claim again: the decision's own date, or never by itself. */
export function nextActionOn(decision: Decision, today: IsoDate): IsoDate | null {
  // The day the action fell due, not today: a sweep run for a past date (catching up, or a
  // replay) must still find it.
  if (decision.kind === "act") return decision.since < today ? decision.since : today;
  if (decision.kind === "wait") return decision.on;
  return decision.resumesOn ?? null;
}

export function activeHoldsOf(row: ClaimStateRow, today: IsoDate) {
  const holds = holdsOf(row);
  return row.holds.filter((_, i) => isHoldActive(holds[i]!, today));
}

type Allocations = Partial<Record<BalanceCategory, number>>;

/**
 * A payment as it stands after its refunds: what was given back no longer pays anything. Credit
 * (the part no charge absorbed) is never in a statement, so neither is a refund of credit.
 */
export function netOfRefunds(p: ClaimStateRow["payments"][number]) {
  const allocations: Allocations = { ...(p.allocations as Allocations) };
  let reversed = 0;
  for (const r of p.refunds) {
    for (const [k, v] of Object.entries(r.allocations as Record<string, number>)) {
      if (k === "credit") continue;
      const key = k as BalanceCategory;
      allocations[key] = (allocations[key] ?? 0) - v;
      reversed += v;
    }
  }
  return {
    amount: p.amount - p.creditAmount - reversed,
    receivedOn: isoOf(p.receivedOn),
    method: p.method,
    allocations,
  };
}
