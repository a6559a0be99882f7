import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { acceptStripeWebhook, processPendingWebhooks } from "./webhooks.server";

// Two endpoint secrets, as during a rotation: events signed with either one must be accepted.
// Set before env() first runs in this file's process, so it is what verifyWebhook reads.
const SECRETS = ["whsec_replay_old", "whsec_replay_new"];
process.env.STRIPE_WEBHOOK_SECRETS = SECRETS.join(",");

const N = 200;
const run = Date.now().toString(36);
const T0 = Date.parse("2026-06-01T06:00:00Z") / 1000;
const HOUR = 3_600;
const DAY = 24 * HOUR;
// Norwegian demo residents: claims spread over a few people, as real payers are.
const RESIDENTS = [
  { nationalId: "18845610009", name: "Kari Nordmann" },
  { nationalId: "05928310010", name: "Ola Hansen" },
  { nationalId: "27829010068", name: "Ingrid Johansen" },
  { nationalId: "14876810183", name: "Per Olsen" },
];

/** A seeded generator (mulberry32): a failing shuffle can be replayed exactly. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const principalOf = (i: number) => 100_000 + i * 100;
// Most pay in full, every third a part; a few ask more than is owed (credit and a refund task).
const askedOf = (i: number) =>
  i % 25 === 7 ? principalOf(i) + 5_000 : i % 3 === 0 ? principalOf(i) / 2 : principalOf(i);

type Dataset = { tag: string; claimIds: string[]; checkoutIds: string[] };

/** n claims for a fresh creditor, each with an open checkout for one item and its pending hold. */
async function createDataset(tag: string, n: number): Promise<Dataset> {
  const { caller } = await createTestCreditor(`replay-${tag}-${run}`, "NO");
  const claimIds: string[] = [];
  const checkoutIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const result = await receiveClaim(
      caller,
      {
        externalId: `R-${i}`,
        claimType: "water",
        resident: RESIDENTS[i % RESIDENTS.length],
        description: "Vann",
        currency: "NOK",
        principal: principalOf(i),
        issuedOn: "2026-01-01",
        dueOn: "2027-12-31", // not due on any event day: no interest, amounts stay exact
      },
      new Date("2026-01-02T12:00:00Z"),
    );
    if (result.kind !== "created") throw new Error(JSON.stringify(result));
    const claim = await db().claim.findUniqueOrThrow({ where: { id: result.claim.id } });
    const checkout = await db().checkout.create({
      data: {
        residentId: claim.residentId,
        provider: "stripe",
        providerSessionId: `cs_test_${tag}_${i}`,
        idempotencyKey: `replay-${tag}-${run}-${i}`,
        amount: askedOf(i),
        currency: "NOK",
        items: { create: [{ claimId: claim.id, amount: askedOf(i) }] },
      },
    });
    await db().hold.create({
      data: {
        claimId: claim.id,
        kind: "PAYMENT_PENDING",
        reason: `Online payment ${checkout.id}`,
        startsOn: new Date("2026-06-01"),
        endsOn: new Date("2026-06-03"),
      },
    });
    claimIds.push(claim.id);
    checkoutIds.push(checkout.id);
  }
  return { tag, claimIds, checkoutIds };
}

type Body = {
  id: string;
  object: "event";
  type: string;
  created: number;
  data: { object: object };
};

