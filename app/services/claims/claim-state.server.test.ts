import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb, pgTransaction } from "~/infra/db.server";
import { seedDemo } from "../../../server/test-support/fixtures";
import { loadClaimStates } from "./batch-claim-states.server";
import { claimStateInclude, type ClaimStateRow } from "./claim-state.server";
import { loadResidentClaimState, loadResidentOpenClaimStates } from "./resident-claim-state.server";

beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

// Order matters (statements list payments in it, and a claim's pages must agree with each other):
// every loader sorts a claim's rows by date, then creation, then id, so equal dates cannot swap.
const norm = (rows: ClaimStateRow[]) =>
  JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));

describe("the resident pages' claim loader", () => {
  it("returns exactly what Prisma's include returns, for every resident and each of their claims", async () => {
    // Every kind of row the statement reads: a refund, an open and a resolved flag, a cancelled charge.
    const payment = await db().payment.findFirstOrThrow({ include: { claim: true } });
    await db().refund.create({
      data: {
        paymentId: payment.id,
        amount: 100,
        providerRef: `claim-state-test-${payment.id}`,
        allocations: { principal: 100 },
        refundedOn: new Date("2026-03-01"),
        eventId: payment.eventId,
      },
    });
    await db().vulnerabilityFlag.createMany({
      data: [
        { residentId: payment.claim.residentId, kind: "HARDSHIP", note: "t", raisedBy: "test" },
        {
          residentId: payment.claim.residentId,
          kind: "HARDSHIP",
          note: "t",
          raisedBy: "test",
          resolvedAt: new Date(),
        },
      ],
    });
    // A second payment on the same day, recorded later but with the smallest id: it comes second.
    const later = await db().payment.create({
      data: {
        id: "00000000-0000-4000-8000-000000000001",
        claimId: payment.claimId,
        amount: 1,
        creditAmount: 1,
        currency: payment.currency,
        receivedOn: payment.receivedOn,
        method: "bank_transfer",
        providerRef: `claim-state-test-later-${payment.id}`,
        eventId: payment.eventId,
        createdAt: new Date(Date.now() + 1000), // after every seeded row
      },
    });
    const sameDay = (await loadResidentClaimState(
      payment.claim.residentId,
      payment.claimId,
    ))!.payments
      .filter((p) => p.receivedOn.getTime() === payment.receivedOn.getTime())
      .map((p) => p.id);
    expect(sameDay.at(-1)).toBe(later.id);
    expect(sameDay.indexOf(payment.id)).toBeLessThan(sameDay.indexOf(later.id));
    const charge = await db().charge.findFirstOrThrow({ where: { kind: { not: "PRINCIPAL" } } });
    await db().charge.update({
      where: { id: charge.id },
      data: { cancelledOn: new Date("2026-03-02"), cancelReason: "test" },
    });
    const residents = await db().resident.findMany({
      where: { claims: { some: {} } },
      select: { id: true },
    });
    expect(residents.length).toBeGreaterThan(2);
    let compared = 0;
    for (const { id: residentId } of residents) {
      const viaPrisma = await db().claim.findMany({
        where: { residentId, status: "OPEN" },
        include: claimStateInclude,
        orderBy: [{ dueOn: "asc" }, { id: "asc" }],
      });
      expect(norm(await loadResidentOpenClaimStates(residentId))).toEqual(norm(viaPrisma));
      const all = await db().claim.findMany({
        where: { residentId },
        include: claimStateInclude,
      });
      for (const claim of all) {
        const one = await loadResidentClaimState(residentId, claim.id);
        expect(norm([one!])).toEqual(norm([claim]));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it("finds nothing of another resident's", async () => {
    const [a, b] = await db().claim.findMany({
      distinct: ["residentId"],
      take: 2,
      select: { id: true, residentId: true },
    });
    expect(a!.residentId).not.toBe(b!.residentId);
    expect(await loadResidentClaimState(a!.residentId, b!.id)).toBeNull();
    expect(
      (await loadResidentOpenClaimStates(a!.residentId)).every(
        (c) => c.residentId === a!.residentId,
      ),
    ).toBe(true);
  });
});

describe("the sweep's claim loader", () => {
  it("returns exactly what Prisma's include returns, so the sweep decides on the same data", async () => {
    const ids = (await db().claim.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map(
      (c) => c.id,
    );
    expect(ids.length).toBeGreaterThan(10);
    const viaPrisma = await db().claim.findMany({
      where: { id: { in: ids } },
      include: claimStateInclude,
      orderBy: { id: "asc" },
    });
    const viaSql = await db().$transaction((tx) => loadClaimStates(tx, ids));
    // The sweep loads on a plain pg connection, whose own parsing of dates and int8 differs.
    const viaPg = await pgTransaction((client) => loadClaimStates(client, ids));
    expect(norm(viaSql)).toEqual(norm(viaPrisma));
    expect(norm(viaPg)).toEqual(norm(viaPrisma));
    // JSON hides a Date or bigint that came back as a string: compare the kinds too.
    const kinds = (rows: typeof viaPrisma) =>
      rows.map((r) => [
        r.dueOn instanceof Date,
        r.createdAt instanceof Date,
        ...r.charges.map((c) => [c.chargedOn instanceof Date, typeof c.causeEventId]),
        ...r.steps.map((s) => [s.takenOn instanceof Date, typeof s.eventId]),
        ...r.payments.map((p) => p.receivedOn instanceof Date),
      ]);
    expect(kinds(viaPg)).toEqual(kinds(viaPrisma));
  });
});
