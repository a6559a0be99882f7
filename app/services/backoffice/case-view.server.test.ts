import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayIn } from "~/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { fileDispute } from "../disputes/disputes.server";
import { caseView, holdsInWords } from "./case.server";
import { decideDispute } from "./decisions.server";
import { approveEnforcement } from "./enforcement.server";
import { queueItems, type StaffContext } from "./queues.server";
import { requestPlan } from "../plans/plans.server";
import en from "~/locales/en/staff.json";
import { staffPlaceHold } from "./staff-holds.server";

// The case view speaks to staff in words: a hold the system placed says what it stands for (the
// objection of a day), not "Dispute <uuid>"; a decision has its day and the new deadline as
// days, not ISO strings for the page to show as they are. And at the approval it lists every
// safeguard the approval re-checks, with the outcome the approval itself would reach.

const slug = `caseview-${Date.now().toString(36)}`;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
let staff: StaffContext;
let caller: Awaited<ReturnType<typeof createTestCreditor>>["caller"];
let serial = 400;

async function newClaim(principal: number) {
  let nationalId: string | null = null;
  while (!nationalId)
    nationalId = makeNorwegianFodselsnummer("1981-04-17", serial++, { synthetic: true });
  const r = await receiveClaim(
    caller,
    {
      externalId: `CV-${slug}-${randomUUID().slice(0, 8)}`,
      claimType: "water",
      resident: { nationalId, name: "Vera Visning" },
      description: "Vann og avløp",
      currency: "NOK",
      principal,
      issuedOn: "2026-10-20",
      dueOn: "2026-11-20",
    },
    new Date("2026-10-21T12:00:00Z"),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  return db().claim.findUniqueOrThrow({ where: { id: r.claim.id } });
}

beforeAll(async () => {
  await seedDemo();
  const made = await createTestCreditor(slug, "NO");
  caller = made.caller;
  staff = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [made.creditor.id] };
});
afterAll(() => disconnectDb());

describe("the staff case view", () => {
  it("names an objection's hold by the objection and its day, and dates the decision", async () => {
    const claim = await newClaim(150_000);
    const filed = await fileDispute({
      residentId: claim.residentId,
      claimId: claim.id,
      reason: "ALREADY_PAID",
      text: "I paid this at the town hall.",
      files: [],
      now: new Date("2026-12-03T10:00:00Z"),
    });
    if (!filed.ok) throw new Error(JSON.stringify(filed));
    const dispute = await db().dispute.findFirstOrThrow({ where: { claimId: claim.id } });
    // As stored: the hold's reason carries the objection's id.
    expect((await db().hold.findUniqueOrThrow({ where: { id: dispute.holdId } })).reason).toMatch(
      UUID,
    );
    const decided = await decideDispute(staff, {
      disputeId: dispute.id,
      decision: "reject",
      reason: "No cash payment was registered.",
      now: new Date("2026-12-07T10:00:00Z"),
    });
    expect(decided).toEqual({ ok: true });

    const view = (await caseView(staff, claim.id, new Date("2026-12-07T11:00:00Z")))!;
    const hold = view.allHolds.find((h) => h.kind === "DISPUTE")!;
    expect(hold.reason).toBeNull();
    expect(hold.origin).toEqual({ kind: "dispute", disputeId: dispute.id, on: "2026-12-03" });
    expect(view.disputes[0]).toMatchObject({
      decidedOn: "2026-12-07",
      freshDeadline: "2026-12-21",
    });
  });

  it("says what a plan's or a card payment's hold is for, and keeps a person's own reason", () => {
    const planId = randomUUID();
    const base = { startsOn: "2026-12-01", endsOn: null, releasedOn: null };
    const holds = holdsInWords(
      [
        { id: "h1", kind: "ACTIVE_PLAN", reason: `Payment plan ${planId}`, ...base },
        { id: "h2", kind: "PAYMENT_PENDING", reason: `Online payment ${randomUUID()}`, ...base },
        { id: "h3", kind: "MANUAL", reason: "Called the resident; waiting for papers", ...base },
        // A plan no longer linked to the claim: still no id on the page.
        { id: "h4", kind: "DEFERRAL", reason: `Payment plan ${randomUUID()}`, ...base },
      ],
      [],
      [{ id: planId, madeOn: "2026-11-30" }],
    );
    expect(holds.map((h) => [h.reason, h.origin])).toEqual([
      [null, { kind: "plan", planId, on: "2026-11-30" }],
      [null, { kind: "payment", on: "2026-12-01" }],
      ["Called the resident; waiting for papers", null],
      [null, null],
    ]);
  });

  it("gives a plan request's reasons as whole sentences of their own, and names its hold by the plan", async () => {
    const claim = await newClaim(150_000);
    const now = new Date("2026-12-04T10:00:00Z");
    const asked = await requestPlan({
      residentId: claim.residentId,
      claimIds: [claim.id],
      by: { months: 30 },
      now,
    });
    if (!asked.ok) throw new Error(JSON.stringify(asked));
    const item = (await queueItems(staff, "plans")).find((i) => i.id === asked.planId)!;
    // Not parts of the detail's run of words (the page joined them: ".," and ".;").
    expect(item.detail).toEqual([]);
    expect(item.reasons).toContain("backoffice.plans.outsideRules.too_many_months");
    const words = en.backoffice.plans.outsideRules as Record<string, string>;
    for (const key of item.reasons!) {
      const sentence = words[key.split(".").at(-1)!];
      expect(sentence, key).toMatch(/^[A-Z].*\.$/);
      expect(sentence).not.toMatch(/\byou\b/i);
    }
    const view = (await caseView(staff, claim.id, now))!;
    const plan = await db().paymentPlan.findUniqueOrThrow({ where: { id: asked.planId } });
    const madeOn = todayIn("Europe/Oslo", plan.createdAt);
    expect(view.allHolds.map((h) => [h.kind, h.reason, h.origin])).toEqual([
      ["PLAN_REQUEST", null, { kind: "plan", planId: asked.planId, on: madeOn }],
    ]);
  });

  it("lists at the approval every check the approval makes, with the outcome it reaches", async () => {
    const claim = await newClaim(150_000);
    await db().claim.update({ where: { id: claim.id }, data: { stage: "READY_FOR_ENFORCEMENT" } });
    const now = new Date("2026-12-07T10:00:00Z");
    const clear = (await caseView(staff, claim.id, now))!.approvalChecks!;
    expect(clear.map((c) => [c.check, c.ok])).toEqual([
      ["hold", true],
      ["dispute", true],
      ["minimum", true],
      ["vulnerable", true],
      ["letters", true],
    ]);
    expect(clear.find((c) => c.check === "minimum")).toMatchObject({
      principal: 150_000,
      minimum: 20_000,
    });

    const held = await staffPlaceHold(staff, {
      claimId: claim.id,
      kind: "MANUAL",
      reason: "Waiting for the social services",
      now,
    });
    expect(held.ok).toBe(true);
    const checks = (await caseView(staff, claim.id, now))!.approvalChecks!;
    expect(checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(["hold"]);
    // The same code refuses: the approval names exactly the checks not met.
    expect(await approveEnforcement(staff, claim.id, now)).toEqual({
      ok: false,
      reasons: checks.flatMap((c) => (c.refusal ? [c.refusal] : [])),
    });
  });

  it("has no approval checks for a claim not waiting for approval", async () => {
    const claim = await newClaim(150_000);
    expect(
      (await caseView(staff, claim.id, new Date("2026-12-07T10:00:00Z")))!.approvalChecks,
    ).toBe(null);
  });
});
