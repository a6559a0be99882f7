-- Write-offs (issue 16, docs/decisions/0106): a policy's rule for small balances, a fee written
-- off rather than found wrong, the staff queue's task kind and the resident's letter.
ALTER TABLE "Policy" ADD COLUMN "writeOff" JSONB;
ALTER TABLE "Charge" ADD COLUMN "writtenOff" BOOLEAN NOT NULL DEFAULT false;
ALTER TYPE "StaffTaskKind" ADD VALUE 'WRITE_OFF';
ALTER TYPE "NoticeKind" ADD VALUE 'CLAIM_WRITTEN_OFF';
