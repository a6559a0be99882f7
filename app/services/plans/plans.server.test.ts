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
import {
  answerOffer,
  parsePlanBy,
  planByOfFigure,
  planFigureOf,
  planLimits,
  previewPlan,
  requestPlan,
} from "./plans.server";
import { DEMO_PLAN_RULES } from "../../../prisma/demo-data";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { dispatchLetters } from "../letters/dispatch.server";
import { makePrintBatch } from "../letters/print-batches.server";
import { letterOf, noticesForLetters } from "../letters/letter-of.server";
import { residentLetterPdf } from "../letters/resident-letters.server";
import { getResidentClaimPage } from "../portal/claims.server";
import type { DecisionContent } from "../letters/decision-notices.server";
import { readPdf } from "~/integrations/letters/pdf-test-support";
import { renderLetterPdf } from "~/integrations/letters/pdf.server";

const run = Date.now().toString(36);
const NOW = new Date("2026-11-23T10:00:00Z"); // a Monday; Oslo's date is 2026-11-23
const TODAY = "2026-11-23";
let creditorId: string;
let caller: Awaited<ReturnType<typeof createTestCreditor>>["caller"];
let n = 0;

/** A synthetic fødselsnummer of this file's own, new for every call (never a demo resident). */
function newNationalId() {
  for (;;) {
    n += 1;
    const id = makeNorwegianFodselsnummer("1972-08-19", 100 + (n % 400), { synthetic: true });
    if (id) return id;
  }
}

/** A claim of `resident` of `principal`, due on `dueOn`, not yet escalated. */
async function claimOf(
  resident: { nationalId: string; name: string },
  principal: number,
  dueOn = "2026-10-22",
) {
  n += 1;
  const result = await receiveClaim(
    caller,
    {
      externalId: `PLAN-${run}-${n}`,
      claimType: "water",
      resident: {
        ...resident,
        email: `p${n}@example.no`,
        // A postal address and no digital mailbox or email consent: their letters go on paper.
        address: { lines: [`Planveien ${n}`], postalCode: "2408", city: "Elverum" },
      },
      description: `Vann ${n}`,
      currency: "NOK",
      principal,
      issuedOn: "2026-09-01",
      dueOn,
    },
    new Date("2026-10-25T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  const claim = await db().claim.findUniqueOrThrow({ where: { id: result.claim.id } });
  return { claimId: claim.id, residentId: claim.residentId, externalId: claim.externalId };
}

/** A fresh resident (one per test: earlier plans would count against the rules) with one claim. */
async function claimFor(principal: number) {
  return claimOf({ nationalId: newNationalId(), name: `Plan tester ${n}` }, principal);
}

/** The day's letters of this file's creditor, sent: none has a mailbox, so paper, batched. */
async function sendLetters(asOf: string) {
  await dispatchLetters({ asOf, creditorId, integrations: NO_INTEGRATIONS });
  await makePrintBatch({ creditorSlug: `plans-${run}`, actor: "test", asOf });
}
const NO_INTEGRATIONS = { krr: null, far: null, eformidling: null, kivra: null };

/** The plan's letters, oldest first. */
const planLetters = (planId: string) =>
  db().notice.findMany({ where: { planId }, orderBy: [{ sentOn: "asc" }, { createdAt: "asc" }] });

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
    include: {
      steps: true,
      holds: true,
      notices: { orderBy: [{ sentOn: "asc" }, { createdAt: "asc" }] },
    },
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
    if (!result.ok) return;
    const held = await stageOf(claimId);
    expect(held.holds.map((h) => [h.kind, h.releasedOn])).toEqual([["ACTIVE_PLAN", null]]);

    // The resident is told by letter, written with the plan: its schedule, the first instalment
    // with the plan's reference, pending on the plan's claim.
    const plan = await db().paymentPlan.findUniqueOrThrow({ where: { id: result.planId } });
    const [granted, ...more] = await planLetters(result.planId);
    expect(more).toEqual([]);
    expect(granted).toMatchObject({ kind: "PLAN_GRANTED", status: "PENDING", claimId });
    const content = granted!.content as DecisionContent;
    expect(content.plan?.instalments).toEqual(preview.instalments);
    expect(content.plan?.total).toBe(preview.total);
    expect(content.payment).toEqual({
      amount: preview.instalments[0]!.amount,
      reference: plan.reference,
    });
    expect(content.deadline).toBe(preview.instalments[0]!.dueOn);
    expect(content.message).toBeNull();

    // The reminder would be due 14 days after the due date; the plan holds it off.
    for (const day of [TODAY, addDays(TODAY, 10), addDays(TODAY, 20)]) {
      await sweep(day);
      await sendLetters(day);
    }
    const after = await stageOf(claimId);
    expect(after.stage).toBe("INVOICED");
    expect(after.steps).toEqual([]);
    // Only the plan's letters (by the last day the first instalment is overdue), the first the
    // grant, on paper: she has no mailbox and gave no email consent.
    expect(after.notices.every((x) => x.planId === result.planId)).toBe(true);
    expect(after.notices.map((x) => [x.kind, x.status, x.channel])[0]).toEqual([
      "PLAN_GRANTED",
      "DISPATCHED",
      "PRINT",
    ]);
    // No plan email any more: the decision is the letter.
    expect(await db().outbox.count({ where: { kind: "plan", to: `p${n}@example.no` } })).toBe(0);

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
    expect((await stageOf(claimId)).notices).toEqual([]);
  });

  it("says no bill was chosen when every bill is unticked (not 'not found'), and writes nothing", async () => {
    const { claimId, residentId } = await claimFor(100_000);
    const before = await db().paymentPlan.count();
    const events = await db().event.count({ where: { residentId } });
    const none = { residentId, claimIds: [], by: { months: 2 }, now: NOW };
    expect(await previewPlan(none)).toEqual({ ok: false, error: "no_claims" });
    expect(await requestPlan(none)).toEqual({ ok: false, error: "no_claims" });
    expect(await db().paymentPlan.count()).toBe(before);
    expect(await db().event.count({ where: { residentId } })).toBe(events);
    expect((await stageOf(claimId)).holds).toEqual([]);
  });
});