/** Everything Stripe would send about the dataset's payments, in the order it happened. */
function timeline({ tag, checkoutIds }: Dataset): Body[] {
  const out: Omit<Body, "id" | "object">[] = [];
  const add = (created: number, type: string, object: object) =>
    out.push({ created, type, data: { object } });
  checkoutIds.forEach((checkoutId, i) => {
    const start = T0 + i * 900;
    const asked = askedOf(i);
    const pi = `pi_${tag}_${i}`;
    const session = (extra: object = {}) => ({
      id: `cs_test_${tag}_${i}`,
      object: "checkout.session",
      amount_total: asked,
      currency: "nok",
      metadata: { checkoutId },
      payment_intent: pi,
      payment_status: "paid",
      status: "complete",
      ...extra,
    });
    // Stripe reports the total refunded so far, and (expanded) every refund with its own id.
    const charge = (refunded: number, refunds: { amount: number; created: number }[] = []) => ({
      id: `ch_${tag}_${i}`,
      object: "charge",
      amount: asked,
      amount_refunded: refunded,
      currency: "nok",
      payment_intent: pi,
      refunded: refunded === asked,
      refunds: {
        object: "list",
        data: refunds.map((r, k) => ({
          id: `re_${tag}_${i}_${k}`,
          object: "refund",
          amount: r.amount,
          created: r.created,
          status: "succeeded",
          payment_intent: pi,
        })),
      },
    });
    // An expiry that overtakes a late completion: the money was taken, so the ledger records it.
    if (i % 20 === 3)
      add(
        start + 60,
        "checkout.session.expired",
        session({ status: "expired", payment_status: "unpaid", payment_intent: null }),
      );
    if (i % 20 === 11) {
      // A bank-debit style payment: completed unpaid, settled a day later.
      add(start + 120, "checkout.session.completed", session({ payment_status: "unpaid" }));
      add(start + DAY, "checkout.session.async_payment_succeeded", session());
    } else {
      // Every 40th pays less than asked (a tampered or misconfigured amount): a task, no payment.
      add(
        start + 120,
        "checkout.session.completed",
        session(i % 40 === 17 ? { amount_total: asked - 1_000 } : {}),
      );
    }
    add(start + 121, "charge.succeeded", charge(0));
    if (i % 5 < 2)
      add(start + 122, "payment_intent.succeeded", { id: pi, object: "payment_intent" });
    if (i % 20 === 13)
      add(start + 2 * HOUR, "checkout.session.expired", session({ status: "expired" }));
    if (i % 10 === 1)
      add(
        start + 3 * DAY,
        "charge.refunded",
        charge(asked, [{ amount: asked, created: start + 3 * DAY }]),
      );
    if (i % 10 === 4) {
      const part = Math.floor(asked / 4);
      add(
        start + 3 * DAY,
        "charge.refunded",
        charge(part, [{ amount: part, created: start + 3 * DAY }]),
      );
    }
    if (i % 10 === 8) {
      const first = { amount: Math.floor(asked / 3), created: start + 3 * DAY };
      const second = { amount: asked - first.amount, created: start + 5 * DAY };
      add(start + 3 * DAY, "charge.refunded", charge(first.amount, [first]));
      add(start + 5 * DAY, "charge.refunded", charge(asked, [first, second]));
    }
    if (i % 20 === 9)
      add(start + 7 * DAY, "charge.dispute.created", {
        id: `dp_${tag}_${i}`,
        object: "dispute",
        charge: `ch_${tag}_${i}`,
        amount: asked,
        reason: "fraudulent",
      });
  });
  out.sort((a, b) => a.created - b.created);
  return out.map((e, n) => ({ id: `evt_${tag}_${n}`, object: "event", ...e }));
}

const sign = (payload: string, secret: string, timestamp?: number) =>
  Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp ? { timestamp } : {}),
  });

type Delivery = { id: string; body: string; header: string | null; valid: boolean };
const deliver = (e: Body, n: number): Delivery => {
  const body = JSON.stringify(e);
  return { id: e.id, body, header: sign(body, SECRETS[n % 2]!), valid: true };
};

/** The dataset's state, by claim index, in terms that do not depend on row ids or timing. */
async function ledger(d: Dataset, refundRows: "rows" | "totals") {
  const claims = await db().claim.findMany({
    where: { id: { in: d.claimIds } },
    include: {
      payments: { include: { refunds: true } },
      holds: true,
      tasks: true,
      checkoutItems: { include: { checkout: true } },
    },
  });
  const disputes = await db().staffTask.findMany({
    where: { sourceKey: { startsWith: `stripe:dp_${d.tag}_` } },
  });
  const byId = new Map(claims.map((c) => [c.id, c]));
  // Processed or ignored may differ with the order (an expiry before or after its completion);
  // how many distinct events were stored, and that none is left pending, may not.
  const prefix = { eventId: { startsWith: `evt_${d.tag}_` } };
  const stored = {
    total: await db().webhookEvent.count({ where: prefix }),
    pending: await db().webhookEvent.count({ where: { ...prefix, status: "PENDING" } }),
  };
  return {
    stored,
    claims: d.claimIds.map((id, i) => {
      const c = byId.get(id)!;
      const day = (x: Date) => x.toISOString().slice(0, 10);
      return {
        i,
        status: c.status,
        checkout: c.checkoutItems.map((x) => x.checkout.status),
        openHolds: c.holds.filter((h) => !h.releasedOn).length,
        tasks: [
          ...c.tasks.map((t) => t.kind),
          ...disputes.filter((t) => t.sourceKey === `stripe:dp_${d.tag}_${i}`).map((t) => t.kind),
        ].sort(),
        payments: c.payments.map((p) => {
          const refunds = p.refunds.map((r) => ({
            amount: r.amount,
            allocations: r.allocations,
            on: day(r.refundedOn),
          }));
          refunds.sort((a, b) => a.on.localeCompare(b.on) || a.amount - b.amount);
          const total: Record<string, number> = {};
          for (const r of p.refunds)
            for (const [k, v] of Object.entries(r.allocations as Record<string, number>))
              total[k] = (total[k] ?? 0) + v;
          return {
            amount: p.amount,
            allocations: p.allocations,
            creditAmount: p.creditAmount,
            method: p.method,
            receivedOn: day(p.receivedOn),
            refunds:
              refundRows === "rows"
                ? refunds
                : { amount: p.refunds.reduce((s, r) => s + r.amount, 0), allocations: total },
          };
        }),
      };
    }),
  };
}

