-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Country" AS ENUM ('SE', 'NO');

-- CreateEnum
CREATE TYPE "ReferenceScheme" AS ENUM ('KID_MOD10', 'KID_MOD11', 'OCR', 'OCR_LENGTH');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('OPEN', 'PAID', 'CANCELLED', 'WRITTEN_OFF');

-- CreateEnum
CREATE TYPE "ClaimStage" AS ENUM ('INVOICED', 'REMINDER', 'COLLECTION_NOTICE', 'PAYMENT_DEMAND', 'READY_FOR_ENFORCEMENT', 'FILED');

-- CreateEnum
CREATE TYPE "ChargeKind" AS ENUM ('PRINCIPAL', 'REMINDER_FEE', 'COLLECTION_FEE', 'PAYMENT_DEMAND_FEE', 'PLAN_FEE', 'ENFORCEMENT_FEE', 'INTEREST');

-- CreateEnum
CREATE TYPE "HoldKind" AS ENUM ('DISPUTE', 'PLAN_REQUEST', 'ACTIVE_PLAN', 'PAYMENT_PENDING', 'DEFERRAL', 'HARDSHIP', 'DEBT_RESPITE', 'MANUAL');

-- CreateEnum
CREATE TYPE "LegalRateKind" AS ENUM ('REMINDER_FEE_CAP', 'COLLECTION_FEE_CAP', 'PAYMENT_DEMAND_FEE_CAP', 'PLAN_FEE_CAP', 'LATE_INTEREST_RATE', 'PAYMENT_ORDER_FEE', 'ENFORCEMENT_BASIC_FEE', 'MIN_COLLECTION_DEADLINE_DAYS');

-- CreateEnum
CREATE TYPE "VulnerabilityKind" AS ENUM ('HARDSHIP', 'DEBT_RESPITE', 'WELFARE_CONCERN');

-- CreateEnum
CREATE TYPE "NoticeKind" AS ENUM ('REMINDER', 'COLLECTION_NOTICE', 'PAYMENT_DEMAND', 'FRESH_DEADLINE');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "CheckoutStatus" AS ENUM ('OPEN', 'PAID', 'FAILED', 'EXPIRED', 'MISMATCH');

-- CreateEnum
CREATE TYPE "WebhookStatus" AS ENUM ('PENDING', 'PROCESSED', 'IGNORED', 'FAILED');

-- CreateEnum
CREATE TYPE "BankEntryStatus" AS ENUM ('MATCHED', 'UNMATCHED', 'OVERPAID', 'MISMATCH');

-- CreateEnum
CREATE TYPE "StaffTaskKind" AS ENUM ('PAYMENT_MISMATCH', 'UNMATCHED_BANK_PAYMENT', 'REFUND_CREDIT', 'CARD_DISPUTE');

