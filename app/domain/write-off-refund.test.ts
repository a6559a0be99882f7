import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { statementOf, type ClaimSnapshot } from "./claim";
import type { SnapshotPayment } from "./snapshot-payment";
import type { LawBook } from "./law-book";

/*
 * Decision 0106 (follow-up): what was written off is fixed when it is written off. A refund after
 * it restores exactly what it gives back; the written-off amount never grows; every krone is
 * accounted for: charges + interest = owed + paid − credit + waived + written off.
 */

const LAW = { figures: () => ({}), interest: { NO: [], SE: [] } } as unknown as LawBook;
const DUE = "2026-10-01";
const PAID_ON = "2026-10-20";
const WRITTEN_OFF_ON = "2026-11-05";

function claimOf(input: {
  principal: number;
  fee: number;
  payment: SnapshotPayment;
  status: "OPEN" | "WRITTEN_OFF";
  writeOff: { amount: number; principal: number; costs: number } | null;
}): ClaimSnapshot {
  return {
    status: input.status,
    stage: "REMINDER",
    closedOn: input.status === "WRITTEN_OFF" ? WRITTEN_OFF_ON : null,
    dueOn: DUE,
    creditor: { country: "NO" },
    policy: { chargesInterest: false, allocationOrder: ["costs", "interest", "principal"] },
    charges: [
      { id: "p", kind: "PRINCIPAL", amount: input.principal, chargedOn: "2026-09-01", causeType: "claim.received", legalBasis: "", cancelledOn: null, cancelReason: null, pending: false }, // prettier-ignore
      { id: "f", kind: "REMINDER_FEE", amount: input.fee, chargedOn: "2026-10-15", causeType: "reminder.sent", legalBasis: "", cancelledOn: null, cancelReason: null, pending: false }, // prettier-ignore
    ],
    payments: [input.payment],
    writeOffs: input.writeOff
      ? [
          {
            on: WRITTEN_OFF_ON,
            amount: input.writeOff.amount,
            allocations: { principal: input.writeOff.principal, costs: input.writeOff.costs },
          },
        ]
      : [],
  } as unknown as ClaimSnapshot;
}

const exact = (claim: ClaimSnapshot, today: string) => {
  const s = statementOf(claim, LAW, today);
  const charged = s.lines.reduce((sum, l) => sum + l.amount, 0);
  const b = s.balance;
  expect(charged).toBe(b.total + b.paid - b.credit + b.waived + (b.writtenOff ?? 0));
  return b;
};

describe("a refund after a write-off", () => {
  it("restores what it gives back; what was written off stays fixed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 5_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 999 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (principal, fee, leftPermille, refundShare) => {
          // Paid all but a small part of the principal: fee first, then principal.
          const left = Math.max(1, Math.floor((principal * leftPermille) / 1_000));
          const paidPrincipal = principal - left;
          const payment: SnapshotPayment = {
            id: "pay",
            amount: fee + paidPrincipal,
            currency: "NOK",
            receivedOn: PAID_ON,
            method: "bank_transfer",
            providerRef: "x",
            allocations: { costs: fee, principal: paidPrincipal },
            creditAmount: 0,
            interestWaived: 0,
            checkoutId: null,
            refunds: [],
          };
          const writeOff = { amount: left, principal: left, costs: 0 };
          const off = claimOf({ principal, fee, payment, status: "WRITTEN_OFF", writeOff });
          const before = exact(off, "2026-12-01");
          expect(before).toMatchObject({ total: 0, writtenOff: left, paid: fee + paidPrincipal });

          // A refund of part of the payment, undone from principal first, then costs (the ledger).
          const refund = Math.floor((fee + paidPrincipal) * refundShare);
          const fromPrincipal = Math.min(refund, paidPrincipal);
          const allocations = { principal: fromPrincipal, costs: refund - fromPrincipal };
          const refunded = { ...payment, refunds: refund > 0 ? [{ amount: refund, allocations }] : [] }; // prettier-ignore
          // Still written off (read as of its day) and reopened (read later): the same.
          for (const status of ["WRITTEN_OFF", "OPEN"] as const) {
            const claim = claimOf({ principal, fee, payment: refunded, status, writeOff });
            const after = exact(claim, "2026-12-01");
            expect(after.writtenOff).toBe(left);
            expect(after.total).toBe(refund);
            expect(after.paid).toBe(fee + paidPrincipal - refund);
          }
        },
      ),
    );
  });
});
