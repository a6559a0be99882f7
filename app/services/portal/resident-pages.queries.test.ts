import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { residentSessionStorage } from "~/infra/session.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { loader as rootLoader } from "~/root";
import { loader as myClaimsLoader } from "~/routes/claims._index";
import { loader as claimLoader } from "~/routes/claims.$claimId";
import { loader as claimPayLoader } from "~/routes/claims.$claimId_.pay";
import { loader as disputeLoader } from "~/routes/claims.$claimId_.dispute";
import { loader as lettersLoader } from "~/routes/letters";
import { loader as payLoader } from "~/routes/pay";
import { loader as receiptLoader } from "~/routes/payments.$checkoutId";
import { loader as paymentReceiptLoader } from "~/routes/receipts.$paymentId";

/*
 * No N+1: every resident page issues the same number of SQL statements whether the resident has
 * one claim with a few rows or forty claims with many. Counted at the driver, under Prisma: every
 * statement, pooled or in a transaction, goes through pg.Client#query.
 */

type Query = (...args: unknown[]) => unknown;
const clientProto = pg.Client.prototype as unknown as { query: Query };
const originalQuery = clientProto.query;
let recording: string[] | null = null;

function installCounter() {
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    if (recording) {
      const first = args[0];
      recording.push(
        typeof first === "string" ? first : String((first as { text?: string })?.text ?? "?"),
      );
    }
    return originalQuery.apply(this, args);
  };
}

async function countStatements(call: () => Promise<unknown>): Promise<string[]> {
  recording = [];
  await call();
  const seen = recording;
  recording = null;
  return seen;
}

type Shape = {
  residentId: string;
  cookie: string;
  claimIds: string[];
  checkoutId: string;
  paymentId: string;
};

const run = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
let creditorId = "";
let claimTypeId = "";
let policyId = "";

/** A resident with `claims` open claims, each with `rows` charges, payments, holds, steps, notices, events. */
async function residentWith(claims: number, rows: number): Promise<Shape> {
  const resident = await db().resident.create({
    data: {
      country: "NO",
      nationalIdCipher: "v1:test",
      nationalIdHash: `queries-${run}-${claims}-${rows}`,
      name: `Query Count ${claims}`,
      email: `q${claims}@example.test`,
      language: "nb",
    },
  });
  const claimIds: string[] = [];
  for (let c = 0; c < claims; c++) {
    const claim = await db().claim.create({
      data: {
        creditorId,
        claimTypeId,
        policyId,
        residentId: resident.id,
        externalId: `Q-${run}-${claims}-${c}`,
        intakeFingerprint: "test",
        description: `Vann ${c}`,
        currency: "NOK",
        issuedOn: new Date("2026-01-01"),
        dueOn: new Date("2026-02-01"),
        stageEnteredOn: new Date("2026-02-01"),
        stage: "COLLECTION_NOTICE",
        paymentReference: `Q${run}${claims}x${c}`,
      },
    });
    claimIds.push(claim.id);
    const events = await db().event.createManyAndReturn({
      data: Array.from({ length: rows * 2 + 1 }, (_, i) => ({
        claimId: claim.id,
        residentId: resident.id,
        creditorId,
        type: i === 0 ? "claim.received" : "reminder.sent",
        actor: "system",
        occurredOn: new Date(Date.UTC(2026, 1, 1 + i)),
      })),
      select: { id: true },
    });
    await db().charge.createMany({
      data: Array.from({ length: rows }, (_, i) => ({
        claimId: claim.id,
        kind: i === 0 ? ("PRINCIPAL" as const) : ("REMINDER_FEE" as const),
        amount: i === 0 ? 250_000 : 6_000,
        chargedOn: new Date(Date.UTC(2026, 1, 1 + i)),
        causeEventId: events[i]!.id,
        causeType: i === 0 ? "claim.received" : "reminder.sent",
        legalBasis: i === 0 ? "principal" : "reminder_fee",
      })),
    });
    await db().payment.createMany({
      data: Array.from({ length: rows }, (_, i) => ({
        claimId: claim.id,
        amount: 1_000,
        currency: "NOK",
        receivedOn: new Date(Date.UTC(2026, 2, 1 + i)),
        method: "bank_transfer",
        providerRef: `q-${run}-${claims}-${c}-${i}`,
        allocations: { costs: 1_000 },
        eventId: events[rows + i]!.id,
      })),
    });
    await db().hold.createMany({
      data: Array.from({ length: rows }, (_, i) => ({
        claimId: claim.id,
        kind: "MANUAL" as const,
        reason: "test",
        startsOn: new Date(Date.UTC(2026, 1, 1 + i)),
        endsOn: new Date(Date.UTC(2026, 1, 2 + i)),
      })),
    });
    for (let i = 0; i < rows; i++) {
      const step = await db().claimStep.create({
        data: {
          claimId: claim.id,
          key: `step-${i}`,
          takenOn: new Date(Date.UTC(2026, 1, 1 + i)),
          eventId: events[i]!.id,
        },
      });
      const notice = await db().notice.create({
        data: {
          claimId: claim.id,
          stepId: step.id,
          kind: "REMINDER",
          sentOn: new Date(Date.UTC(2026, 1, 1 + i)),
          language: "nb",
          channel: "EMAIL",
          status: "DISPATCHED",
          content: {},
        },
      });
      await db().outbox.create({
        data: { noticeId: notice.id, to: "q@example.test", status: "SENT", sentAt: new Date() },
      });
    }
    const hold = await db().hold.create({
      data: {
        claimId: claim.id,
        kind: "DISPUTE",
        reason: "test",
        startsOn: new Date("2026-03-01"),
        releasedOn: new Date("2026-03-02"),
      },
    });
    for (let i = 0; i < Math.max(1, rows / 2); i++) {
      await db().dispute.create({
        data: {
          claimId: claim.id,
          residentId: resident.id,
          reason: "OTHER",
          text: "test",
          status: "REJECTED",
          holdId: hold.id,
          messages: {
            create: [
              { author: "resident", text: "a" },
              { author: "staff:x", text: "b" },
            ],
          },
        },
      });
    }
  }
  const checkout = await db().checkout.create({
    data: {
      residentId: resident.id,
      provider: "stripe",
      idempotencyKey: `q-${run}-${claims}`,
      status: "PAID",
      amount: 1_000 * claims,
      currency: "NOK",
      items: { create: claimIds.map((claimId) => ({ claimId, amount: 1_000 })) },
    },
  });
  const storage = residentSessionStorage();
  const session = await storage.getSession();
  session.set("residentId", resident.id);
  session.set("name", resident.name);
  const cookie = (await storage.commitSession(session)).split(";")[0]!;
  const payment = await db().payment.findFirstOrThrow({ where: { claimId: claimIds[0]! } });
  return {
    residentId: resident.id,
    cookie,
    claimIds,
    checkoutId: checkout.id,
    paymentId: payment.id,
  };
}