-- CreateEnum
CREATE TYPE "StaffTaskStatus" AS ENUM ('OPEN', 'DONE');

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('AGENT', 'SUPERVISOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "DisputeReason" AS ENUM ('ALREADY_PAID', 'WRONG_AMOUNT', 'SERVICE_NOT_RECEIVED', 'WRONG_PERSON', 'FEE_NOT_JUSTIFIED', 'OTHER');

-- CreateEnum
CREATE TYPE "DisputeStatus" AS ENUM ('OPEN', 'INFO_REQUESTED', 'INFO_PROVIDED', 'UPHELD', 'REJECTED');

-- CreateTable
CREATE TABLE "Creditor" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" "Country" NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "timeZone" TEXT NOT NULL,
    "bankAccount" TEXT NOT NULL,
    "referenceScheme" "ReferenceScheme" NOT NULL,
    "referencePrefix" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Creditor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimType" (
    "id" UUID NOT NULL,
    "creditorId" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "names" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClaimType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Policy" (
    "id" UUID NOT NULL,
    "creditorId" UUID NOT NULL,
    "claimTypeId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "chargesInterest" BOOLEAN NOT NULL,
    "enforcementMinimum" INTEGER NOT NULL,
    "allocationOrder" TEXT[],
    "steps" JSONB NOT NULL DEFAULT '[]',
    "resumeDeadlineDays" INTEGER NOT NULL DEFAULT 14,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "creditorId" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Resident" (
    "id" UUID NOT NULL,
    "country" "Country" NOT NULL,
    "nationalIdCipher" TEXT NOT NULL,
    "nationalIdHash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "language" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Resident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VulnerabilityFlag" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "kind" "VulnerabilityKind" NOT NULL,
    "note" TEXT NOT NULL,
    "raisedBy" TEXT NOT NULL,
    "raisedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),
    "resolution" TEXT,

    CONSTRAINT "VulnerabilityFlag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Claim" (
    "id" UUID NOT NULL,
    "creditorId" UUID NOT NULL,
    "claimTypeId" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "policyId" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "intakeFingerprint" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "issuedOn" DATE NOT NULL,
    "dueOn" DATE NOT NULL,
    "paymentReference" TEXT NOT NULL,
    "status" "ClaimStatus" NOT NULL DEFAULT 'OPEN',
    "stage" "ClaimStage" NOT NULL DEFAULT 'INVOICED',
    "stageEnteredOn" DATE NOT NULL,
    "closedOn" DATE,
    "nextActionOn" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Claim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Charge" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "kind" "ChargeKind" NOT NULL,
    "amount" INTEGER NOT NULL,
    "chargedOn" DATE NOT NULL,
    "causeEventId" BIGINT NOT NULL,
    "legalBasis" TEXT NOT NULL,
    "cancelledOn" DATE,
    "cancelReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Charge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "receivedOn" DATE NOT NULL,
    "method" TEXT NOT NULL,
    "providerRef" TEXT NOT NULL,
    "allocations" JSONB NOT NULL DEFAULT '{}',
    "creditAmount" INTEGER NOT NULL DEFAULT 0,
    "checkoutId" UUID,
    "eventId" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Hold" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "kind" "HoldKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "startsOn" DATE NOT NULL,
    "endsOn" DATE,
    "releasedOn" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Hold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" BIGSERIAL NOT NULL,
    "claimId" UUID,
    "residentId" UUID,
    "creditorId" UUID,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "occurredOn" DATE NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LegalRate" (
    "id" UUID NOT NULL,
    "jurisdiction" "Country" NOT NULL,
    "kind" "LegalRateKind" NOT NULL,
    "value" INTEGER NOT NULL,
    "validFrom" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LegalRate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClaimStep" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "takenOn" DATE NOT NULL,
    "deadline" DATE,
    "eventId" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClaimStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notice" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "stepId" UUID NOT NULL,
    "kind" "NoticeKind" NOT NULL,
    "sentOn" DATE NOT NULL,
    "deadline" DATE,
    "language" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'notice',
    "content" JSONB,
    "noticeId" UUID,
    "to" TEXT NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "messageId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SweepRun" (
    "id" UUID NOT NULL,
    "creditorId" UUID NOT NULL,
    "asOf" DATE NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "summary" JSONB,

    CONSTRAINT "SweepRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Checkout" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "providerSessionId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "status" "CheckoutStatus" NOT NULL DEFAULT 'OPEN',
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "url" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Checkout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckoutItem" (
    "id" UUID NOT NULL,
    "checkoutId" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "amount" INTEGER NOT NULL,

    CONSTRAINT "CheckoutItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "WebhookStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMPTZ(3),

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" UUID NOT NULL,
    "paymentId" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "providerRef" TEXT NOT NULL,
    "allocations" JSONB NOT NULL DEFAULT '{}',
    "refundedOn" DATE NOT NULL,
    "eventId" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankFileImport" (
    "id" UUID NOT NULL,
    "format" TEXT NOT NULL,
    "fileId" TEXT NOT NULL,
    "entries" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BankFileImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BankEntry" (
    "id" UUID NOT NULL,
    "importId" UUID NOT NULL,
    "entryKey" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "bookedOn" DATE NOT NULL,
    "payerName" TEXT,
    "line" INTEGER NOT NULL,
    "status" "BankEntryStatus" NOT NULL,
    "claimId" UUID,
    "paymentId" UUID,

    CONSTRAINT "BankEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffTask" (
    "id" UUID NOT NULL,
    "kind" "StaffTaskKind" NOT NULL,
    "status" "StaffTaskStatus" NOT NULL DEFAULT 'OPEN',
    "creditorId" UUID,
    "claimId" UUID,
    "sourceKey" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMPTZ(3),

    CONSTRAINT "StaffTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Staff" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT true,
    "totpSecretCipher" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMPTZ(3),

    CONSTRAINT "Staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffCreditor" (
    "staffId" UUID NOT NULL,
    "creditorId" UUID NOT NULL,

    CONSTRAINT "StaffCreditor_pkey" PRIMARY KEY ("staffId","creditorId")
);

-- CreateTable
CREATE TABLE "Dispute" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "chargeId" UUID,
    "residentId" UUID NOT NULL,
    "reason" "DisputeReason" NOT NULL,
    "text" TEXT NOT NULL,
    "status" "DisputeStatus" NOT NULL DEFAULT 'OPEN',
    "holdId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMPTZ(3),
    "decidedBy" TEXT,
    "decisionReason" TEXT,
    "freshDeadline" DATE,

    CONSTRAINT "Dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DisputeMessage" (
    "id" UUID NOT NULL,
    "disputeId" UUID NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DisputeMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" UUID NOT NULL,
    "disputeId" UUID NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnforcementFiling" (
    "id" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "approvedBy" UUID NOT NULL,
    "approvedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "exportId" UUID,
    "exportedAt" TIMESTAMPTZ(3),

    CONSTRAINT "EnforcementFiling_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Creditor_slug_key" ON "Creditor"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Creditor_referencePrefix_key" ON "Creditor"("referencePrefix");

-- CreateIndex
CREATE UNIQUE INDEX "ClaimType_creditorId_slug_key" ON "ClaimType"("creditorId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "Policy_claimTypeId_version_key" ON "Policy"("claimTypeId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "Resident_nationalIdHash_key" ON "Resident"("nationalIdHash");

-- CreateIndex
CREATE INDEX "VulnerabilityFlag_residentId_resolvedAt_idx" ON "VulnerabilityFlag"("residentId", "resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Claim_paymentReference_key" ON "Claim"("paymentReference");

-- CreateIndex
CREATE INDEX "Claim_residentId_status_idx" ON "Claim"("residentId", "status");

-- CreateIndex
CREATE INDEX "Claim_status_nextActionOn_idx" ON "Claim"("status", "nextActionOn");

-- CreateIndex
CREATE UNIQUE INDEX "Claim_creditorId_externalId_key" ON "Claim"("creditorId", "externalId");

-- CreateIndex
CREATE INDEX "Charge_claimId_idx" ON "Charge"("claimId");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_providerRef_key" ON "Payment"("providerRef");

-- CreateIndex
CREATE INDEX "Payment_claimId_idx" ON "Payment"("claimId");

-- CreateIndex
CREATE INDEX "Hold_claimId_idx" ON "Hold"("claimId");

-- CreateIndex
CREATE INDEX "Event_claimId_id_idx" ON "Event"("claimId", "id");

-- CreateIndex
CREATE INDEX "Event_residentId_id_idx" ON "Event"("residentId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "LegalRate_jurisdiction_kind_validFrom_key" ON "LegalRate"("jurisdiction", "kind", "validFrom");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ClaimStep_claimId_key_key" ON "ClaimStep"("claimId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Notice_stepId_key" ON "Notice"("stepId");

-- CreateIndex
CREATE INDEX "Notice_claimId_idx" ON "Notice"("claimId");

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "SweepRun_creditorId_asOf_key" ON "SweepRun"("creditorId", "asOf");

-- CreateIndex
CREATE UNIQUE INDEX "Checkout_providerSessionId_key" ON "Checkout"("providerSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Checkout_idempotencyKey_key" ON "Checkout"("idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "CheckoutItem_checkoutId_claimId_key" ON "CheckoutItem"("checkoutId", "claimId");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_receivedAt_idx" ON "WebhookEvent"("status", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_provider_eventId_key" ON "WebhookEvent"("provider", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_providerRef_key" ON "Refund"("providerRef");

-- CreateIndex
CREATE UNIQUE INDEX "BankFileImport_format_fileId_key" ON "BankFileImport"("format", "fileId");

-- CreateIndex
CREATE UNIQUE INDEX "BankEntry_entryKey_key" ON "BankEntry"("entryKey");

-- CreateIndex
CREATE UNIQUE INDEX "StaffTask_sourceKey_key" ON "StaffTask"("sourceKey");

-- CreateIndex
CREATE INDEX "StaffTask_status_kind_idx" ON "StaffTask"("status", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Staff_email_key" ON "Staff"("email");

-- CreateIndex
CREATE INDEX "Dispute_claimId_idx" ON "Dispute"("claimId");

-- CreateIndex
CREATE INDEX "Dispute_status_idx" ON "Dispute"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Attachment_storageKey_key" ON "Attachment"("storageKey");

-- CreateIndex
CREATE UNIQUE INDEX "EnforcementFiling_claimId_key" ON "EnforcementFiling"("claimId");

-- AddForeignKey
ALTER TABLE "ClaimType" ADD CONSTRAINT "ClaimType_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_claimTypeId_fkey" FOREIGN KEY ("claimTypeId") REFERENCES "ClaimType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VulnerabilityFlag" ADD CONSTRAINT "VulnerabilityFlag_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_claimTypeId_fkey" FOREIGN KEY ("claimTypeId") REFERENCES "ClaimType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Claim" ADD CONSTRAINT "Claim_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "Policy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_causeEventId_fkey" FOREIGN KEY ("causeEventId") REFERENCES "Event"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hold" ADD CONSTRAINT "Hold_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClaimStep" ADD CONSTRAINT "ClaimStep_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "ClaimStep"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Outbox" ADD CONSTRAINT "Outbox_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckoutItem" ADD CONSTRAINT "CheckoutItem_checkoutId_fkey" FOREIGN KEY ("checkoutId") REFERENCES "Checkout"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckoutItem" ADD CONSTRAINT "CheckoutItem_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BankEntry" ADD CONSTRAINT "BankEntry_importId_fkey" FOREIGN KEY ("importId") REFERENCES "BankFileImport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffTask" ADD CONSTRAINT "StaffTask_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffCreditor" ADD CONSTRAINT "StaffCreditor_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dispute" ADD CONSTRAINT "Dispute_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DisputeMessage" ADD CONSTRAINT "DisputeMessage_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnforcementFiling" ADD CONSTRAINT "EnforcementFiling_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below: what Prisma's schema language cannot say.

-- Payment references: one sequence for all creditors; each creditor's prefix keeps them apart.
CREATE SEQUENCE "claim_reference_seq" START 1000;

-- Money never goes negative in a stored row; corrections are their own rows.
ALTER TABLE "Charge" ADD CONSTRAINT "Charge_amount_nonnegative" CHECK ("amount" >= 0);
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_credit_within_amount" CHECK ("creditAmount" >= 0 AND "creditAmount" <= "amount");
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "CheckoutItem" ADD CONSTRAINT "CheckoutItem_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_minimum_nonnegative" CHECK ("enforcementMinimum" >= 0);

-- The event log is append-only: the audit trail cannot be edited after the fact.
CREATE FUNCTION "event_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the event log is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER "Event_append_only" BEFORE UPDATE OR DELETE ON "Event"
  FOR EACH ROW EXECUTE FUNCTION "event_is_append_only"();
