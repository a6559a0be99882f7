-- The staff start page counts each stage's open claims and finds the oldest (queueCounts): with
-- the day the stage was entered and the id in the index, the count is an index-only scan. At a
-- million claims the enforcement queue's count read 25,000 heap pages (2.5 s on a busy machine).
DROP INDEX "Claim_stage_status_creditorId_idx";
CREATE INDEX "Claim_stage_status_creditorId_idx" ON "Claim"("stage", "status", "creditorId")
  INCLUDE ("stageEnteredOn", "id");
