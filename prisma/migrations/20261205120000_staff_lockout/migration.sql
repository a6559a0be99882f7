-- A lockout per staff account after failed sign-ins: consecutive failures since the last success,
-- and until when the account refuses every password sign-in (even with the right password and
-- code). Raised by one conditional UPDATE, so simultaneous attempts all count.
ALTER TABLE "Staff" ADD COLUMN "failedLogins" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Staff" ADD COLUMN "lockedUntil" TIMESTAMPTZ(3);