// Remix gives every loader of one request the same load context (server/web.ts makes one per
// request); `context` lets a page's loaders share it as they do there.
function args(
  shape: Shape,
  path: string,
  params: Record<string, string> = {},
  context = { cspNonce: "" },
) {
  return {
    request: new Request(`http://localhost${path}`, { headers: { Cookie: shape.cookie } }),
    params,
    context,
  };
}

/** Each resident page: its root loader and its own loader, as Remix runs them for a document request. */
const pages: { name: string; max?: number; load: (s: Shape) => Promise<unknown> }[] = [
  {
    name: "My claims",
    // The session (its idle deadline moved on in the same statement), and the claims with their
    // state and the bills paid and closed lately in one statement (the law book is cached).
    max: 2,
    load: (s) => {
      const context = { cspNonce: "" };
      return Promise.all([
        rootLoader(args(s, "/claims", {}, context)),
        myClaimsLoader(args(s, "/claims", {}, context)),
      ]);
    },
  },
  {
    name: "claim detail",
    // The session, and the claim with its history, disputes and plan in one statement.
    max: 2,
    load: (s) => {
      const context = { cspNonce: "" };
      return Promise.all([
        rootLoader(args(s, `/claims/${s.claimIds[0]}`, {}, context)),
        claimLoader(args(s, `/claims/${s.claimIds[0]}`, { claimId: s.claimIds[0]! }, context)),
      ]);
    },
  },
  {
    name: "pay one claim (with a typed amount)",
    load: (s) =>
      claimPayLoader(
        args(s, `/claims/${s.claimIds[0]}/pay?amount=200`, { claimId: s.claimIds[0]! }),
      ),
  },
  {
    name: "pay every selected claim",
    load: (s) => payLoader(args(s, `/pay?${s.claimIds.map((id) => `claim=${id}`).join("&")}`)),
  },
  {
    name: "dispute",
    load: (s) =>
      disputeLoader(args(s, `/claims/${s.claimIds[0]}/dispute`, { claimId: s.claimIds[0]! })),
  },
  {
    name: "contact details and letters",
    // The session, the resident's contact details, what the register said.
    max: 3,
    load: (s) => {
      const context = { cspNonce: "" };
      return Promise.all([
        rootLoader(args(s, "/letters", {}, context)),
        lettersLoader(args(s, "/letters", {}, context)),
      ]);
    },
  },
  {
    name: "a payment's receipt",
    // The session, the payment with the others made with it, and their claims.
    max: 3,
    load: (s) => {
      const context = { cspNonce: "" };
      return Promise.all([
        rootLoader(args(s, `/receipts/${s.paymentId}`, {}, context)),
        paymentReceiptLoader(
          args(s, `/receipts/${s.paymentId}`, { paymentId: s.paymentId }, context),
        ),
      ]);
    },
  },
  {
    name: "payment receipt",
    load: (s) => receiptLoader(args(s, `/payments/${s.checkoutId}`, { checkoutId: s.checkoutId })),
  },
];

let small: Shape;
let large: Shape;

beforeAll(async () => {
  await seedDemo();
  const { creditor } = await createTestCreditor(`queries-${run}`, "NO");
  creditorId = creditor.id;
  claimTypeId = (await db().claimType.findFirstOrThrow({ where: { creditorId } })).id;
  policyId = (await db().policy.findFirstOrThrow({ where: { creditorId } })).id;
  small = await residentWith(1, 2);
  large = await residentWith(40, 6);
  installCounter();
}, 120_000);

afterAll(async () => {
  clientProto.query = originalQuery;
  await disconnectDb();
});

describe("resident pages make a bounded number of SQL statements", () => {
  for (const page of pages) {
    it(`${page.name}: as many for 40 claims with many rows as for one claim`, async () => {
      // A first call warms anything cached per process, so both counts see the same state.
      await page.load(small);
      const few = await countStatements(() => page.load(small));
      const many = await countStatements(() => page.load(large));
      expect(few.length).toBeGreaterThan(0);
      expect(many.length, many.join("\n")).toBe(few.length);
      // A claim's state is 13 statements through Prisma's include (one per relation); the pay
      // page loads it twice. The pages every resident sees most (My claims, a claim) read it in
      // one plain statement and have tighter bounds. An N+1 would show as hundreds here (40 claims × 6 rows each).
      expect(many.length, many.join("\n")).toBeLessThanOrEqual(page.max ?? 30);
      if (process.env.PRINT_QUERY_COUNTS) console.warn(`${page.name}: ${many.length} statements`);
    });
  }
});
