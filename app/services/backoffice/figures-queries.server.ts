import { bandSql, type Band } from "~/domain/figures";
import { query } from "~/infra/sql.server";

/*
 * The figures page's statements (app/services/backoffice/figures.server.ts puts them together):
 * one creditor, an optional claim type, days from `from` up to (not including) `to`, each grouped
 * by month. Plans and timings at scale: bench/explain.ts, docs/benchmarks.md.
 */

export type Window = {
  creditorId: string;
  typeId: string | null;
  from: string;
  to: string;
  tz: string;
};

const PRINCIPAL = `(SELECT coalesce(sum(p.amount), 0) FROM "Charge" p
                     WHERE p."claimId" = m."claimId" AND p.kind = 'PRINCIPAL')`;

/** Received, queued, filed and written off, by month and band of the principal. */
export async function bandedMoves(w: Window) {
  return query<{ type: string; month: string; band: Band; n: number; principal: string }>(
    undefined,
    `WITH m AS (
       SELECT e.type, e."occurredOn" AS day, e."claimId"
         FROM "Event" e
        WHERE e."creditorId" = $1::uuid AND e."occurredOn" >= $2::date AND e."occurredOn" < $3::date
          AND e.type IN ('claim.received', 'enforcement.queued', 'enforcement.filed',
                         'claim.written_off')
       UNION ALL
       -- A claim written off without the event (kept working whichever writer wrote it).
       SELECT 'claim.written_off', c."closedOn", c.id FROM "Claim" c
        WHERE c.status = 'WRITTEN_OFF' AND c."creditorId" = $1::uuid
          AND c."closedOn" >= $2::date AND c."closedOn" < $3::date
          AND NOT EXISTS (SELECT 1 FROM "Event" x
                           WHERE x."claimId" = c.id AND x.type = 'claim.written_off'))
     SELECT m.type, to_char(m.day, 'YYYY-MM') AS month, ${bandSql("pr.principal")} AS band,
            count(DISTINCT m."claimId")::int AS n, sum(pr.principal)::text AS principal
       FROM m JOIN "Claim" c ON c.id = m."claimId"
       CROSS JOIN LATERAL (SELECT ${PRINCIPAL} AS principal) pr
      WHERE ($4::uuid IS NULL OR c."claimTypeId" = $4::uuid)
      GROUP BY 1, 2, 3`,
    [w.creditorId, w.from, w.to, w.typeId],
  );
}

/** Reminders, collection notices and payment demands that left, by the day they left. */
export async function letters(w: Window) {
  return query<{ month: string; kind: string; n: number }>(
    undefined,
    `SELECT to_char(n."dispatchedOn", 'YYYY-MM') AS month, n.kind::text AS kind, count(*)::int AS n
       FROM "Notice" n JOIN "Claim" c ON c.id = n."claimId"
      WHERE c."creditorId" = $1::uuid AND ($4::uuid IS NULL OR c."claimTypeId" = $4::uuid)
        AND n.kind IN ('REMINDER', 'COLLECTION_NOTICE', 'PAYMENT_DEMAND')
        AND n."dispatchedOn" >= $2::date AND n."dispatchedOn" < $3::date
      GROUP BY 1, 2`,
    [w.creditorId, w.from, w.to, w.typeId],
  );
}

/** Fees charged in a month, and the principal of the claims they were charged on. */
export async function fees(w: Window) {
  return query<{ month: string; fees: string; principal: string }>(
    undefined,
    `WITH m AS (
       SELECT f."claimId", to_char(f."chargedOn", 'YYYY-MM') AS month, sum(f.amount) AS fees
         FROM "Charge" f JOIN "Claim" c ON c.id = f."claimId"
        WHERE c."creditorId" = $1::uuid AND ($4::uuid IS NULL OR c."claimTypeId" = $4::uuid)
          AND f.kind IN ('REMINDER_FEE', 'COLLECTION_FEE', 'PAYMENT_DEMAND_FEE', 'PLAN_FEE',
                         'ENFORCEMENT_FEE')
          AND f."cancelledOn" IS NULL AND f."pendingNoticeId" IS NULL
          AND f."chargedOn" >= $2::date AND f."chargedOn" < $3::date
        GROUP BY 1, 2)
     SELECT month, sum(fees)::text AS fees, sum(${PRINCIPAL})::text AS principal
       FROM m GROUP BY 1`,
    [w.creditorId, w.from, w.to, w.typeId],
  );
}

