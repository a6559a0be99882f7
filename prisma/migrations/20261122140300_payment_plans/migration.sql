-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('REQUESTED', 'OFFERED', 'ACTIVE', 'COMPLETED', 'ENDED', 'REFUSED');

-- AlterTable
ALTER TABLE "Policy" ADD COLUMN     "planRules" JSONB;

-- CreateTable
CREATE TABLE "PaymentPlan" (
    "id" UUID NOT NULL,
    "residentId" UUID NOT NULL,
    "creditorId" UUID NOT NULL,
    "status" "PlanStatus" NOT NULL,
    "deferral" BOOLEAN NOT NULL DEFAULT false,
    "reference" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "request" JSONB NOT NULL,
    "outsideRules" TEXT[],
    "owed" INTEGER NOT NULL,
    "fee" INTEGER NOT NULL,
    "interest" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "graceDays" INTEGER NOT NULL DEFAULT 7,
    "requestedOn" DATE NOT NULL,
    "countFrom" DATE,
    "endedOn" DATE,
    "endReason" TEXT,
    "decisionReason" TEXT,
    "decidedBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PaymentPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanClaim" (
    "planId" UUID NOT NULL,
    "claimId" UUID NOT NULL,
    "holdId" UUID,

    CONSTRAINT "PlanClaim_pkey" PRIMARY KEY ("planId","claimId")
);

-- CreateTable
CREATE TABLE "PlanInstalment" (
    "id" UUID NOT NULL,
    "planId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "dueOn" DATE NOT NULL,
    "amount" INTEGER NOT NULL,
    "remindedOn" DATE,
    "graceUntil" DATE,

    CONSTRAINT "PlanInstalment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PaymentPlan_reference_key" ON "PaymentPlan"("reference");

-- CreateIndex
CREATE INDEX "PaymentPlan_creditorId_status_idx" ON "PaymentPlan"("creditorId", "status");

-- CreateIndex
CREATE INDEX "PaymentPlan_residentId_idx" ON "PaymentPlan"("residentId");

-- CreateIndex
CREATE INDEX "PlanClaim_claimId_idx" ON "PlanClaim"("claimId");

-- CreateIndex
CREATE UNIQUE INDEX "PlanInstalment_planId_version_seq_key" ON "PlanInstalment"("planId", "version", "seq");

-- AddForeignKey
ALTER TABLE "PaymentPlan" ADD CONSTRAINT "PaymentPlan_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanClaim" ADD CONSTRAINT "PlanClaim_planId_fkey" FOREIGN KEY ("planId") REFERENCES "PaymentPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanClaim" ADD CONSTRAINT "PlanClaim_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanInstalment" ADD CONSTRAINT "PlanInstalment_planId_fkey" FOREIGN KEY ("planId") REFERENCES "PaymentPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Plan references are the creditor's payment references from sequence number 90,000,000 up
-- (claims count up from 1,000), so a bank payment's reference names a claim or a plan, never both.
CREATE SEQUENCE "plan_reference_seq" START 1;

-- Money never goes negative; a plan pays something.
ALTER TABLE "PaymentPlan" ADD CONSTRAINT "PaymentPlan_amounts_check"
  CHECK ("owed" > 0 AND "fee" >= 0 AND "interest" >= 0 AND "total" = "owed" + "fee" + "interest");
ALTER TABLE "PlanInstalment" ADD CONSTRAINT "PlanInstalment_amount_check" CHECK ("amount" > 0);
