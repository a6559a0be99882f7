import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, todayIn } from "~/domain/calendar-date";
import { statementOf } from "~/domain/claim";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { camt054 } from "../../../server/test-support/camt054";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import {
  claimOfOwn,
  creditWithoutTask,
  deliverStripeEvent,
  payAsShown,
  type Payer,
  startTestStripe,
} from "../../../server/test-support/payments";
import type { StripeStandin } from "../../../server/dev/stripe-standin";
import { resolvePaymentTask } from "../backoffice/payment-tasks.server";
import { decideDispute } from "../backoffice/decisions.server";
import { queueItems, type StaffContext } from "../backoffice/queues.server";
import { loadClaims } from "../claims/load-claims.server";
import { fileDispute } from "../disputes/disputes.server";
import { runSweep } from "../escalation/sweep.server";
import { loadLawBook } from "../law/legal-figures.server";
import { markDispatched } from "../letters/notice-moves.server";
import { getResidentClaimPage } from "../portal/claims.server";
import { importBankFile } from "./bank-import.server";
import { previewPayment } from "./checkout.server";

/*
 * Issue 15: every credit creates a refund task, and the resident is told "we will pay this back"
 * only for credit that has one. Credit arises when a card payment, a bank transfer or a plan
 * payment brings more than is owed, when a closed claim is paid again, and when a later change
 * frees money already paid (an upheld objection cancels a paid fee, a transfer dated earlier
 * arrives after a later payment). All of it must be booked credit with a task in the staff queue.
 */

let standin: StripeStandin;
const run = Date.now().toString(36);
let caller: Awaited<ReturnType<typeof createTestCreditor>>["caller"];
let supervisor: StaffContext;
let slug: string;

beforeAll(async () => {
  await seedDemo();
  standin = await startTestStripe();
  slug = `refunds-${run}`;
  const made = await createTestCreditor(slug, "NO");
  caller = made.caller;
  supervisor = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [made.creditor.id] };
});
afterAll(async () => {
  await standin?.close();
  await disconnectDb();
});

const noon = (day: string) => new Date(`${day}T11:00:00Z`);

async function statementNow(claimId: string, day: string) {
  const law = await loadLawBook();
  const [row] = await loadClaims(undefined, { ids: [claimId] });
  return { row: row!, statement: statementOf(row!, law, day) };
}

/** Every refund task of a claim as the staff "credits" queue lists it. */
async function creditsQueued(claimId: string) {
  return (await queueItems(supervisor, "credits")).filter((i) => i.claimId === claimId);
}

