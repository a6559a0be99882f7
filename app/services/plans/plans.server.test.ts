import { planCalendar } from "./resident-plans.server";
import { getResidentPlan } from "./resident-plans.server";
import { planRequests } from "../backoffice/plan-views.server";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { icsCalendar } from "~/domain/ics";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { camt054 } from "../../../server/test-support/camt054";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { importBankFile } from "../payments/bank-import.server";
import { decidePlanRequest, endPlan, restructurePlan } from "../backoffice/plans.server";
import { runSweep } from "../escalation/sweep.server";
import { receiveClaim } from "../claims/intake.server";
import { answerOffer, previewPlan, requestPlan } from "./plans.server";

const run = Date.now().toString(36);
const NOW = new Date("2026-11-23T10:00:00Z"); // a Monday; Oslo's date is 2026-11-23
const TODAY = "2026-11-23";
let creditorId: string;
let caller: Awaited<ReturnType<typeof createTestCreditor>>["caller"];
let n = 0;

/** A fresh resident with one claim of `principal`, due a month ago, not yet escalated. */
async function claimFor(principal: number) {
  n += 1;
  // Norwegian test identity numbers that pass the checksum (demo-data style), one per claim.
  const ids = [
    "21857810004",
    "14876810183",
    "27829010068",
    "05928310010",
    "18845610009",
    "01909910028",
  ];
  const result = await receiveClaim(
    caller,
    {
      externalId: `PLAN-${run}-${n}`,
      claimType: "water",
      resident: {
        nationalId: ids[n % ids.length]!,
        name: `Plan tester ${n}`,
        email: `p${n}@example.no`,
      },
      description: `Vann ${n}`,
      currency: "NOK",
      principal,
      issuedOn: "2026-09-01",
      dueOn: "2026-10-22",
    },
    new Date("2026-10-25T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  const claim = await db().claim.findUniqueOrThrow({ where: { id: result.claim.id } });
  // One resident per test: earlier plans of the same resident would count against the rules.
  return { claimId: claim.id, residentId: claim.residentId, externalId: claim.externalId };
}

const staff = () => ({
  staffId: randomUUID(),
  role: "SUPERVISOR" as const,
  creditorIds: [creditorId],
});
const sweep = (asOf: string) =>
  runSweep({ asOf, creditorSlug: `plans-${run}`, publicUrl: "http://localhost:3000" });

async function stageOf(claimId: string) {
  const c = await db().claim.findUniqueOrThrow({
    where: { id: claimId },
    include: { steps: true, holds: true, notices: true },
  });
  return c;
}

beforeAll(async () => {
  await seedDemo();
  const made = await createTestCreditor(`plans-${run}`, "NO");
  creditorId = made.creditor.id;
  caller = made.caller;
});
afterAll(async () => {
  await disconnectDb();
});

describe("a plan within the rules", () => {
  it("is granted at once, holds the claim so escalation does not move it, and sums to what is owed", async () => {
    const { claimId, residentId } = await claimFor(600_000);
    const preview = await previewPlan({
      residentId,
      claimIds: [claimId],
      by: { months: 6 },
      now: NOW,
    });
    expect(preview.ok && preview.within).toBe(true);
    if (!preview.ok) return;
    expect(preview.instalments).toHaveLength(6);
    expect(preview.instalments.reduce((s, i) => s + i.amount, 0)).toBe(preview.total);
    expect(preview.total).toBe(preview.owed + preview.fee + preview.interest);

    const result = await requestPlan({
      residentId,
      claimIds: [claimId],
      by: { months: 6 },
      now: NOW,
    });
    expect(result).toMatchObject({ ok: true, status: "ACTIVE" });
    const held = await stageOf(claimId);
    expect(held.holds.map((h) => [h.kind, h.releasedOn])).toEqual([["ACTIVE_PLAN", null]]);

    // The reminder would be due 14 days after the due date; the plan holds it off.
    for (const day of [TODAY, addDays(TODAY, 10), addDays(TODAY, 20)]) await sweep(day);
    const after = await stageOf(claimId);
    expect(after.stage).toBe("INVOICED");
    expect(after.notices).toEqual([]);

    // The same claim cannot be in two plans.
    const again = await requestPlan({
      residentId,
      claimIds: [claimId],
      by: { months: 3 },
      now: NOW,
    });
    expect(again).toEqual({ ok: false, error: "already_in_plan" });
  });

  it("refuses bad input clearly and writes nothing", async () => {
    const { claimId, residentId } = await claimFor(100_000);
    const before = await db().paymentPlan.count();
    expect(
      await requestPlan({ residentId, claimIds: ["nope"], by: { months: 2 }, now: NOW }),
    ).toEqual({
      ok: false,
      error: "not_found",
    });
    expect(
      await requestPlan({
        residentId: randomUUID(),
        claimIds: [claimId],
        by: { months: 2 },
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "not_found" });
    expect(
      await requestPlan({ residentId, claimIds: [claimId], by: { months: 0 }, now: NOW }),
    ).toEqual({ ok: false, error: "bad_request" });
    expect(await db().paymentPlan.count()).toBe(before);
    expect((await stageOf(claimId)).holds).toEqual([]);
  });
});

describe("a request outside the rules", () => {
  it("waits for staff under a plan-request hold; a refusal resumes escalation with a fresh deadline", async () => {
    const { claimId, residentId } = await claimFor(3_000_000);
    const result = await requestPlan({
      residentId,
      claimIds: [claimId],
      by: { months: 30 },
      now: NOW,
    });
    expect(result).toMatchObject({ ok: true, status: "REQUESTED" });
    if (!result.ok) return;
    const plan = await db().paymentPlan.findUniqueOrThrow({ where: { id: result.planId } });
    expect(plan.outsideRules).toEqual(["too_many_months"]);
    expect((await stageOf(claimId)).holds.map((h) => h.kind)).toEqual(["PLAN_REQUEST"]);
    expect((await planRequests(staff())).map((p) => p.id)).toContain(plan.id);

    await sweep(addDays(TODAY, 5));
    expect((await stageOf(claimId)).stage).toBe("INVOICED");

    expect(
      await decidePlanRequest(staff(), {
        planId: plan.id,
        decision: "refuse",
        reason: "",
        now: NOW,
      }),
    ).toEqual({
      ok: false,
      error: "reason_required",
    });
    const refused = await decidePlanRequest(staff(), {
      planId: plan.id,
      decision: "refuse",
      reason: "Thirty months is too long for this amount",
      now: new Date("2026-11-30T10:00:00Z"),
    });
    expect(refused).toEqual({ ok: true });
    const view = await getResidentPlan(residentId, plan.id, NOW);
    expect(view).toMatchObject({
      status: "REFUSED",
      decisionReason: "Thirty months is too long for this amount",
    });
    await sweep("2026-11-30");
    const resumed = await stageOf(claimId);
    expect(resumed.notices.map((n) => n.kind)).toEqual(["FRESH_DEADLINE"]);
  });

  it("approved with changes, it waits for the resident to accept, then becomes active", async () => {
    const { claimId, residentId } = await claimFor(600_000);
    const result = await requestPlan({
      residentId,
      claimIds: [claimId],
      by: { monthly: 20_000 },
      now: NOW,
    });
    expect(result).toMatchObject({ ok: true, status: "REQUESTED" });
    if (!result.ok) return;
    const offered = await decidePlanRequest(staff(), {
      planId: result.planId,
      decision: "offer",
      reason: "We can offer 12 months of 500 kr or more",
      by: { months: 12 },
      now: NOW,
    });
    expect(offered).toEqual({ ok: true });
    expect((await getResidentPlan(residentId, result.planId, NOW))?.status).toBe("OFFERED");
    expect(
      await answerOffer({ residentId, planId: result.planId, accept: true, now: NOW }),
    ).toEqual({ ok: true });
    const view = await getResidentPlan(residentId, result.planId, NOW);
    expect(view?.status).toBe("ACTIVE");
    expect(view?.instalments).toHaveLength(12);
    expect((await stageOf(claimId)).holds.filter((h) => !h.releasedOn).map((h) => h.kind)).toEqual([
      "ACTIVE_PLAN",
    ]);
    expect(
      await endPlan(staff(), { planId: result.planId, reason: "Resident moved abroad", now: NOW }),
    ).toEqual({
      ok: true,
    });
  });
});

describe("restructuring an active plan", () => {
  it("puts what is owed today on a new schedule, keeps the old one on record and tells the resident", async () => {
    const { claimId, residentId } = await claimFor(600_000);
    const result = await requestPlan({
      residentId,
      claimIds: [claimId],
      by: { months: 6 },
      now: NOW,
    });
    expect(result).toMatchObject({ ok: true, status: "ACTIVE" });
    if (!result.ok) return;
    const before = await db().planInstalment.findMany({ where: { planId: result.planId } });
    expect(before).toHaveLength(6);

    // Bad input changes nothing: no reason, or a plan of another creditor's staff.
    expect(
      await restructurePlan(staff(), {
        planId: result.planId,
        by: { months: 12 },
        reason: "",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "reason_required" });
    const outsider = {
      staffId: randomUUID(),
      role: "SUPERVISOR" as const,
      creditorIds: [randomUUID()],
    };
    expect(
      await restructurePlan(outsider, {
        planId: result.planId,
        by: { months: 12 },
        reason: "Lost their job",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "not_found" });
    expect(await db().planInstalment.count({ where: { planId: result.planId } })).toBe(6);

    expect(
      await restructurePlan(staff(), {
        planId: result.planId,
        by: { months: 12 },
        reason: "Lost their job",
        now: NOW,
      }),
    ).toEqual({ ok: true });
    const view = await getResidentPlan(residentId, result.planId, NOW);
    expect(view?.status).toBe("ACTIVE");
    expect(view?.instalments).toHaveLength(12);
    // The new schedule still adds up to what the claim owes today (no second fee).
    const owed = view!.instalments.reduce((sum, i) => sum + i.amount, 0);
    expect(owed).toBe(view!.total);
    // The first version stays on record; the claim is still held by the plan.
    expect(await db().planInstalment.count({ where: { planId: result.planId } })).toBe(18);
    expect((await stageOf(claimId)).holds.filter((h) => !h.releasedOn).map((h) => h.kind)).toEqual([
      "ACTIVE_PLAN",
    ]);
    const events = await db().event.findMany({
      where: { type: "plan.restructured", data: { path: ["planId"], equals: result.planId } },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ reason: "Lost their job" });
    const mails = await db().outbox.findMany({ where: { kind: "plan" } });
    expect(
      mails.some((m) => {
        const c = m.content as { kind: string; planUrl: string };
        return c.kind === "restructured" && c.planUrl.endsWith(result.planId);
      }),
    ).toBe(true);
  });
});

describe("a missed instalment", () => {
  it("gets a reminder with a grace period; still unpaid, the plan ends and escalation resumes with a fresh deadline", async () => {
    const { claimId, residentId } = await claimFor(300_000);
    const result = await requestPlan({
      residentId,
      claimIds: [claimId],
      by: { months: 3 },
      now: NOW,
    });
    if (!result.ok) throw new Error(result.error);
    const first = (await getResidentPlan(residentId, result.planId, NOW))!.instalments[0]!;
    let reminded: string | null = null;
    let ended: string | null = null;
    for (let day = TODAY; day <= addDays(first.dueOn, 20) && !ended; day = addDays(day, 1)) {
      await sweep(day);
      const plan = await db().paymentPlan.findUniqueOrThrow({
        where: { id: result.planId },
        include: { instalments: true },
      });
      const r = plan.instalments.find((i) => i.seq === 1)!.remindedOn;
      if (r && !reminded) reminded = isoOf(r);
      if (plan.status === "ENDED") ended = day;
      // Held the whole time before the end: no step at all.
      if (!ended) expect((await stageOf(claimId)).steps).toEqual([]);
    }
    expect(reminded).toBe(addDays(first.dueOn, 1));
    const plan = await db().paymentPlan.findUniqueOrThrow({
      where: { id: result.planId },
      include: { instalments: true },
    });
    const grace = isoOf(plan.instalments.find((i) => i.seq === 1)!.graceUntil!);
    expect(grace >= addDays(reminded!, 7)).toBe(true);
    expect(ended).toBe(addDays(grace, 1));
    expect(plan.endReason).toBe("missed_instalment");
    const claim = await stageOf(claimId);
    expect(claim.notices.map((n) => n.kind)).toEqual(["FRESH_DEADLINE"]);
    expect(isoOf(claim.notices[0]!.sentOn)).toBe(ended);
    // Told each time, on the plan's page (its events) and by email.
    const events = await db().event.findMany({
      where: { data: { path: ["planId"], equals: result.planId }, claimId: null },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.type)).toEqual([
      "plan.requested",
      "plan.granted",
      "plan.instalment_missed",
      "plan.ended",
    ]);
    const resident = await db().resident.findUniqueOrThrow({ where: { id: residentId } });
    const mails = await db().outbox.findMany({
      where: { kind: "plan", to: resident.email ?? "" },
      orderBy: { createdAt: "asc" },
    });
    const kinds = mails
      .map((m) => m.content as { kind: string; planUrl: string })
      .filter((c) => c.planUrl.endsWith(result.planId))
      .map((c) => c.kind);
    expect(kinds).toEqual(resident.email ? ["granted", "reminder", "ended"] : []);
  });
});

describe("paying instalments", () => {
  it("counts a bank transfer with the plan's reference towards the instalments", async () => {
    const { claimId, residentId } = await claimFor(300_000);
    const result = await requestPlan({
      residentId,
      claimIds: [claimId],
      by: { months: 3 },
      now: NOW,
    });
    if (!result.ok) throw new Error(result.error);
    const view = (await getResidentPlan(residentId, result.planId, NOW))!;
    const first = view.instalments[0]!;
    const file = camt054(`PLAN-${run}`, [
      { reference: view.reference, amount: first.amount, bookedOn: TODAY },
    ]);
    const imported = await importBankFile(file, "test");
    expect(imported).toMatchObject({ ok: true, matched: 1, unmatched: 0 });
    const after = (await getResidentPlan(residentId, result.planId, NOW))!;
    expect(after.instalments[0]!.settled).toBe(true);
    expect(after.next?.dueOn).toBe(after.instalments[1]!.dueOn);
    // Paid on time: the day after the first due date brings no reminder.
    await sweep(addDays(first.dueOn, 1));
    const plan = await db().paymentPlan.findUniqueOrThrow({
      where: { id: result.planId },
      include: { instalments: true },
    });
    expect(plan.instalments.every((i) => i.remindedOn === null)).toBe(true);
    expect(plan.status).toBe("ACTIVE");

    const ics = await planCalendar(residentId, result.planId, NOW);
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics!.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(ics).toContain(`DTSTART;VALUE=DATE:${first.dueOn.replace(/-/g, "")}`);
  });

  it("writes a calendar that calendar apps accept: CRLF, folded lines, escaped text", () => {
    const ics = icsCalendar({
      id: "x",
      name: "Elvdal, kommune; vann",
      events: [{ uid: "u1", date: "2026-12-31", summary: "a".repeat(100) }],
    });
    expect(ics).toContain("X-WR-CALNAME:Elvdal\\, kommune\\; vann\r\n");
    expect(ics).toContain("DTEND;VALUE=DATE:20270101");
    for (const line of ics.split("\r\n"))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });
});
