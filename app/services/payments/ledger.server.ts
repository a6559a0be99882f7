/*
 * Longer than 300 lines because booking a payment, the credit it leaves and the money a later
 * correction frees are one ledger: they share the locked claims and the allocation, and splitting
 * them would spread one transaction's rules over files (issue 15 added the settling waiver and
 * freed credit; a split is noted as left).
 */
import { randomUUID } from "node:crypto";
import type { AllocationOrder, BalanceCategory } from "~/domain/balance";
import type { IsoDate } from "~/domain/calendar-date";
import type { Conn, Tx } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { dbDate } from "~/infra/db-dates.server";
import { loadClaims } from "../claims/load-claims.server";
import { statementOf, type ClaimSnapshot } from "~/domain/claim";
import { refreshNextActions } from "../claims/next-action.server";
import { actorOf, applyClaimMove, writeClaimMoves } from "../claims/claim-writer.server";
import { recordEvent, recordEvents } from "../events/events.server";
import type { LawBook } from "../law/legal-figures.server";
import { raiseTask } from "./staff-tasks.server";
import { bookPayment, type Settles } from "~/domain/settlement";
import { completePlansOfClaims } from "../plans/plan-completion.server";

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
   * The payment was asked as the claim's whole balance on an earlier day (a checkout's item):
   * a few øre/öre of interest that ran on since that day are waived (decision 0099).
   */
  settles?: Settles | null;
  /**
   * Leave the claim's next action date to the caller, who refreshes it once after all its
   * changes in the same transaction (a checkout also lifts holds). Default: refreshed here.
   */
  deferRefresh?: boolean;
};

export type PaymentOutcome =
  | { kind: "recorded"; paymentId: string; credit: number; closed: boolean; waived: number }
  | { kind: "duplicate"; paymentId: string }
  | { kind: "currency_mismatch" };

/**
 * Puts money on a claim: allocated in the policy's order (costs, interest, principal by default)
 * against what is owed on the day it was received; what nothing absorbs becomes credit with a
 * refund task; a claim paid in full closes and leaves every queue. The claim row is locked first,
 * so two payments for one claim at once (a card and a bank transfer) never allocate the same
 * krone twice. Must run inside a transaction: a Prisma one (checkout, staff) or a plain pg
 * connection's (the bank-file import, decision 0115).
 */
