-- A notice of the ladder (nearly every notice the sweep writes) has neither a plan nor an older
-- letter it sends again, yet each insert put a NULL into both indexes. Partial indexes hold only
-- the rows that have one (decision 0113). The unique constraint is the same: NULLs never clashed.
-- Look-ups by plan (`"planId" = $1`) imply NOT NULL, so the planner still uses the index.
DROP INDEX "Notice_resendOfId_key";
CREATE UNIQUE INDEX "Notice_resendOfId_key" ON "Notice"("resendOfId") WHERE "resendOfId" IS NOT NULL;
DROP INDEX "Notice_planId_idx";
CREATE INDEX "Notice_planId_idx" ON "Notice"("planId") WHERE "planId" IS NOT NULL;
