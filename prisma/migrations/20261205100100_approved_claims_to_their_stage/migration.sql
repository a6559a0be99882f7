-- Claims approved but not yet exported move to the new stage (a new enum value can only be used
-- once the migration that added it has committed, hence a migration of its own).
UPDATE "Claim" c
SET stage = 'ENFORCEMENT_APPROVED', "stageEnteredOn" = f."approvedAt"::date
FROM "EnforcementFiling" f
WHERE f."claimId" = c.id AND f."exportId" IS NULL AND c.stage = 'READY_FOR_ENFORCEMENT';
