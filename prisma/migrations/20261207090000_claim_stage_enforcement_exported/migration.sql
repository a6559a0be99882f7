-- A claim in an export batch is exported; it is filed only once the authority's receipt is
-- recorded (docs/decisions/0097). Its own migration, as an enum value can only be used once the
-- migration that added it has committed.
ALTER TYPE "ClaimStage" ADD VALUE 'ENFORCEMENT_EXPORTED' BEFORE 'FILED';
