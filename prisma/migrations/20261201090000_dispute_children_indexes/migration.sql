-- A dispute's messages and documents are read by dispute (resident claim page, staff case view):
-- without these, each read scanned the whole table.
CREATE INDEX "DisputeMessage_disputeId_idx" ON "DisputeMessage"("disputeId");
CREATE INDEX "Attachment_disputeId_idx" ON "Attachment"("disputeId");
