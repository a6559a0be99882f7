import { randomUUID } from "node:crypto";
import { allocatePayment, type AllocationOrder, type BalanceCategory } from "~/domain/balance";
import type { IsoDate } from "~/domain/calendar-date";
import type { Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { loadClaims } from "../claims/load-claims.server";
import { statementOf, type ClaimSnapshot } from "~/domain/claim";
import { refreshNextActions } from "../claims/next-action.server";
import { actorOf, applyClaimMove, writeClaimMoves } from "../claims/claim-writer.server";
import { recordEvent, recordEvents } from "../events/events.server";
import type { LawBook } from "../law/legal-figures.server";
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
  const [outcome] = await recordPayments(tx, law, [input], {
    deferRefresh: input.deferRefresh ?? false,
  });
  return outcome!;
}

type Owed = { costs: number; interest: number; principal: number };

/**
 * `recordPayment` for many payments at once, in a fixed number of statements whatever their
 * number (a batch of provider callbacks): the claims are locked in id order, loaded once, and
 * each payment is allocated in the order given against what the ones before it left owing.
 */
export async function recordPayments(
  tx: Tx,
  law: LawBook,
  inputs: PaymentInput[],
  opts: { deferRefresh: boolean },
): Promise<PaymentOutcome[]> {
  if (inputs.length === 0) return [];
  const claimIds = [...new Set(inputs.map((i) => i.claimId))].sort();
  const states = new Map(
    (await loadClaims(tx, { ids: claimIds }, { lock: "update" })).map((r) => [r.id, r]),
  );
  const existing = await tx.$queryRaw<{ id: string; providerRef: string }[]>`
    SELECT id::text, "providerRef" FROM "Payment"
    WHERE "providerRef" = ANY(${inputs.map((i) => i.providerRef)}::text[])`;
  const known = new Map(existing.map((p) => [p.providerRef, p.id]));

  // What each claim still owes on a payment's day, as the payments before it in this call leave it.
  const owedAfter = new Map<string, { on: IsoDate; owed: Owed; open: boolean }>();
  const written: {
    input: PaymentInput;
    row: ClaimSnapshot;
    paymentId: string;
    allocated: Record<BalanceCategory, number>;
    overpayment: number;
    closed: boolean;
  }[] = [];
  const outcomes: PaymentOutcome[] = [];
  for (const input of inputs) {
    const row = states.get(input.claimId);
    if (!row) throw new Error(`no claim ${input.claimId}`);
    const duplicate = known.get(input.providerRef);
    if (duplicate) {
      outcomes.push({ kind: "duplicate", paymentId: duplicate });
      continue;
    }
    if (row.currency !== input.currency) {
      outcomes.push({ kind: "currency_mismatch" });
      continue;
    }
    let before = owedAfter.get(row.id);
    if (!before || before.on !== input.receivedOn) {
      if (before)
        throw new Error("payments to one claim on different days: record them one by one");
      const owed = statementOf(row, law, input.receivedOn).balance;
      before = {
        on: input.receivedOn,
        owed: { costs: owed.fees, interest: owed.interest, principal: owed.principal },
        open: row.status === "OPEN",
      };
    }
    const { allocated, overpayment } = allocatePayment(
      input.amount,
      before.open ? before.owed : { costs: 0, interest: 0, principal: 0 },
      row.policy.allocationOrder as unknown as AllocationOrder,
    );
    const owed = {
      costs: before.owed.costs - allocated.costs,
      interest: before.owed.interest - allocated.interest,
      principal: before.owed.principal - allocated.principal,
    };
    // Nothing left owing closes the claim.
    const closed = before.open && owed.costs + owed.interest + owed.principal <= 0;
    owedAfter.set(row.id, { on: input.receivedOn, owed, open: before.open && !closed });
    const paymentId = randomUUID();
    known.set(input.providerRef, paymentId);
    written.push({ input, row, paymentId, allocated, overpayment, closed });
    outcomes.push({ kind: "recorded", paymentId, credit: overpayment, closed });
  }
  if (written.length === 0) return outcomes;

  const closing = written.filter((w) => w.closed);
  const eventIds = await recordEvents(
    tx,
    written.map((w) => ({
      type: "payment.received" as const,
      claimId: w.row.id,
      residentId: w.row.residentId,
      creditorId: w.row.creditorId,
      actor: w.input.actor,
      on: w.input.receivedOn,
      data: {
        amount: w.input.amount,
        method: w.input.method,
        allocated: w.allocated,
        credit: w.overpayment,
      },
    })),
  );
  await tx.$executeRaw`
    INSERT INTO "Payment" (id, "claimId", amount, currency, "receivedOn", method, "providerRef",
                           allocations, "creditAmount", "checkoutId", "eventId")
    SELECT * FROM unnest(${written.map((w) => w.paymentId)}::uuid[], ${written.map((w) => w.row.id)}::uuid[],
                         ${written.map((w) => w.input.amount)}::int[],
                         ${written.map((w) => w.input.currency)}::text[],
                         ${written.map((w) => w.input.receivedOn)}::date[],
                         ${written.map((w) => w.input.method)}::text[],
                         ${written.map((w) => w.input.providerRef)}::text[],
                         ${written.map((w) => JSON.stringify(w.allocated))}::jsonb[],
                         ${written.map((w) => w.overpayment)}::int[],
                         ${written.map((w) => w.input.checkoutId ?? null)}::uuid[],
                         ${written.map((_, i) => eventIds[i]!)}::bigint[])`;
  for (const w of written) {
    if (w.overpayment <= 0) continue;
    await raiseTask(tx, {
      kind: "REFUND_CREDIT",
      sourceKey: `credit:${w.paymentId}`,
      creditorId: w.row.creditorId,
      claimId: w.row.id,
      data: { paymentId: w.paymentId, credit: w.overpayment, currency: w.row.currency },
    });
  }
  if (closing.length > 0) {
    // Paid claims close: no more steps, no queue, pending-payment holds lifted.
    await writeClaimMoves(
      tx,
      closing.map((w) => ({
        claim: w.row,
        move: "pay_in_full" as const,
        by: actorOf(w.input.actor),
        on: w.input.receivedOn,
      })),
      closing.map((w) => ({ claim: w.row, on: null })),
    );
    const ids = closing.map((w) => w.row.id);
    const days = closing.map((w) => w.input.receivedOn);
    await tx.$executeRaw`
      UPDATE "Hold" h SET "releasedOn" = v.d
      FROM unnest(${ids}::uuid[], ${days}::date[]) AS v(id, d)
      WHERE h."claimId" = v.id AND h."releasedOn" IS NULL AND h.kind = 'PAYMENT_PENDING'`;
  }
  if (!opts.deferRefresh) {
    const stillOpen = [...new Set(written.filter((w) => !w.closed).map((w) => w.row.id))];
    const on = written[0]!.input.receivedOn;
    if (stillOpen.length > 0 && written.every((w) => w.input.receivedOn === on))
      await refreshNextActions(tx, stillOpen, law, on);
    else
      for (const id of stillOpen) await refreshNextActions(tx, [id], law, lastDayOf(written, id));
  }
  return outcomes;
}