/** Runs the worker's pass until nothing is left that it can settle. */
async function drain() {
  for (let round = 0; round < 50; round++) {
    const c = await processPendingWebhooks();
    if (c.processed + c.ignored === 0) return;
  }
}

let reference: Dataset;
let replayed: Dataset;
let distinct = 0;

beforeAll(async () => {
  await seedDemo();
  reference = await createDataset("ref", N);
  replayed = await createDataset("mix", N);

  // The reference: every valid event once, in the order it happened, processed as it arrives.
  const inOrder = timeline(reference);
  distinct = inOrder.length;
  for (const [n, e] of inOrder.entries()) {
    const d = deliver(e, n);
    expect(await acceptStripeWebhook(d.body, d.header)).toEqual({ status: 200, stored: true });
    const counts = await processPendingWebhooks();
    expect(counts.deferred + counts.failed).toBe(0);
  }

  // The same story told badly: shuffled, repeated, with forgeries mixed in, processed later.
  const random = rng(20_260_601);
  const events = timeline(replayed);
  const deliveries: Delivery[] = events.map(deliver);
  while (deliveries.length < 980) {
    const n = Math.floor(random() * events.length);
    deliveries.push(deliver(events[n]!, n + 1)); // a redelivery, signed again with a fresh timestamp
  }
  const completions = events.filter((e) => e.type === "checkout.session.completed");
  for (let k = 0; k < 20; k++) {
    const e = completions[Math.floor(random() * completions.length)]!;
    const body = JSON.stringify(e);
    const forged = JSON.stringify({ ...e, id: `evt_${replayed.tag}_forged_${k}` });
    const bad: Delivery[] = [
      // Signed, then the amount changed on the way.
      {
        id: e.id,
        body: body.replace(/"amount_total":\d+/, '"amount_total":1'),
        header: sign(body, SECRETS[0]!),
        valid: false,
      },
      { id: e.id, body, header: sign(body, "whsec_not_ours"), valid: false },
      {
        id: `evt_${replayed.tag}_forged_${k}`,
        body: forged,
        header: sign(forged, "whsec_not_ours"),
        valid: false,
      },
      {
        id: `evt_${replayed.tag}_forged_${k}`,
        body: forged,
        header: k % 2 ? null : "t=1,v1=00",
        valid: false,
      },
    ];
    deliveries.push(bad[k % 4]!);
  }
  for (let k = deliveries.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    [deliveries[k], deliveries[j]] = [deliveries[j]!, deliveries[k]!];
  }
  expect(deliveries).toHaveLength(1_000);
  // Delivered 25 at a time, as a burst arrives: concurrent callbacks share one INSERT, and a
  // redelivery may land in the same one as its original.
  let toldNew = 0;
  for (let i = 0; i < deliveries.length; i += 25) {
    const chunk = deliveries.slice(i, i + 25);
    const results = await Promise.all(chunk.map((d) => acceptStripeWebhook(d.body, d.header)));
    for (const [k, result] of results.entries()) {
      if (chunk[k]!.valid) expect(result.status).toBe(200);
      else expect(result).toEqual({ status: 400, stored: false });
      if (result.stored) toldNew += 1;
    }
  }
  // Each event's first delivery, and only that one, is told it was new.
  expect(toldNew).toBe(events.length);
  await drain();
}, 600_000);
afterAll(() => disconnectDb());

