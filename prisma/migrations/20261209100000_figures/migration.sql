-- The figures page (docs/decisions/0104): the creditor's alert thresholds, and an index that
-- counts a creditor's events of one kind by day without reading the table.
ALTER TABLE "Creditor" ADD COLUMN "figureAlerts" JSONB NOT NULL DEFAULT '[]';

CREATE INDEX "Event_creditorId_type_occurredOn_claimId_idx"
  ON "Event" ("creditorId", "type", "occurredOn", "claimId");
