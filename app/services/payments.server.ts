import { allocatePayment, type AllocationOrder, type BalanceCategory } from "~/domain/balance";
import type { IsoDate } from "~/domain/calendar-date";
import type { Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { claimStateInclude, loadClaimStates, statementOf } from "./claim-state.server";
import { refreshNextActions } from "./escalation.server";
import type { LawBook } from "./legal-figures.server";
import { raiseTask } from "./staff-tasks.server";

export type PaymentInput = {
  claimId: string;
  amount: number;
  currency: string;
  receivedOn: IsoDate;
  method: "card" | "bank_transfer";
  /** The provider's own id for this money: unique, so the same payment lands once. */
  providerRef: string;
  actor: string;
  checkoutId?: string;
  /**
   * Leave the claim's next action date to the caller, who refreshes it once after all its
   * changes in the same transaction (a checkout also lifts holds). Default: refreshed here.
   */
  deferRefresh?: boolean;
};

export type PaymentOutcome =
  | { kind: "recorded"; paymentId: string; credit: number; closed: boolean }
  | { kind: "duplicate"; paymentId: string }
  | { kind: "currency_mismatch" };

/**
 * Puts money on a claim: allocated in the policy's order (costs, interest, principal by default)
 * against what is owed on the day it was received; what nothing absorbs becomes credit with a
 * refund task; a claim paid in full closes and leaves every queue. The claim row is locked first,
 * so two payments for one claim at once (a card and a bank transfer) never allocate the same
 * krone twice. Must run inside a transaction.
 */
export async function recordPayment(
  tx: Tx,
  law: LawBook,
  input: PaymentInput,
): Promise<PaymentOutcome> {
  await tx.$queryRaw`SELECT id FROM "Claim" WHERE id = ${input.claimId}::uuid FOR UPDATE`;
  const existing = await tx.payment.findUnique({ where: { providerRef: input.providerRef } });
  if (existing) return { kind: "duplicate", paymentId: existing.id };

  const [row] = await loadClaimStates(tx, [input.claimId]);
  if (!row) throw new Error(`no claim ${input.claimId}`);
  if (row.currency !== input.currency) return { kind: "currency_mismatch" };

  const open = row.status === "OPEN";
  const owed = statementOf(row, law, input.receivedOn).balance;
  const { allocated, overpayment } = allocatePayment(
    input.amount,
    open
      ? { costs: owed.fees, interest: owed.interest, principal: owed.principal }
      : { costs: 0, interest: 0, principal: 0 },
    row.policy.allocationOrder as unknown as AllocationOrder,
  );
  const event = await tx.event.create({
    data: {
      claimId: row.id,
      residentId: row.residentId,
      creditorId: row.creditorId,
      type: "payment.received",
      actor: input.actor,
      occurredOn: dbDate(input.receivedOn),
      data: { amount: input.amount, method: input.method, allocated, credit: overpayment },
    },
  });
  const payment = await tx.payment.create({
    data: {
      claimId: row.id,
      amount: input.amount,
      currency: input.currency,
      receivedOn: dbDate(input.receivedOn),
      method: input.method,
      providerRef: input.providerRef,
      allocations: allocated,
      creditAmount: overpayment,
      checkoutId: input.checkoutId ?? null,
      eventId: event.id,
    },
  });
  if (overpayment > 0) {
    await raiseTask(tx, {
      kind: "REFUND_CREDIT",
      sourceKey: `credit:${payment.id}`,
      creditorId: row.creditorId,
      claimId: row.id,
      data: { paymentId: payment.id, credit: overpayment, currency: row.currency },
    });
  }
  // What was allocated came off what was owed that day; nothing left owing closes the claim.
  const closed = open && owed.total - (input.amount - overpayment) <= 0;
  if (closed) await close(tx, row, input.receivedOn, input.actor);
  else if (!input.deferRefresh) await refreshNextActions(tx, [row.id], law, input.receivedOn);
  return { kind: "recorded", paymentId: payment.id, credit: overpayment, closed };
}

/** Closes a paid claim: no more steps, no queue, pending-payment holds lifted. */
async function close(
  tx: Tx,
  row: { id: string; residentId: string; creditorId: string },
  on: IsoDate,
  actor: string,
) {
  const claimId = row.id;
  await tx.claim.update({
    where: { id: claimId },
    data: { status: "PAID", closedOn: dbDate(on), nextActionOn: null },
  });
  await tx.hold.updateMany({
    where: { claimId, releasedOn: null, kind: "PAYMENT_PENDING" },
    data: { releasedOn: dbDate(on) },
  });
  await tx.event.create({
    data: {
      claimId,
      residentId: row.residentId,
      creditorId: row.creditorId,
      type: "claim.paid",
      actor,
      occurredOn: dbDate(on),
    },
  });
}

const REVERSE: BalanceCategory[] = ["principal", "interest", "costs"];

/**
 * Gives money back on a payment: first from its credit, then undoing its allocation from
 * principal back to costs. A claim that owes again reopens, and its escalation continues from
 * where it stood. `providerRef` is unique, so a repeated refund callback changes nothing.
 */
export async function recordRefund(
  tx: Tx,
  law: LawBook,
  input: {
    paymentId: string;
    amount: number;
    providerRef: string;
    refundedOn: IsoDate;
    actor: string;
  },
): Promise<"recorded" | "duplicate" | "too_large"> {
  // Lock the claim before reading what was refunded already, so two refunds at once both count.
  const { claimId } = await tx.payment.findUniqueOrThrow({
    where: { id: input.paymentId },
    select: { claimId: true },
  });
  await tx.$queryRaw`SELECT id FROM "Claim" WHERE id = ${claimId}::uuid FOR UPDATE`;
  const payment = await tx.payment.findUniqueOrThrow({
    where: { id: input.paymentId },
    include: { refunds: true },
  });
  if (await tx.refund.findUnique({ where: { providerRef: input.providerRef } })) return "duplicate";

  const left: Record<string, number> = { credit: payment.creditAmount };
  for (const [k, v] of Object.entries(payment.allocations as Record<string, number>)) left[k] = v;
  for (const r of payment.refunds) {
    for (const [k, v] of Object.entries(r.allocations as Record<string, number>)) {
      left[k] = (left[k] ?? 0) - v;
    }
  }
  let remaining = input.amount;
  const reversed: Record<string, number> = {};
  for (const k of ["credit", ...REVERSE]) {
    const take = Math.min(remaining, Math.max(0, left[k] ?? 0));
    if (take > 0) reversed[k] = take;
    remaining -= take;
  }
  if (remaining > 0) return "too_large";

  const claim = await tx.claim.findUniqueOrThrow({ where: { id: payment.claimId } });
  const event = await tx.event.create({
    data: {
      claimId: claim.id,
      residentId: claim.residentId,
      creditorId: claim.creditorId,
      type: "payment.refunded",
      actor: input.actor,
      occurredOn: dbDate(input.refundedOn),
      data: { paymentId: payment.id, amount: input.amount, reversed },
    },
  });
  await tx.refund.create({
    data: {
      paymentId: payment.id,
      amount: input.amount,
      providerRef: input.providerRef,
      allocations: reversed,
      refundedOn: dbDate(input.refundedOn),
      eventId: event.id,
    },
  });
  const row = await tx.claim.findUniqueOrThrow({
    where: { id: claim.id },
    include: claimStateInclude,
  });
  if (row.status === "PAID" && statementOf(row, law, input.refundedOn).balance.total > 0) {
    await tx.claim.update({ where: { id: claim.id }, data: { status: "OPEN", closedOn: null } });
    await tx.event.create({
      data: {
        claimId: claim.id,
        residentId: claim.residentId,
        creditorId: claim.creditorId,
        type: "claim.reopened",
        actor: input.actor,
        occurredOn: dbDate(input.refundedOn),
        data: { reason: "refund" },
      },
    });
  }
  await refreshNextActions(tx, [claim.id], law, input.refundedOn);
  return "recorded";
}
