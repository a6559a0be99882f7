-- Retention of personal data on closed claims: a period per creditor (null: the accounting-law
-- minimum of its country, a dated legal figure), and a record of what the daily job anonymised.
ALTER TYPE "LegalRateKind" ADD VALUE 'MIN_ACCOUNTING_RETENTION_YEARS';

ALTER TABLE "Creditor" ADD COLUMN "retentionYears" INTEGER;

CREATE TABLE "ClaimAnonymisation" (
    "claimId" UUID NOT NULL,
    "anonymisedOn" DATE NOT NULL,
    "eventId" BIGINT NOT NULL,

    CONSTRAINT "ClaimAnonymisation_pkey" PRIMARY KEY ("claimId")
);

CREATE TABLE "ResidentAnonymisation" (
    "residentId" UUID NOT NULL,
    "anonymisedOn" DATE NOT NULL,
    "eventId" BIGINT NOT NULL,

    CONSTRAINT "ResidentAnonymisation_pkey" PRIMARY KEY ("residentId")
);
