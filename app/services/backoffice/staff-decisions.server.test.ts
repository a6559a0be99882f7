import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decisionOf, statementOf } from "~/domain/claim";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { loadClaims } from "../claims/load-claims.server";
import { loadLawBook } from "../law/legal-figures.server";
import { recordPayment } from "../payments/ledger.server";
import { decideDispute } from "./decisions.server";
import { supportedLngs } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { queueItems, type StaffContext } from "./queues.server";
import { staffPlaceHold, staffReleaseHold } from "./staff-holds.server";

// What staff found wrong when they tried the case view (2026-12-07): a malformed end date gave a
// 500, an end date already past was "placed" and paused nothing, two lifts of one hold at once
// were both recorded, and a claim cancelled by an upheld objection still showed its amount as
// owed, with what had been paid on it kept.

const NOW = new Date("2026-11-22T10:00:00Z"); // 22 November in Oslo
const RUN = Date.now().toString(36);
let creditorId: string;
let supervisor: StaffContext;

async function openClaim(principal = 120_000) {
  const c = await db().creditor.findUniqueOrThrow({ where: { id: creditorId } });
  const result = await receiveClaim(
    { creditorId: c.id, keyId: "test", country: "NO", currency: "NOK", timeZone: "Europe/Oslo" },
    {
      externalId: `SD-${RUN}-${randomUUID().slice(0, 8)}`,
      claimType: "water",
      resident: { nationalId: "06866120046", name: "Oda Outbox" },
      description: "Vann",
      currency: "NOK",
      principal,
      issuedOn: "2026-10-01",
      dueOn: "2026-11-01",
    },
    new Date("2026-10-02T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  return result.claim.id;
}

const snapshot = async (claimId: string) => (await loadClaims(undefined, { ids: [claimId] }))[0]!;

beforeAll(async () => {
  await seedDemo();
  const { creditor } = await createTestCreditor(`sd-${RUN}`, "NO");
  creditorId = creditor.id;
  supervisor = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [creditorId] };
});
afterAll(() => disconnectDb());

describe("a hold placed by staff", () => {
  it("refuses an end date that is no date, or not after today, and writes nothing", async () => {
    const claimId = await openClaim();
    for (const endsOn of ["abc", "2026-02-30", "2026-11-22", "2020-01-01"]) {
      const r = await staffPlaceHold(supervisor, {
        claimId,
        kind: "DEBT_RESPITE",
        reason: "Debt respite granted by the court",
        endsOn,
        now: NOW,
      });
      expect(r, endsOn).toEqual({ ok: false, error: "bad_end" });
    }
    expect(await db().hold.count({ where: { claimId } })).toBe(0);
    expect(await db().event.count({ where: { claimId, type: "hold.placed" } })).toBe(0);
  });

  it("with an end date after today pauses the claim until then", async () => {
    const claimId = await openClaim();
    const r = await staffPlaceHold(supervisor, {
      claimId,
      kind: "DEBT_RESPITE",
      reason: "Debt respite granted by the court",
      endsOn: "2026-11-23",
      now: NOW,
    });
    expect(r).toEqual({ ok: true });
    const law = await loadLawBook();
    const claim = await snapshot(claimId);
    expect(
      decisionOf(claim, statementOf(claim, law, "2026-11-22"), law, "2026-11-22"),
    ).toMatchObject({ kind: "stop", reason: "held" });
  });

  it("is lifted once when two lifts of it arrive at the same moment", async () => {
    const claimId = await openClaim();
    await staffPlaceHold(supervisor, {
      claimId,
      kind: "MANUAL",
      reason: "Waiting for the social office",
      now: NOW,
    });
    const hold = await db().hold.findFirstOrThrow({ where: { claimId } });
    const lift = () =>
      staffReleaseHold(supervisor, { holdId: hold.id, reason: "Spoke to the resident", now: NOW });
    const results = await Promise.all([lift(), lift()]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: "already_released" });
    expect(await db().event.count({ where: { claimId, type: "hold.released" } })).toBe(1);
  });
});

describe("an objection to the whole bill, upheld", () => {
  it("leaves nothing owed and everything paid on the claim to be paid back", async () => {
    const claimId = await openClaim(120_000);
    const law = await loadLawBook();
    await db().$transaction((tx) =>
      recordPayment(tx, law, {
        claimId,
        amount: 30_000,
        currency: "NOK",
        receivedOn: "2026-11-10",
        method: "bank_transfer",
        providerRef: `sd-${claimId}`,
        actor: "test",
      }),
    );
    const before = await snapshot(claimId);
    const hold = await db().hold.create({
      data: { claimId, kind: "DISPUTE", reason: "dispute", startsOn: new Date("2026-11-15") },
    });
    const dispute = await db().dispute.create({
      data: {
        claimId,
        residentId: before.residentId,
        reason: "WRONG_PERSON",
        text: "I never lived there",
        holdId: hold.id,
      },
    });
    const r = await decideDispute(supervisor, {
      disputeId: dispute.id,
      decision: "uphold",
      reason: "The meter belonged to the neighbour",
      now: NOW,
    });
    expect(r).toEqual({ ok: true });

    const after = await snapshot(claimId);
    expect(after.status).toBe("CANCELLED");
    const statement = statementOf(after, law, "2026-11-22");
    expect(statement.balance).toMatchObject({ principal: 0, fees: 0, interest: 0, total: 0 });
    expect(statement.balance.refundDue).toBe(30_000);
    const refunds = await db().staffTask.findMany({ where: { claimId, kind: "REFUND_CREDIT" } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.data).toMatchObject({ credit: 30_000, currency: "NOK" });
  });
});

describe("the queues", () => {
  it("name an objection's reason in words of every language, not by its code", async () => {
    const claimId = await openClaim();
    const { residentId } = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
    const hold = await db().hold.create({
      data: { claimId, kind: "DISPUTE", reason: "dispute", startsOn: new Date("2026-11-20") },
    });
    await db().dispute.create({
      data: { claimId, residentId, reason: "ALREADY_PAID", text: "Paid in cash", holdId: hold.id },
    });
    const item = (await queueItems(supervisor, "disputes")).find((i) => i.claimId === claimId);
    expect(item?.detail).toEqual([{ key: "dispute.reason.ALREADY_PAID" }, { text: "Vann" }]);
    for (const lng of supportedLngs) {
      const words = (resources[lng].common as { dispute: { reason: Record<string, string> } })
        .dispute.reason;
      expect(words.ALREADY_PAID, lng).toMatch(/\S/);
    }
  });
});
