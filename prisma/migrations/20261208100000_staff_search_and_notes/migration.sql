-- Staff search (app/services/backoffice/search.server.ts): names by prefix of any word, accents
-- and case ignored, over a trigram index; the reference columns are already unique or indexed.
-- Both extensions are "trusted": a database owner may create them without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could change); naming the dictionary makes the
-- result fixed, so it may be declared IMMUTABLE and indexed. Case and accents folded, spaces kept.
CREATE OR REPLACE FUNCTION kp_fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE INDEX "Resident_name_fold_trgm_idx" ON "Resident" USING gin (kp_fold(name) gin_trgm_ops);
CREATE INDEX "Claim_externalId_idx" ON "Claim" ("externalId");

-- Case notes: dated, signed, never edited (a correction is a new note pointing at the old one),
-- seen by staff of the note's creditor only, never by the resident.
CREATE TABLE "CaseNote" (
  "id"          UUID NOT NULL,
  "creditorId"  UUID NOT NULL,
  "residentId"  UUID NOT NULL,
  "claimId"     UUID,
  "staffId"     UUID NOT NULL,
  "text"        TEXT NOT NULL,
  "correctsId"  UUID,
  "createdAt"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "CaseNote_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "CaseNote_creditorId_fkey" FOREIGN KEY ("creditorId") REFERENCES "Creditor"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "CaseNote_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "CaseNote_claimId_fkey" FOREIGN KEY ("claimId") REFERENCES "Claim"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "CaseNote_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "CaseNote_correctsId_fkey" FOREIGN KEY ("correctsId") REFERENCES "CaseNote"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "CaseNote_residentId_creditorId_createdAt_idx" ON "CaseNote" ("residentId", "creditorId", "createdAt");
CREATE INDEX "CaseNote_claimId_idx" ON "CaseNote" ("claimId");

-- Never edited, never deleted: only the retention job may empty a note's text.
CREATE OR REPLACE FUNCTION kp_case_note_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'case notes are never deleted'; END IF;
  IF NEW.text <> '' OR NEW."creditorId" <> OLD."creditorId" OR NEW."residentId" <> OLD."residentId"
     OR NEW."claimId" IS DISTINCT FROM OLD."claimId" OR NEW."staffId" <> OLD."staffId"
     OR NEW."createdAt" <> OLD."createdAt" OR NEW."correctsId" IS DISTINCT FROM OLD."correctsId" THEN
    RAISE EXCEPTION 'case notes are never edited: add a correction instead';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "CaseNote_append_only" BEFORE UPDATE OR DELETE ON "CaseNote"
  FOR EACH ROW EXECUTE FUNCTION kp_case_note_append_only();
