-- Claim files imported in the back office or with `kravportal import-claims` (decision 0108):
-- progress while running, the per-line report after.
CREATE TABLE "ClaimImport" (
  "id"          UUID NOT NULL,
  "creditorId"  UUID NOT NULL,
  "actor"       TEXT NOT NULL,
  "fileName"    TEXT NOT NULL,
  "format"      TEXT NOT NULL,
  "status"      TEXT NOT NULL DEFAULT 'RUNNING',
  "bytesTotal"  BIGINT NOT NULL,
  "bytesRead"   BIGINT NOT NULL DEFAULT 0,
  "lines"       INTEGER NOT NULL DEFAULT 0,
  "created"     INTEGER NOT NULL DEFAULT 0,
  "unchanged"   INTEGER NOT NULL DEFAULT 0,
  "conflicts"   INTEGER NOT NULL DEFAULT 0,
  "invalid"     INTEGER NOT NULL DEFAULT 0,
  "problems"    JSONB NOT NULL DEFAULT '[]',
  "error"       TEXT,
  "startedAt"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "finishedAt"  TIMESTAMPTZ(3),
  CONSTRAINT "ClaimImport_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "ClaimImport_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "ClaimImport_creditorId_startedAt_idx" ON "ClaimImport" ("creditorId", "startedAt");
