-- The figures page (docs/decisions/0104): the creditor's alert thresholds.
ALTER TABLE "Creditor" ADD COLUMN "figureAlerts" JSONB NOT NULL DEFAULT '[]';

-- The figures by month (docs/decisions/0104): one row per creditor, claim type (the nil uuid for
-- all types together), month of the creditor's calendar, figure and key (an amount band, a letter
-- kind, a stage, ...): how many (distinct claims, letters, plans or objections), the amounts, and
-- for payments the median days from due date to paid. Counted again by the worker every hour and by
-- staff on the page (REFRESH ... CONCURRENTLY: the page reads the old rows meanwhile).
CREATE MATERIALIZED VIEW "FigureMonth" AS
WITH principal AS (
  SELECT "claimId", sum(amount) AS p FROM "Charge" WHERE kind = 'PRINCIPAL' GROUP BY 1
), moves AS (
  SELECT e.type, e."occurredOn" AS day, e."claimId" FROM "Event" e
   WHERE e.type IN ('claim.received', 'enforcement.queued', 'enforcement.filed', 'claim.written_off')
     AND e."claimId" IS NOT NULL
  UNION ALL
  -- A claim written off without the event (whichever writer wrote it).
  SELECT 'claim.written_off', c."closedOn", c.id FROM "Claim" c
   WHERE c.status = 'WRITTEN_OFF' AND c."closedOn" IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM "Event" x WHERE x."claimId" = c.id AND x.type = 'claim.written_off')
), fee AS (
  SELECT f."claimId", to_char(f."chargedOn", 'YYYY-MM') AS month, sum(f.amount) AS fees
    FROM "Charge" f
   WHERE f.kind IN ('REMINDER_FEE', 'COLLECTION_FEE', 'PAYMENT_DEMAND_FEE', 'PLAN_FEE', 'ENFORCEMENT_FEE')
     AND f."cancelledOn" IS NULL AND f."pendingNoticeId" IS NULL
   GROUP BY 1, 2
), item AS (
  SELECT c."creditorId", c."claimTypeId", to_char(m.day, 'YYYY-MM') AS month,
         CASE m.type WHEN 'claim.received' THEN 'received' WHEN 'enforcement.queued' THEN 'queued'
                     WHEN 'enforcement.filed' THEN 'filed' ELSE 'writtenOff' END AS figure,
         CASE WHEN coalesce(pr.p, 0) < 20000 THEN 'b0' WHEN pr.p < 50000 THEN 'b1'
              WHEN pr.p < 100000 THEN 'b2' WHEN pr.p < 500000 THEN 'b3' ELSE 'b4' END AS key,
         m."claimId" AS id, coalesce(pr.p, 0) AS amount, 0::bigint AS base, NULL::int AS days
    FROM moves m JOIN "Claim" c ON c.id = m."claimId" LEFT JOIN principal pr ON pr."claimId" = m."claimId"
  UNION ALL
  SELECT c."creditorId", c."claimTypeId", to_char(n."dispatchedOn", 'YYYY-MM'), 'letters', n.kind::text,
         n.id, 0, 0, NULL
    FROM "Notice" n JOIN "Claim" c ON c.id = n."claimId"
   WHERE n.kind IN ('REMINDER', 'COLLECTION_NOTICE', 'PAYMENT_DEMAND') AND n."dispatchedOn" IS NOT NULL
  UNION ALL
  SELECT c."creditorId", c."claimTypeId", f.month, 'fees', 'fees', f."claimId", f.fees,
         coalesce(pr.p, 0), NULL
    FROM fee f JOIN "Claim" c ON c.id = f."claimId" LEFT JOIN principal pr ON pr."claimId" = f."claimId"
  UNION ALL
  SELECT c."creditorId", c."claimTypeId", to_char(e."occurredOn", 'YYYY-MM'), k.figure,
         CASE WHEN k.figure = 'paid' THEN c.stage::text ELSE 'all' END, c.id, 0, 0,
         e."occurredOn" - c."dueOn"
    FROM "Event" e JOIN "Claim" c ON c.id = e."claimId"
   CROSS JOIN (VALUES ('paid'), ('paidAll')) k(figure)
   WHERE e.type = 'claim.paid'
  UNION ALL
  SELECT p."creditorId", c."claimTypeId", to_char(x.day, 'YYYY-MM'), 'plans', x.kind, p.id, 0, 0, NULL
    FROM "PaymentPlan" p
    JOIN "PlanClaim" pc ON pc."planId" = p.id JOIN "Claim" c ON c.id = pc."claimId"
   CROSS JOIN LATERAL (
     SELECT p."countFrom" AS day, 'granted' AS kind WHERE p."countFrom" IS NOT NULL
     UNION ALL
     SELECT p."endedOn", CASE p.status WHEN 'COMPLETED' THEN 'kept' ELSE 'broken' END
      WHERE p.status IN ('COMPLETED', 'ENDED') AND p."endedOn" IS NOT NULL) x
  UNION ALL
  SELECT c."creditorId", c."claimTypeId", to_char(x.at AT TIME ZONE cr."timeZone", 'YYYY-MM'),
         'objections', x.kind, d.id, 0, 0, NULL
    FROM "Dispute" d JOIN "Claim" c ON c.id = d."claimId" JOIN "Creditor" cr ON cr.id = c."creditorId"
   CROSS JOIN LATERAL (
     SELECT d."createdAt" AS at, 'objected' AS kind
     UNION ALL
     SELECT d."decidedAt", lower(d.status::text) WHERE d.status IN ('UPHELD', 'REJECTED')
       AND d."decidedAt" IS NOT NULL) x
)
SELECT "creditorId",
       coalesce("claimTypeId", '00000000-0000-0000-0000-000000000000'::uuid) AS "claimTypeId",
       month, figure, key, count(DISTINCT id)::int AS n, sum(amount)::bigint AS amount,
       sum(base)::bigint AS base,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median, now() AS "countedAt"
  FROM item
 GROUP BY GROUPING SETS (("creditorId", "claimTypeId", month, figure, key),
                         ("creditorId", month, figure, key));

CREATE UNIQUE INDEX "FigureMonth_key" ON "FigureMonth" ("creditorId", "claimTypeId", month, figure, key);
