-- A person's approval to file is a stage of its own (it was only a row in EnforcementFiling).
ALTER TYPE "ClaimStage" ADD VALUE 'ENFORCEMENT_APPROVED' BEFORE 'FILED';