/** Claims paid in full, by the stage they stood at, and the median days from due date to paid. */
export async function paid(w: Window) {
  return query<{ month: string; stage: string | null; n: number; median: number | null }>(
    undefined,
    `SELECT to_char(e."occurredOn", 'YYYY-MM') AS month, c.stage::text AS stage,
            count(DISTINCT c.id)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY e."occurredOn" - c."dueOn") AS median
       FROM "Event" e JOIN "Claim" c ON c.id = e."claimId"
      WHERE e."creditorId" = $1::uuid AND e.type = 'claim.paid'
        AND e."occurredOn" >= $2::date AND e."occurredOn" < $3::date
        AND ($4::uuid IS NULL OR c."claimTypeId" = $4::uuid)
      GROUP BY GROUPING SETS ((1, 2), (1))`,
    [w.creditorId, w.from, w.to, w.typeId],
  );
}

/** Plans granted (payments counted from), kept (completed) and broken (ended early). */
export async function plans(w: Window) {
  return query<{ month: string; kind: string; n: number }>(
    undefined,
    `WITH p AS (
       SELECT p.* FROM "PaymentPlan" p
        WHERE p."creditorId" = $1::uuid
          AND ($4::uuid IS NULL OR EXISTS (
                SELECT 1 FROM "PlanClaim" pc JOIN "Claim" c ON c.id = pc."claimId"
                 WHERE pc."planId" = p.id AND c."claimTypeId" = $4::uuid)))
     SELECT month, kind, count(*)::int AS n FROM (
       SELECT to_char("countFrom", 'YYYY-MM') AS month, 'granted' AS kind FROM p
        WHERE "countFrom" >= $2::date AND "countFrom" < $3::date
       UNION ALL
       SELECT to_char("endedOn", 'YYYY-MM'), CASE status WHEN 'COMPLETED' THEN 'kept' ELSE 'broken' END
         FROM p WHERE status IN ('COMPLETED', 'ENDED')
          AND "endedOn" >= $2::date AND "endedOn" < $3::date) x
      GROUP BY 1, 2`,
    [w.creditorId, w.from, w.to, w.typeId],
  );
}

/** Objections filed, and decided (upheld or rejected), by the creditor's calendar month. */
export async function objections(w: Window) {
  return query<{ month: string; kind: string; n: number }>(
    undefined,
    `WITH d AS (
       SELECT (d."createdAt" AT TIME ZONE $5)::date AS filed_on,
              (d."decidedAt" AT TIME ZONE $5)::date AS decided_on, d.status
         FROM "Dispute" d JOIN "Claim" c ON c.id = d."claimId"
        WHERE c."creditorId" = $1::uuid AND ($4::uuid IS NULL OR c."claimTypeId" = $4::uuid))
     SELECT month, kind, count(*)::int AS n FROM (
       SELECT to_char(filed_on, 'YYYY-MM') AS month, 'objected' AS kind FROM d
        WHERE filed_on >= $2::date AND filed_on < $3::date
       UNION ALL
       SELECT to_char(decided_on, 'YYYY-MM'), lower(status::text) FROM d
        WHERE status IN ('UPHELD', 'REJECTED') AND decided_on >= $2::date AND decided_on < $3::date) x
      GROUP BY 1, 2`,
    [w.creditorId, w.from, w.to, w.typeId, w.tz],
  );
}