describe("the request form", () => {
  it("knows the limits of the creditor's rules before anything is typed, the ones the preview judges by", async () => {
    const { claimId, residentId } = await claimFor(600_000);
    const limits = await planLimits({ residentId, claimIds: [claimId] });
    const { maxMonths, minInstalment, maxDeferralMonths } = DEMO_PLAN_RULES.NO;
    expect(limits).toEqual({ maxMonths, minInstalment, maxDeferralMonths });
    for (const by of [{ months: 6 }, { monthly: 100_000 }, { deferMonths: 1 }]) {
      const preview = await previewPlan({ residentId, claimIds: [claimId], by, now: NOW });
      expect(preview).toMatchObject({
        ok: true,
        maxMonths: limits?.maxMonths,
        minInstalment: limits?.minInstalment,
        maxDeferralMonths: limits?.maxDeferralMonths,
      });
    }
    // Nothing about a bill that is not the resident's, nor about no bill at all.
    expect(await planLimits({ residentId: randomUUID(), claimIds: [claimId] })).toBeNull();
    expect(await planLimits({ residentId, claimIds: ["nope"] })).toBeNull();
    expect(await planLimits({ residentId, claimIds: [] })).toBeNull();
  });

  it("reads an amount a month as the page's language writes it, and refuses what it cannot read", () => {
    expect(parsePlanBy("monthly", "1,250.50", "en-GB")).toEqual({ monthly: 125_050 });
    expect(parsePlanBy("monthly", "1250.50", "en-GB")).toEqual({ monthly: 125_050 });
    expect(parsePlanBy("monthly", "1\u00a0250,50", "nb-NO")).toEqual({ monthly: 125_050 });
    expect(parsePlanBy("monthly", "1250,50", "sv-SE")).toEqual({ monthly: 125_050 });
    expect(parsePlanBy("monthly", "1,250.50", "nb-NO")).toBeNull();
    expect(parsePlanBy("monthly", "0", "en-GB")).toBeNull();
    expect(parsePlanBy("months", "121")).toBeNull();
    expect(parsePlanBy("months", "2.5")).toBeNull();
    expect(parsePlanBy("defer", "13")).toBeNull();
    expect(parsePlanBy("weekly", "2")).toBeNull();
  });

  it("carries the previewed figure to the confirm step in a form every language reads the same", () => {
    // Previewed in English as "1,250.50", confirmed on a page since switched to Norwegian.
    const by = parsePlanBy("monthly", "1,250.50", "en-GB")!;
    expect(planFigureOf(by)).toBe("125050");
    expect(planByOfFigure("monthly", planFigureOf(by))).toEqual({ monthly: 125_050 });
    expect(planByOfFigure("months", planFigureOf({ months: 6 }))).toEqual({ months: 6 });
    expect(planByOfFigure("defer", planFigureOf({ deferMonths: 3 }))).toEqual({ deferMonths: 3 });
    // Only what the server wrote: no typed amount, no decimals, nothing outside the limits.
    for (const [mode, figure] of [
      ["monthly", "1,250.50"],
      ["monthly", "1250,50"],
      ["monthly", "0"],
      ["monthly", null],
      ["months", "121"],
      ["defer", "13"],
      ["weekly", "2"],
    ] as const)
      expect(planByOfFigure(mode, figure), `${mode} ${figure}`).toBeNull();
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
    // The request is not a decision: an email receipt where there is an address, no letter.
    expect(await planLetters(plan.id)).toEqual([]);
    const receipts = await db().outbox.findMany({ where: { kind: "plan" } });
    expect(
      receipts.filter((m) => (m.content as { planUrl: string }).planUrl.endsWith(plan.id)),
    ).toMatchObject([{ content: { kind: "requested" } }]);
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
    expect(await planLetters(plan.id)).toEqual([]);
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
    const letters = await planLetters(plan.id);
    expect(letters.map((x) => [x.kind, x.status, x.claimId])).toEqual([
      ["PLAN_REFUSED", "PENDING", claimId],
    ]);
    expect(letters[0]!.content).toMatchObject({
      message: "Thirty months is too long for this amount",
      plan: null,
      payment: null,
    });
    // The engine steps past no letter that has not left: the fresh deadline comes once the
    // refusal has gone.
    await sweep("2026-11-30");
    expect((await stageOf(claimId)).notices.map((x) => x.kind)).toEqual(["PLAN_REFUSED"]);
    await sendLetters("2026-11-30");
    await sweep("2026-12-01");
    const resumed = await stageOf(claimId);
    expect(resumed.notices.map((x) => x.kind)).toEqual(["PLAN_REFUSED", "FRESH_DEADLINE"]);
  });

  it("approved as asked, it is granted by letter with the staff member's words", async () => {
    const { claimId, residentId } = await claimFor(3_000_000);
    const result = await requestPlan({
      residentId,
      claimIds: [claimId],
      by: { months: 30 },
      now: NOW,
    });
    if (!result.ok) throw new Error(result.error);
    expect(
      await decidePlanRequest(staff(), {
        planId: result.planId,
        decision: "approve",
        reason: "Approved: a large amount for one household",
        now: NOW,
      }),
    ).toEqual({ ok: true });
    const letters = await planLetters(result.planId);
    expect(letters.map((x) => [x.kind, x.status, x.claimId])).toEqual([
      ["PLAN_GRANTED", "PENDING", claimId],
    ]);
    const content = letters[0]!.content as DecisionContent;
    expect(content.message).toBe("Approved: a large amount for one household");
    expect(content.plan?.instalments).toHaveLength(30);
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
    // The offer is a letter with the offered schedule; plans have no answer-by day, so none.
    const [offer] = await planLetters(result.planId);
    expect(offer).toMatchObject({ kind: "PLAN_OFFERED", status: "PENDING", claimId });
    expect(offer!.content).toMatchObject({
      message: "We can offer 12 months of 500 kr or more",
      deadline: null,
      payment: null,
    });
    expect((offer!.content as DecisionContent).plan?.instalments).toHaveLength(12);
    // Her own answer is no decision of ours: no letter for it.
    expect(
      await answerOffer({ residentId, planId: result.planId, accept: true, now: NOW }),
    ).toEqual({ ok: true });
    expect(await planLetters(result.planId)).toHaveLength(1);
    const view = await getResidentPlan(residentId, result.planId, NOW);
    expect(view?.status).toBe("ACTIVE");
    expect(view?.instalments).toHaveLength(12);
    expect((await stageOf(claimId)).holds.filter((h) => !h.releasedOn).map((h) => h.kind)).toEqual([
      "ACTIVE_PLAN",
    ]);
    // Two staff members end it at once: one decision, one letter.
    const ended = await Promise.all([
      endPlan(staff(), { planId: result.planId, reason: "Resident moved abroad", now: NOW }),
      endPlan(staff(), { planId: result.planId, reason: "Resident moved away", now: NOW }),
    ]);
    expect(ended.map((r) => r.ok).sort()).toEqual([false, true]);
    const letters = await planLetters(result.planId);
    expect(letters.map((x) => [x.kind, x.claimId])).toEqual([
      ["PLAN_OFFERED", claimId],
      ["PLAN_ENDED", claimId],
    ]);
    expect(letters[1]!.content).toMatchObject({ plan: null, payment: null });
    expect((letters[1]!.content as DecisionContent).message).toMatch(/^Resident moved/);
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
    expect((await planLetters(result.planId)).map((x) => x.kind)).toEqual(["PLAN_GRANTED"]);

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
    // The resident is told by letter, with the new schedule and its first instalment.
    const letters = await planLetters(result.planId);
    expect(letters.map((x) => [x.kind, x.claimId])).toEqual([
      ["PLAN_GRANTED", claimId],
      ["PLAN_CHANGED", claimId],
    ]);
    const changed = letters[1]!.content as DecisionContent;
    expect(changed.message).toBe("Lost their job");
    expect(changed.plan?.instalments).toEqual(
      view!.instalments.map((i) => ({ dueOn: i.dueOn, amount: i.amount })),
    );
    expect(changed.payment?.amount).toBe(view!.instalments[0]!.amount);
  });
});