export async function recordPayment(
  tx: Conn,
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
  tx: Conn,
  law: LawBook,
  inputs: PaymentInput[],
  opts: { deferRefresh: boolean },
): Promise<PaymentOutcome[]> {
  if (inputs.length === 0) return [];
  const claimIds = [...new Set(inputs.map((i) => i.claimId))].sort();
  const states = new Map(
    (await loadClaims(tx, { ids: claimIds }, { lock: "update" })).map((r) => [r.id, r]),
  );
  const existing = await query<{ id: string; providerRef: string }>(
    tx,
    `SELECT id::text, "providerRef" FROM "Payment" WHERE "providerRef" = ANY($1::text[])`,
    [inputs.map((i) => i.providerRef)],
  );
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
    waived: number;
    backdated: boolean;
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
    const first = !before;
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
    // The settlement rule looks at the claim as its checkout saw it: only for the first payment
    // to a claim in this call (a checkout pays each of its claims once).
    const settles = first ? (input.settles ?? null) : null;
    const { allocated, overpayment, waived, left } = bookPayment({
      amount: input.amount,
      currency: row.currency,
      owed: before.owed,
      open: before.open,
      bookedOn: input.receivedOn,
      order: row.policy.allocationOrder as unknown as AllocationOrder,
      settles,
      interestOnPricedDay: () => statementOf(row, law, settles!.pricedOn).balance.interest,
    });
    // Nothing left owing closes the claim.
    const closed = before.open && left.costs + left.interest + left.principal <= 0;
    owedAfter.set(row.id, { on: input.receivedOn, owed: left, open: before.open && !closed });
    const paymentId = randomUUID();
    known.set(input.providerRef, paymentId);
    // A payment dated before one already booked changes the principal those were split over.
    const backdated = row.payments.some((p) => p.receivedOn > input.receivedOn);
    written.push({ input, row, paymentId, allocated, overpayment, closed, waived, backdated });
    outcomes.push({ kind: "recorded", paymentId, credit: overpayment, closed, waived });
  }
  if (written.length === 0) return outcomes;

  const closing = written.filter((w) => w.closed);
  const waiving = written.filter((w) => w.waived > 0);
  const eventIds = await recordEvents(tx, [
    ...written.map((w) => ({
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
    // The interest the settlement forgave: on the record and on the resident's timeline.
    ...waiving.map((w) => ({
      type: "interest.waived" as const,
      claimId: w.row.id,
      residentId: w.row.residentId,
      creditorId: w.row.creditorId,
      actor: w.input.actor,
      on: w.input.receivedOn,
      data: {
        paymentId: w.paymentId,
        amount: w.waived,
        pricedOn: w.input.settles!.pricedOn,
        checkoutId: w.input.checkoutId ?? null,
      },
    })),
  ]);
  await query(
    tx,
    `INSERT INTO "Payment" (id, "claimId", amount, currency, "receivedOn", method, "providerRef",
                            allocations, "creditAmount", "interestWaived", "checkoutId", "eventId")
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::date[], $6::text[],
                          $7::text[], $8::jsonb[], $9::int[], $10::int[], $11::uuid[], $12::bigint[])`,
    [
      written.map((w) => w.paymentId),
      written.map((w) => w.row.id),
      written.map((w) => w.input.amount),
      written.map((w) => w.input.currency),
      written.map((w) => w.input.receivedOn),
      written.map((w) => w.input.method),
      written.map((w) => w.input.providerRef),
      written.map((w) => JSON.stringify(w.allocated)),
      written.map((w) => w.overpayment),
      written.map((w) => w.waived),
      written.map((w) => w.input.checkoutId ?? null),
      written.map((_, i) => eventIds[i]!),
    ],
  );
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
  // A payment dated before others already booked lowers the principal they were split over: what
  // of them then finds nothing left to pay is credit, booked with its refund task.
  const backdated = [...new Set(written.filter((w) => w.backdated).map((w) => w.row.id))];
  if (backdated.length > 0) {
    const rows = await loadClaims(tx, { ids: backdated });
    for (const row of rows)
      await bookFreedCredit(tx, law, row, lastDayOf(written, row.id), written[0]!.input.actor);
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
    await query(
      tx,
      `UPDATE "Hold" h SET "releasedOn" = v.d
       FROM unnest($1::uuid[], $2::date[]) AS v(id, d)
       WHERE h."claimId" = v.id AND h."releasedOn" IS NULL AND h.kind = 'PAYMENT_PENDING'`,
      [ids, days],
    );
    // A plan whose claims this money closed the last of completes now, in this transaction.
    for (const day of [...new Set(days)].sort())
      await completePlansOfClaims(
        tx,
        law,
        closing.filter((w) => w.input.receivedOn === day).map((w) => w.row.id),
        day,
      );
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

/**
 * Books as credit, with a refund task each, what of a claim's payments its statement can no longer
 * place: a fee cancelled after it was paid, a payment dated earlier booked after them. The
 * recorded allocations that found nothing left to pay are lowered by that much and the payment's
 * credit raised by it, as an event (`payment.credit_freed`), so the statement, the payment and
 * the refund task agree; nothing is ever shown as money to pay back without a task. Returns the
 * credit booked. `claim` must be locked and as it now stands.
 */
export async function bookFreedCredit(
  tx: Conn,
  law: LawBook,
  claim: ClaimSnapshot,
  on: IsoDate,
  actor: string,
): Promise<number> {
  let booked = 0;
  for (const u of statementOf(claim, law, on).unabsorbed) {
    const payment = claim.payments.find((p) => p.id === u.payment.id);
    if (!payment) throw new Error(`statement payment ${u.payment.id} not on claim ${claim.id}`);
    // Costs and interest first: lowering what a payment put on principal changes the interest.
    const from: Partial<Record<BalanceCategory, number>> = {};
    let left = u.overflow;
    for (const c of ["costs", "interest", "principal"] as const) {
      const take = Math.min(left, u.excess[c]);
      if (take > 0) from[c] = take;
      left -= take;
    }
    if (left > 0) throw new Error(`payment ${payment.id}: ${left} unplaced and not over-allocated`);
    const allocations: Record<string, number> = { ...payment.allocations };
    for (const [c, v] of Object.entries(from)) allocations[c] = (allocations[c] ?? 0) - v;
    const eventId = await recordEvent(tx, {
      type: "payment.credit_freed",
      claimId: claim.id,
      residentId: claim.residentId,
      creditorId: claim.creditorId,
      actor,
      on,
      data: { paymentId: payment.id, amount: u.overflow, from },
    });
    await query(
      tx,
      `UPDATE "Payment" SET "creditAmount" = "creditAmount" + $1::int, allocations = $2::jsonb
       WHERE id = $3::uuid`,
      [u.overflow, JSON.stringify(allocations), payment.id],
    );
    await raiseTask(tx, {
      kind: "REFUND_CREDIT",
      sourceKey: `credit:${payment.id}:${eventId}`,
      creditorId: claim.creditorId,
      claimId: claim.id,
      data: { paymentId: payment.id, credit: u.overflow, currency: claim.currency },
    });
    booked += u.overflow;
  }
  return booked;
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
  // A written-off claim reopens too, for what the refund restored only: its write-off is fixed
  // (decision 0106), so what was written off never grows by a refund.
  const closed = row.status === "PAID" || row.status === "WRITTEN_OFF";
  if (closed && statementOf(row, law, input.refundedOn).balance.total > 0) {
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
