-- Letters reach every resident (issue 14): a notice's lifecycle and channel, fees that count
-- from dispatch, the creditor's contact details, the resident's address and email consent,
-- print batches, and a day's cache of what the contact register said.

ALTER TYPE "NoticeKind" ADD VALUE 'DISPUTE_RECEIVED';
ALTER TYPE "NoticeKind" ADD VALUE 'DISPUTE_INFO_REQUESTED';
ALTER TYPE "NoticeKind" ADD VALUE 'DISPUTE_UPHELD';
ALTER TYPE "NoticeKind" ADD VALUE 'DISPUTE_REJECTED';
ALTER TYPE "NoticeKind" ADD VALUE 'PLAN_GRANTED';
ALTER TYPE "NoticeKind" ADD VALUE 'PLAN_REFUSED';
ALTER TYPE "NoticeKind" ADD VALUE 'PLAN_OFFERED';
ALTER TYPE "NoticeKind" ADD VALUE 'PLAN_CHANGED';
ALTER TYPE "NoticeKind" ADD VALUE 'PLAN_ENDED';
ALTER TYPE "NoticeKind" ADD VALUE 'PLAN_COMPLETED';
ALTER TYPE "NoticeKind" ADD VALUE 'HELP_RECEIVED';
ALTER TYPE "NoticeKind" ADD VALUE 'ENFORCEMENT_FILED';

CREATE TYPE "NoticeStatus" AS ENUM ('PENDING', 'DISPATCHED', 'DELIVERED', 'FAILED', 'RETURNED', 'RESENT');
CREATE TYPE "NoticeChannel" AS ENUM ('DIGITAL_MAILBOX', 'EMAIL', 'PRINT');

ALTER TABLE "Creditor"
  ADD COLUMN "orgNumber" TEXT,
  ADD COLUMN "postalAddress" JSONB NOT NULL DEFAULT '{}',
  ADD COLUMN "phone" TEXT,
  ADD COLUMN "email" TEXT,
  ADD COLUMN "web" TEXT,
  ADD COLUMN "openingHours" JSONB NOT NULL DEFAULT '{}',
  ADD COLUMN "iban" TEXT,
  ADD COLUMN "bic" TEXT,
  ADD COLUMN "writtenForm" TEXT;

ALTER TABLE "Resident"
  ADD COLUMN "addressCipher" TEXT,
  ADD COLUMN "emailNotices" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "emailConsentOn" DATE;

ALTER TABLE "Policy" ADD COLUMN "postalDays" INTEGER NOT NULL DEFAULT 2;

ALTER TABLE "Charge" ADD COLUMN "pendingNoticeId" UUID;

ALTER TABLE "Notice"
  ALTER COLUMN "stepId" DROP NOT NULL,
  ADD COLUMN "planId" UUID,
  ADD COLUMN "deadlineDays" INTEGER,
  ADD COLUMN "status" "NoticeStatus" NOT NULL DEFAULT 'PENDING',
  ADD COLUMN "channelReason" TEXT,
  ADD COLUMN "provider" TEXT,
  ADD COLUMN "providerMessageId" TEXT,
  ADD COLUMN "dispatchedOn" DATE,
  ADD COLUMN "deliveredOn" DATE,
  ADD COLUMN "failedReason" TEXT,
  ADD COLUMN "addressCipher" TEXT,
  ADD COLUMN "printBatchId" UUID,
  ADD COLUMN "resendOfId" UUID,
  ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now();

-- Notices written before: mail the SMTP server took was dispatched that day; mail that failed for
-- good failed; a "letter" nothing ever printed is still pending, and is now dispatched like any.
ALTER TABLE "Notice" ADD COLUMN "channel_new" "NoticeChannel";
UPDATE "Notice" n SET
  "channel_new" = CASE WHEN n.channel = 'email' THEN 'EMAIL'::"NoticeChannel" END,
  "channelReason" = CASE WHEN n.channel = 'email' THEN 'email-before-consent-rules' END,
  "provider" = CASE WHEN n.channel = 'email' THEN 'smtp' END,
  "status" = CASE
    WHEN o.status = 'SENT' THEN 'DISPATCHED'::"NoticeStatus"
    WHEN o.status = 'FAILED' THEN 'FAILED'::"NoticeStatus"
    ELSE 'PENDING'::"NoticeStatus" END,
  "dispatchedOn" = CASE WHEN o.status = 'SENT' THEN (o."sentAt" AT TIME ZONE 'UTC')::date END,
  "failedReason" = CASE WHEN o.status = 'FAILED' THEN o."lastError" END
FROM (SELECT DISTINCT ON ("noticeId") "noticeId", status, "sentAt", "lastError"
      FROM "Outbox" WHERE "noticeId" IS NOT NULL ORDER BY "noticeId", "createdAt") o
WHERE o."noticeId" = n.id;
UPDATE "Notice" SET "channel_new" = NULL WHERE channel <> 'email';
ALTER TABLE "Notice" DROP COLUMN "channel";
ALTER TABLE "Notice" RENAME COLUMN "channel_new" TO "channel";

CREATE UNIQUE INDEX "Notice_resendOfId_key" ON "Notice"("resendOfId");
CREATE INDEX "Notice_status_channel_nextAttemptAt_idx" ON "Notice"("status", "channel", "nextAttemptAt");
CREATE INDEX "Notice_planId_idx" ON "Notice"("planId");

CREATE TABLE "PrintBatch" (
  "id" UUID NOT NULL,
  "creditorId" UUID NOT NULL,
  "day" DATE NOT NULL,
  "fileName" TEXT NOT NULL,
  "sha256" TEXT NOT NULL,
  "size" INTEGER NOT NULL,
  "letters" INTEGER NOT NULL,
  "deliveredTo" TEXT NOT NULL,
  "actor" TEXT NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "PrintBatch_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "PrintBatch_creditorId_day_idx" ON "PrintBatch"("creditorId", "day");

CREATE TABLE "ContactRecord" (
  "residentId" UUID NOT NULL,
  "register" TEXT NOT NULL,
  "status" TEXT NOT NULL,
  "reserved" BOOLEAN NOT NULL,
  "mailbox" TEXT,
  "mailboxAddress" TEXT,
  "email" TEXT,
  "language" TEXT,
  "note" TEXT,
  "checkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "ContactRecord_pkey" PRIMARY KEY ("residentId")
);

-- Where each digital mailbox's receipts were last read up to.
CREATE TABLE "ReceiptCursor" (
  "provider" TEXT NOT NULL,
  "cursor" TEXT,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "ReceiptCursor_pkey" PRIMARY KEY ("provider")
);