describe("a missed instalment", () => {
  it("gets a reminder letter with a grace period; still unpaid, the plan ends by letter and escalation resumes with a fresh deadline", async () => {
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
    // Day by day, as `escalate` runs: the sweep, then the day's letters out.
    for (let day = TODAY; day <= addDays(first.dueOn, 20) && !ended; day = addDays(day, 1)) {
      await sweep(day);
      await sendLetters(day);
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

    // Told each time by letter, each written the day it happened and sent that day on paper.
    const letters = await planLetters(result.planId);
    expect(letters.map((x) => [x.kind, isoOf(x.sentOn), x.status, x.channel])).toEqual([
      ["PLAN_GRANTED", TODAY, "DISPATCHED", "PRINT"],
      ["PLAN_INSTALMENT_MISSED", reminded, "DISPATCHED", "PRINT"],
      ["PLAN_ENDED", ended, "DISPATCHED", "PRINT"],
    ]);
    const missed = letters[1]!.content as DecisionContent;
    expect(missed.deadline).toBe(grace);
    expect(missed.payment).toEqual({ amount: first.amount, reference: plan.reference });
    // The letter says it: what is still owed, by when, and the plan's reference to pay with.
    const [notice] = await noticesForLetters(undefined, [letters[1]!.id]);
    const { text } = await readPdf(await renderLetterPdf(letterOf(notice!)));
    expect(text.replace(/\s/g, "")).toContain(plan.reference);
    expect(text).toContain("Planveien");

    // The fresh deadline follows once the letter saying the plan ended has left: the next day.
    const waiting = await stageOf(claimId);
    expect(waiting.notices.map((x) => x.kind)).not.toContain("FRESH_DEADLINE");
    await sweep(addDays(ended!, 1));
    const claim = await stageOf(claimId);
    expect(claim.notices.map((x) => x.kind)).toEqual([
      "PLAN_GRANTED",
      "PLAN_INSTALMENT_MISSED",
      "PLAN_ENDED",
      "FRESH_DEADLINE",
    ]);
    expect(isoOf(claim.notices.at(-1)!.sentOn)).toBe(addDays(ended!, 1));
    // And on the plan's page (its events).
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
    // No plan email: the letters are the messages.
    const mails = await db().outbox.findMany({ where: { kind: "plan" } });
    expect(
      mails.filter((m) => (m.content as { planUrl: string }).planUrl.endsWith(result.planId)),
    ).toEqual([]);
  });
});

describe("a plan of several claims", () => {
  it("writes its letter once, on the oldest claim, lists it on every claim of the plan and opens it from each", async () => {
    const resident = { nationalId: newNationalId(), name: "Siri Flerkrav" };
    const newer = await claimOf(resident, 200_000, "2026-10-22");
    const older = await claimOf(resident, 200_000, "2026-10-01");
    const outside = await claimOf(resident, 200_000, "2026-09-15");
    const { residentId } = older;
    const result = await requestPlan({
      residentId,
      claimIds: [newer.claimId, older.claimId],
      by: { months: 4 },
      now: NOW,
    });
    expect(result).toMatchObject({ ok: true, status: "ACTIVE" });
    if (!result.ok) return;
    const [granted, ...more] = await planLetters(result.planId);
    expect(more).toEqual([]);
    expect(granted).toMatchObject({ kind: "PLAN_GRANTED", claimId: older.claimId });

    const listed = async (claimId: string) =>
      (await getResidentClaimPage(residentId, claimId, NOW))!.letters.filter(
        (l) => l.id === granted!.id,
      );
    expect(await listed(older.claimId)).toMatchObject([{ state: "sending", elsewhere: false }]);
    expect(await listed(newer.claimId)).toMatchObject([{ state: "sending", elsewhere: true }]);
    expect(await listed(outside.claimId)).toEqual([]);
    // Not yet sent: nothing to download, from any claim.
    expect(await residentLetterPdf(residentId, newer.claimId, granted!.id)).toBeNull();

    await sendLetters(TODAY);
    for (const claim of [older, newer]) {
      const [letter] = await listed(claim.claimId);
      expect(letter).toMatchObject({ state: "sent", channel: "PRINT", downloadable: true });
      const pdf = await residentLetterPdf(residentId, claim.claimId, granted!.id);
      expect(pdf?.fileName).toContain(older.externalId);
      const { text } = await readPdf(pdf!.pdf);
      expect(text).toContain("Siri Flerkrav");
    }
    // Not from a claim outside the plan, nor for anyone else.
    expect(await residentLetterPdf(residentId, outside.claimId, granted!.id)).toBeNull();
    const stranger = await claimFor(100_000);
    expect(await residentLetterPdf(stranger.residentId, newer.claimId, granted!.id)).toBeNull();
    expect(await residentLetterPdf(stranger.residentId, stranger.claimId, granted!.id)).toBeNull();
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

  it("paid in full, the plan is complete and the resident is told by letter, though the claim is closed", async () => {
    const { claimId, residentId } = await claimFor(300_000);
    const result = await requestPlan({
      residentId,
      claimIds: [claimId],
      by: { months: 3 },
      now: NOW,
    });
    if (!result.ok) throw new Error(result.error);
    const view = (await getResidentPlan(residentId, result.planId, NOW))!;
    const file = camt054(`PLAN-ALL-${run}`, [
      { reference: view.reference, amount: view.total, bookedOn: TODAY },
    ]);
    // The schedule's interest is an estimate up to the last due date: paid today, a little over.
    expect(await importBankFile(file, "test")).toMatchObject({ ok: true, unmatched: 0 });
    expect((await stageOf(claimId)).status).toBe("PAID");
    await sweep(addDays(TODAY, 1));
    expect(
      (await db().paymentPlan.findUniqueOrThrow({ where: { id: result.planId } })).status,
    ).toBe("COMPLETED");
    await sendLetters(addDays(TODAY, 1));
    const letters = await planLetters(result.planId);
    expect(letters.map((x) => [x.kind, x.status, x.channel, x.claimId])).toEqual([
      ["PLAN_GRANTED", "DISPATCHED", "PRINT", claimId],
      ["PLAN_COMPLETED", "DISPATCHED", "PRINT", claimId],
    ]);
    expect(letters[1]!.content).toMatchObject({ payment: null, deadline: null });
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