const lastDayOf = (written: { row: { id: string }; input: PaymentInput }[], claimId: string) =>
  written.filter((w) => w.row.id === claimId).at(-1)!.input.receivedOn;

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
  await loadClaims(tx, { ids: [claimId] }, { lock: "update" });
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

  const claim = (await loadClaims(tx, { ids: [payment.claimId] }))[0]!;
  const eventId = await recordEvent(tx, {
    type: "payment.refunded",
    claimId: claim.id,
    residentId: claim.residentId,
    creditorId: claim.creditorId,
    actor: input.actor,
    on: input.refundedOn,
    data: { paymentId: payment.id, amount: input.amount, reversed },
  });
  await tx.refund.create({
    data: {
      paymentId: payment.id,
      amount: input.amount,
      providerRef: input.providerRef,
      allocations: reversed,
      refundedOn: dbDate(input.refundedOn),
      eventId,
    },
  });
  const row = (await loadClaims(tx, { ids: [claim.id] }))[0]!;
  if (row.status === "PAID" && statementOf(row, law, input.refundedOn).balance.total > 0) {
    await applyClaimMove(tx, {
      claim: row,
      move: "reopen",
      by: actorOf(input.actor),
      on: input.refundedOn,
      reason: "refund",
    });
  }
  await refreshNextActions(tx, [claim.id], law, input.refundedOn);
  return "recorded";
}
