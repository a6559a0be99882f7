-- A claims file's import says why it stopped in codes, and when it was last heard of.
ALTER TABLE "ClaimImport" ADD COLUMN "errorCode" TEXT;
ALTER TABLE "ClaimImport" ADD COLUMN "errorParams" JSONB;
ALTER TABLE "ClaimImport" ADD COLUMN "heartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now();