describe("Stripe webhook replay", () => {
  it("stores each valid event once and nothing for a bad signature", async () => {
    const stored = await db().webhookEvent.count({
      where: { eventId: { startsWith: `evt_${replayed.tag}_` } },
    });
    expect(distinct).toBe(600);
    expect(stored).toBe(distinct);
    expect(await db().webhookEvent.count({ where: { eventId: { contains: "_forged_" } } })).toBe(0);
    // The tampered amounts never reached the ledger: no payment of 0.01 kr.
    expect(
      await db().payment.count({ where: { amount: 1, claimId: { in: replayed.claimIds } } }),
    ).toBe(0);
  });

  it("refuses a validly signed delivery whose timestamp is ten minutes old", async () => {
    const body = JSON.stringify({
      id: `evt_stale_${run}`,
      object: "event",
      type: "customer.updated",
      created: T0,
      data: { object: {} },
    });
    const header = sign(body, SECRETS[1]!, Math.floor(Date.now() / 1000) - 600);
    expect(await acceptStripeWebhook(body, header)).toEqual({ status: 400, stored: false });
    expect(await db().webhookEvent.count({ where: { eventId: `evt_stale_${run}` } })).toBe(0);
  });

  it("ends, shuffled and repeated, in the same money per claim as in order", async () => {
    const expected = await ledger(reference, "totals");
    expect(expected.stored).toEqual({ total: distinct, pending: 0 });
    expect(await ledger(replayed, "totals")).toEqual(expected);
  });

  it("ends, shuffled and repeated, in exactly the ledger of each event once in order", async () => {
    // Refund rows too: two charge.refunded events for one charge must give the two refunds,
    // each on its own day, whichever of them is processed first.
    expect(await ledger(replayed, "rows")).toEqual(await ledger(reference, "rows"));
  });

  it("refunds no more than Stripe did when two workers process one charge's refunds at once", async () => {
    // The worker runs with concurrency 2 (and a cron beside add_job): two passes can overlap.
    // Each pass skips the event the other holds and takes the next: that charge's second refund.
    const d = await createDataset("par", 30);
    const events = timeline(d);
    const paying = events.filter((e) => e.type.startsWith("checkout.session."));
    for (const [n, e] of paying.entries()) {
      const x = deliver(e, n);
      await acceptStripeWebhook(x.body, x.header);
    }
    await drain();
    // Not for the sessions paid with the wrong amount: they have no payment to refund.
    const refunds = d.checkoutIds.flatMap((_, i) => {
      if (i % 40 === 17) return [];
      const charge = `ch_${d.tag}_${i}`;
      const body = (total: number, k: number) => ({
        id: `evt_${d.tag}_r${k}_${i}`,
        object: "event" as const,
        type: "charge.refunded",
        created: T0 + 4 * DAY,
        data: {
          object: {
            id: charge,
            object: "charge",
            amount_refunded: total,
            payment_intent: `pi_${d.tag}_${i}`,
            refunds: {
              object: "list",
              data: [
                {
                  id: `re_${d.tag}_${i}_1`,
                  amount: 1_000,
                  created: T0 + 4 * DAY,
                  status: "succeeded",
                },
                ...(total > 1_000
                  ? [
                      {
                        id: `re_${d.tag}_${i}_2`,
                        amount: total - 1_000,
                        created: T0 + 4 * DAY,
                        status: "succeeded",
                      },
                    ]
                  : []),
              ],
            },
          },
        },
      });
      return [body(1_000, 1), body(3_000, 2)];
    });
    for (const [n, e] of refunds.entries()) {
      const x = deliver(e, n);
      await acceptStripeWebhook(x.body, x.header);
    }
    await Promise.all([drain(), drain()]);
    const payments = await db().payment.findMany({
      where: { claimId: { in: d.claimIds } },
      include: { refunds: true },
    });
    const refunded = payments.map((p) => p.refunds.reduce((s, r) => s + r.amount, 0));
    // Stripe's last word on every charge: 30.00 kr refunded in all.
    expect(refunded).toEqual(payments.map(() => 3_000));
  }, 120_000);
});
