-- A charge keeps its cause event's type, so reading a claim's statement no longer looks up one
-- event per charge (decision 0113). Events are never changed, so the copy never goes stale.
ALTER TABLE "Charge" ADD COLUMN "causeType" TEXT;
UPDATE "Charge" ch SET "causeType" = e.type FROM "Event" e WHERE e.id = ch."causeEventId";
ALTER TABLE "Charge" ALTER COLUMN "causeType" SET NOT NULL;