describe("credit and refund tasks", () => {
  it("a paid fee cancelled on an upheld objection: the money freed is credit with a refund task, and the claim closes", async () => {
    const due = "2026-03-02";
    const who = await claimOfOwn(caller, {
      principal: 200_000,
      dueOn: due,
      receivedAt: noon(addDays(due, -29)),
      tag: `FEE-${run}`,
    });
    // The reminder and its 35.00 fee, sent.
    const claim = await db().claim.findUniqueOrThrow({ where: { id: who.claimId } });
    const sweepDay = isoOf(claim.nextActionOn!);
    await runSweep({ asOf: sweepDay, creditorSlug: slug, publicUrl: "http://localhost" });
    const notice = await db().notice.findFirstOrThrow({ where: { claimId: who.claimId } });
    const law = await loadLawBook();
    await db().$transaction((tx) =>
      markDispatched(tx, law, [
        { noticeId: notice.id, on: sweepDay, channel: "PRINT", why: "test", provider: "test" },
      ]),
    );
    const fee = await db().charge.findFirstOrThrow({
      where: { claimId: who.claimId, kind: "REMINDER_FEE" },
    });
    expect(fee.amount).toBe(3_500);

    // The resident pays all but 10.00 (the fee first), then objects to the fee.
    const today = addDays(sweepDay, 3);
    const full = await previewPayment({ ...who, claims: [who], now: noon(today) });
    if (!full.ok) throw new Error(full.error);
    await payAsShown(who, noon(today), noon(today), full.items[0]!.owed - 1_000);
    const filed = await fileDispute({
      residentId: who.residentId,
      claimId: who.claimId,
      chargeId: fee.id,
      reason: "FEE_NOT_JUSTIFIED",
      text: "I was never told about a fee.",
      files: [],
      now: noon(today),
    });
    expect(filed.ok).toBe(true);
    const dispute = await db().dispute.findFirstOrThrow({ where: { claimId: who.claimId } });
    expect(
      await decideDispute(supervisor, {
        disputeId: dispute.id,
        decision: "uphold",
        reason: "No notice of the fee was sent.",
        now: noon(today),
      }),
    ).toEqual({ ok: true });

    // 35.00 paid on a fee that is gone, 10.00 still owed on the principal: 25.00 to pay back.
    const { row, statement } = await statementNow(who.claimId, today);
    expect(statement.balance).toMatchObject({ total: 0, credit: 0, refundDue: 2_500 });
    expect(row.status).toBe("PAID");
    const queued = await creditsQueued(who.claimId);
    expect(queued.map((q) => q.money)).toEqual([{ amount: 2_500, currency: "NOK" }]);
    expect(await creditWithoutTask()).toEqual([]);
    // The resident's page says so, from the booked credit.
    const page = await getResidentClaimPage(who.residentId, who.claimId, noon(today));
    expect(page!.claim.statement.balance.refundDue).toBe(2_500);

    // Staff pay it back and say so: the page no longer promises it.
    const done = await resolvePaymentTask(supervisor, {
      taskId: queued[0]!.taskId!,
      action: "refunded",
      note: "Paid back to the resident's account.",
      now: noon(today),
    });
    expect(done).toEqual({ ok: true });
    const after = await statementNow(who.claimId, addDays(today, 1));
    expect(after.statement.balance).toMatchObject({ total: 0, credit: 0, refundDue: 0 });
  });

  it("property: over random card payments, bank transfers (dated back, paying too much, paying a closed claim again) and card refunds, no credit exists without a refund task", async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("card" as const),
        share: fc.double({ min: 0.05, max: 1, noNaN: true }),
      }),
      fc.record({
        kind: fc.constant("card" as const),
        share: fc.double({ min: 0.3, max: 0.8, noNaN: true }),
      }),
      fc.record({
        kind: fc.constant("bank" as const),
        share: fc.double({ min: 0.05, max: 1.6, noNaN: true }),
        back: fc.nat(6),
      }),
      // A transfer dated before the last payment (a late file), settling the rest or more.
      fc.record({
        kind: fc.constant("bank" as const),
        share: fc.double({ min: 0.95, max: 1.3, noNaN: true }),
        back: fc.integer({ min: 2, max: 4 }),
      }),
      fc.record({
        kind: fc.constant("refund" as const),
        share: fc.double({ min: 0.1, max: 1, noNaN: true }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          principal: fc.integer({ min: 20_000, max: 3_000_000 }),
          late: fc.integer({ min: 1, max: 200 }),
          ops: fc.array(op, { minLength: 2, maxLength: 5 }),
        }),
        async ({ principal, late, ops }) => {
          const start = "2026-06-01";
          const who = await claimOfOwn(caller, {
            principal,
            dueOn: addDays(start, -late),
            receivedAt: noon(addDays(start, -late - 29)),
            tag: `PROP-${run}`,
          });
          const intents: { intent: string; amount: number; refunded: number }[] = [];
          let day = start;
          for (const [i, o] of ops.entries()) {
            day = addDays(day, 1);
            await applyOp(who, o, day, intents, `${run}-${i}-${randomUUID().slice(0, 6)}`);
          }
          const end = addDays(day, 1);
          const { statement } = await statementNow(who.claimId, end);
          // Nothing the statement cannot place is left unbooked; what is booked has its tasks.
          expect(statement.balance.credit).toBe(0);
          expect(statement.unabsorbed).toEqual([]);
          expect(await creditWithoutTask()).toEqual([]);
          const booked = await db().payment.aggregate({
            where: { claimId: who.claimId },
            _sum: { creditAmount: true },
          });
          const queued = await creditsQueued(who.claimId);
          const tasked = queued.reduce((s, q) => s + (q.money?.amount ?? 0), 0);
          expect(tasked).toBe(booked._sum.creditAmount ?? 0);
          if (statement.balance.refundDue > 0) expect(queued.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 10 },
    );
  }, 240_000);
});

type Op =
  | { kind: "card"; share: number }
  | { kind: "bank"; share: number; back: number }
  | { kind: "refund"; share: number };

async function applyOp(
  who: Payer & { reference: string },
  o: Op,
  day: string,
  intents: { intent: string; amount: number; refunded: number }[],
  tag: string,
) {
  const at = noon(day);
  const preview = await previewPayment({ ...who, claims: [who], now: at });
  const owed = preview.ok ? preview.items[0]!.owed : 0;
  if (o.kind === "card") {
    if (!preview.ok) return; // a closed claim cannot be paid online
    const amount = Math.max(Math.min(10_000, owed), Math.floor(owed * o.share));
    const paid = await payAsShown(who, at, at, amount >= owed ? undefined : amount);
    intents.push({ intent: paid.intent, amount: paid.amount, refunded: 0 });
  } else if (o.kind === "bank") {
    // Money by transfer, booked some days back (a late file), as much as asked or more.
    const amount = Math.max(100, Math.floor((owed || 50_000) * o.share));
    const file = camt054(`RT-${tag}`, [
      { reference: who.reference, amount, bookedOn: addDays(day, -o.back) },
    ]);
    const result = await importBankFile(file, "test");
    if (!result.ok) throw new Error(result.error);
  } else {
    const paid = intents.find((p) => p.refunded < p.amount);
    if (!paid) return;
    const more = Math.max(1, Math.floor((paid.amount - paid.refunded) * o.share));
    paid.refunded += more;
    await deliverStripeEvent(
      "charge.refunded",
      {
        id: `ch_${paid.intent}`,
        object: "charge",
        amount: paid.amount,
        amount_refunded: paid.refunded,
        currency: "nok",
        payment_intent: paid.intent,
        refunded: paid.refunded === paid.amount,
      },
      at,
    );
  }
  expect(todayIn("Europe/Oslo", at)).toBe(day);
}
