-- The TOTP replay guard lives in the database: the counter of the last accepted code per staff
-- member, raised by a conditional UPDATE that only one of two simultaneous logins can win.
ALTER TABLE "Staff" ADD COLUMN "totpLastCounter" INTEGER;
