-- Case flows in the open (decision 0105): drafts of a claim type's next policy, stored
-- simulations of a draft beside the current policy, and who adopted a version after seeing which.
CREATE TABLE "PolicyDraft" (
    "id" UUID NOT NULL,
    "claimTypeId" UUID NOT NULL,
    "content" JSONB NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "updatedByStaffId" UUID NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyDraft_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "PolicyDraft_claimTypeId_key" ON "PolicyDraft"("claimTypeId");
ALTER TABLE "PolicyDraft" ADD CONSTRAINT "PolicyDraft_claimTypeId_fkey" FOREIGN KEY ("claimTypeId") REFERENCES "ClaimType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "PolicySimulation" (
    "id" UUID NOT NULL,
    "claimTypeId" UUID NOT NULL,
    "staffId" UUID,
    "draft" JSONB NOT NULL,
    "draftHash" TEXT NOT NULL,
    "currentVersion" INTEGER NOT NULL,
    "asOf" DATE NOT NULL,
    "days" INTEGER NOT NULL,
    "summary" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicySimulation_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "PolicySimulation_claimTypeId_createdAt_idx" ON "PolicySimulation"("claimTypeId", "createdAt");
ALTER TABLE "PolicySimulation" ADD CONSTRAINT "PolicySimulation_claimTypeId_fkey" FOREIGN KEY ("claimTypeId") REFERENCES "ClaimType"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "Policy" ADD COLUMN "adoptedByStaffId" UUID;
ALTER TABLE "Policy" ADD COLUMN "adoptedSimulationId" UUID;
CREATE UNIQUE INDEX "Policy_adoptedSimulationId_key" ON "Policy"("adoptedSimulationId");
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_adoptedSimulationId_fkey" FOREIGN KEY ("adoptedSimulationId") REFERENCES "PolicySimulation"("id") ON DELETE SET NULL ON UPDATE CASCADE;
