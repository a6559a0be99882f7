-- Indexes justified by bench/explain.ts on generated data (100,000 and 1,000,000 claims).

-- The claim page lists each notice with its delivery status (notice.findMany include outbox):
-- without this, every claim page view scanned the whole outbox (one row per mailed notice).
CREATE INDEX "Outbox_noticeId_idx" ON "Outbox"("noticeId");

-- The staff start page and the enforcement queue read a creditor's open claims ready for
-- enforcement: without this, a sequential scan of every claim on each view.
CREATE INDEX "Claim_stage_status_creditorId_idx" ON "Claim"("stage", "status", "creditorId");

-- Every claim statement loads its payments' refunds (claimStateInclude, loadClaimStates): the
-- plan is a sequential scan of Refund per payment (a SubPlan looping once per payment row).
-- Cheap only while there are no refunds; generated data has none, so this one is justified by
-- the plan's shape, not by a measured time.
CREATE INDEX "Refund_paymentId_idx" ON "Refund"("paymentId");
