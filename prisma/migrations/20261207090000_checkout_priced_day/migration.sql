-- A checkout item records what the claim owed in all, and on which day, when its amount was
-- computed; a payment records the interest its settlement waived (decision 0098).
ALTER TABLE "CheckoutItem" ADD COLUMN "owed" INTEGER,
ADD COLUMN "pricedOn" DATE;

ALTER TABLE "Payment" ADD COLUMN "interestWaived" INTEGER NOT NULL DEFAULT 0;
