-- An enforcement export's file names residents and carries their identity numbers and addresses:
-- it is kept encrypted like them (new files; older ones are marked as plain), knows the claims
-- it holds (also after an undo, when their filings no longer point at it), and is removed when
-- every one of those claims has been anonymised under the retention rules.
ALTER TABLE "EnforcementExport"
  ADD COLUMN "claimIds" UUID[] NOT NULL DEFAULT '{}',
  ADD COLUMN "contentEncrypted" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "contentRemovedOn" DATE;

-- The claims of the batches made so far: each claim's move to exported names its batch.
UPDATE "EnforcementExport" e SET "claimIds" = coalesce((
  SELECT array_agg(DISTINCT ev."claimId") FROM "Event" ev
   WHERE ev."claimId" IS NOT NULL AND ev.data->>'exportId' = e.id::text), '{}');

CREATE INDEX "EnforcementExport_claimIds_idx" ON "EnforcementExport" USING GIN ("claimIds");
