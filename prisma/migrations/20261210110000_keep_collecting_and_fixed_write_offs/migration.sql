-- Decision 0106: "keep collecting" for a queued small balance, and write-offs recorded as fixed
-- amounts (a refund after a write-off reopens what it restores, never grows what was written off).
ALTER TABLE "Claim" ADD COLUMN "keepCollectingSince" DATE;
ALTER TABLE "Claim" ADD COLUMN "writeOffs" JSONB NOT NULL DEFAULT '[]';
