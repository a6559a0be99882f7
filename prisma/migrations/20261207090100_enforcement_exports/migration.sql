-- An enforcement export is a stored batch: the file made for the authority, kept with its
-- checksum, then its receipt or that it was undone (docs/decisions/0097).
CREATE TYPE "EnforcementExportStatus" AS ENUM ('EXPORTED', 'FILED', 'UNDONE');

CREATE TABLE "EnforcementExport" (
    "id" UUID NOT NULL,
    "creditorId" UUID NOT NULL,
    "format" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "claims" INTEGER NOT NULL,
    "total" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" "EnforcementExportStatus" NOT NULL DEFAULT 'EXPORTED',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "receipt" TEXT,
    "receiptBy" TEXT,
    "receiptAt" TIMESTAMPTZ(3),
    "undoneBy" TEXT,
    "undoneAt" TIMESTAMPTZ(3),
    "undoReason" TEXT,

    CONSTRAINT "EnforcementExport_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "EnforcementExport_creditorId_createdAt_idx" ON "EnforcementExport"("creditorId", "createdAt");

ALTER TABLE "EnforcementExport" ADD CONSTRAINT "EnforcementExport_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Norway: claim types the municipality enforces itself (særnamsmann). Off until set: the
-- ordinary enforcement officer is always a lawful route.
ALTER TABLE "ClaimType" ADD COLUMN "ownEnforcement" BOOLEAN NOT NULL DEFAULT false;

-- Exports made before batches were stored kept no file: their ids move aside, so every exportId
-- names a stored batch. Their claims stay filed.
ALTER TABLE "EnforcementFiling" ADD COLUMN "legacyExportId" UUID;
UPDATE "EnforcementFiling" SET "legacyExportId" = "exportId", "exportId" = NULL
WHERE "exportId" IS NOT NULL;

CREATE INDEX "EnforcementFiling_exportId_idx" ON "EnforcementFiling"("exportId");

ALTER TABLE "EnforcementFiling" ADD CONSTRAINT "EnforcementFiling_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "EnforcementExport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
