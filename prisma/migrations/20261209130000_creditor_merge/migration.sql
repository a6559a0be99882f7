-- Merging one creditor into another (decision 0107): the old row stays as a tombstone.
ALTER TABLE "Creditor" ADD COLUMN "mergedIntoId" UUID;
ALTER TABLE "Creditor" ADD COLUMN "mergedAt" TIMESTAMPTZ(3);

-- A letter that left before its creditor merged keeps that creditor's name and contact details.
ALTER TABLE "Notice" ADD COLUMN "letterhead" JSONB;

-- The event log stays append-only; the one change allowed is a merge moving an event's creditor
-- to the creditor it merged into (the rest of the row unchanged), so the merged creditor's
-- history and figures are the new creditor's.
CREATE OR REPLACE FUNCTION "event_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (to_jsonb(NEW) - 'creditorId') = (to_jsonb(OLD) - 'creditorId')
     AND EXISTS (SELECT 1 FROM "Creditor" c
                  WHERE c.id = OLD."creditorId" AND c."mergedIntoId" = NEW."creditorId") THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the event log is append-only (% refused)', TG_OP;
END;
$$;

-- Case notes: never edited, never deleted; the retention job may empty a note's text, and a
-- merge may move a note to the creditor its creditor merged into.
CREATE OR REPLACE FUNCTION kp_case_note_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'case notes are never deleted'; END IF;
  IF NEW."creditorId" <> OLD."creditorId" AND NOT EXISTS (
       SELECT 1 FROM "Creditor" c WHERE c.id = OLD."creditorId" AND c."mergedIntoId" = NEW."creditorId") THEN
    RAISE EXCEPTION 'case notes are never edited: add a correction instead';
  END IF;
  IF (NEW.text <> '' AND NEW.text <> OLD.text) OR NEW."residentId" <> OLD."residentId"
     OR NEW."claimId" IS DISTINCT FROM OLD."claimId" OR NEW."staffId" <> OLD."staffId"
     OR NEW."createdAt" <> OLD."createdAt" OR NEW."correctsId" IS DISTINCT FROM OLD."correctsId" THEN
    RAISE EXCEPTION 'case notes are never edited: add a correction instead';
  END IF;
  RETURN NEW;
END $$;
