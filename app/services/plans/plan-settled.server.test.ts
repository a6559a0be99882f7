import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { camt054 } from "../../../server/test-support/camt054";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { decidePlanRequest, restructurePlan } from "../backoffice/plans.server";
import { staffPlanView } from "../backoffice/plan-views.server";
import { receiveClaim } from "../claims/intake.server";
import { runSweep } from "../escalation/sweep.server";
import type { DecisionContent } from "../letters/decision-notices.server";
import { importBankFile } from "../payments/bank-import.server";
import { getResidentClaimPage } from "../portal/claims.server";
import { answerOffer, previewPlan, requestPlan } from "./plans.server";
import { getResidentPlan, planCalendar } from "./resident-plans.server";

/*
 * Issue 15, the plans paragraph: a plan whose claims are all paid completes at once; staff cannot
 * approve or change a plan on paid or closed claims (nor a resident ask for one); a deferral has
 * one amount to pay, the same everywhere; a plan fee that is too large a share of what is owed
 * goes to staff.
 */

const run = Date.now().toString(36);
const NOW = new Date("2026-11-23T10:00:00Z"); // a Monday
const TODAY = "2026-11-23";
let no: Awaited<ReturnType<typeof createTestCreditor>>;
let se: Awaited<ReturnType<typeof createTestCreditor>>;
let n = 0;

function norwegianId() {
  for (;;) {
    n += 1;
    const id = makeNorwegianFodselsnummer("1968-03-14", 100 + (n % 400), { synthetic: true });
    if (id) return id;
  }
}

async function claimOf(
  creditor: typeof no,
  resident: { nationalId: string; name: string },
  principal: number,
) {
  n += 1;
  const country = creditor.creditor.country;
  const result = await receiveClaim(
    creditor.caller,
    {
      externalId: `SETTLED-${run}-${n}`,
      claimType: "water",
      resident: {
        ...resident,
        address: { lines: [`Betalt gate ${n}`], postalCode: "2408", city: "Elverum" },
      },
      description: `Vann ${n}`,
      currency: country === "NO" ? "NOK" : "SEK",
      principal,
      issuedOn: "2026-09-01",
      dueOn: "2026-10-22",
    },
    new Date("2026-10-25T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  const claim = await db().claim.findUniqueOrThrow({ where: { id: result.claim.id } });
  return { claimId: claim.id, residentId: claim.residentId, reference: claim.paymentReference };
}

const newResident = () => ({ nationalId: norwegianId(), name: `Betaler ${n}` });

/** A new resident with one Norwegian claim of `amount`, asking for a plan over `months`. */
async function askPlan(amount: number, months: number) {
  const who = await claimOf(no, newResident(), amount);
  const result = await requestPlan({
    residentId: who.residentId,
    claimIds: [who.claimId],
    by: { months },
    now: NOW,
  });
  return { who, result };
}
/** A plan over `claims` (one resident's) that the rules grant at once: its id. */
async function planGranted(
  claims: { claimId: string; residentId: string }[],
  by: { months: number } | { deferMonths: number },
) {
  const result = await requestPlan({
    residentId: claims[0]!.residentId,
    claimIds: claims.map((c) => c.claimId),
    by,
    now: NOW,
  });
  expect(result).toMatchObject({ ok: true, status: "ACTIVE" });
  if (!result.ok) throw new Error(result.error);
  return result.planId;
}
const staff = (creditorId: string) => ({
  staffId: randomUUID(),
  role: "SUPERVISOR" as const,
  creditorIds: [creditorId],
});
const planOf = (id: string) => db().paymentPlan.findUniqueOrThrow({ where: { id } });
const lettersOf = (planId: string) =>
  db().notice.findMany({ where: { planId }, orderBy: { createdAt: "asc" } });

/** A bank file paying `amount` with `reference`, booked today. */
let files = 0;
async function bankPays(reference: string, amount: number, bookedOn = TODAY) {
  files += 1;
  const file = camt054(`SETTLED-${run}-${files}`, [{ reference, amount, bookedOn }]);
  const result = await importBankFile(file, "test");
  expect(result).toMatchObject({ ok: true, unmatched: 0 });
}

/** What the claim owes today, as its page shows it. */
async function owedToday(who: { claimId: string; residentId: string }) {
  const page = await getResidentClaimPage(who.residentId, who.claimId, NOW);
  return page!.claim.statement.balance.total;
}

beforeAll(async () => {
  await seedDemo();
  no = await createTestCreditor(`settled-${run}`, "NO");
  se = await createTestCreditor(`settled-se-${run}`, "SE");
});
afterAll(async () => {
  await disconnectDb();
});

describe("a plan whose claims are all paid", () => {
  it("completes at once when a bank payment with the claims' own references pays them, with its event and letter", async () => {
    const resident = newResident();
    const a = await claimOf(no, resident, 200_000);
    const b = await claimOf(no, resident, 300_000);
    const planId = await planGranted([a, b], { months: 4 });

    // The first claim paid: the plan goes on (one claim is still owed).
    await bankPays(a.reference, await owedToday(a));
    expect((await planOf(planId)).status).toBe("ACTIVE");

    // The last claim paid, by its own reference, not the plan's: complete at once, no sweep.
    await bankPays(b.reference, await owedToday(b));
    const plan = await planOf(planId);
    expect(plan).toMatchObject({ status: "COMPLETED", endReason: "paid" });
    expect((await getResidentPlan(a.residentId, planId, NOW))?.next).toBeNull();
    const letters = await lettersOf(planId);
    expect(letters.map((l) => l.kind)).toEqual(["PLAN_GRANTED", "PLAN_COMPLETED"]);
    const events = await db().event.findMany({
      where: { type: "plan.completed", data: { path: ["planId"], equals: planId } },
    });
    expect(events).toHaveLength(1);
    const holds = await db().hold.findMany({
      where: { claimId: { in: [a.claimId, b.claimId] }, releasedOn: null },
    });
    expect(holds).toEqual([]);
  });

  it("completes at once when the plan's own reference pays it all", async () => {
    const { who, result } = await askPlan(300_000, 3);
    if (!result.ok) throw new Error(result.error);
    const plan = await planOf(result.planId);
    await bankPays(plan.reference, await owedToday(who));
    expect((await planOf(result.planId)).status).toBe("COMPLETED");
    // The day's sweep finds nothing more to do.
    const summary = await runSweep({
      asOf: addDays(TODAY, 1),
      creditorSlug: `settled-${run}`,
      publicUrl: "http://localhost:3000",
    });
    expect(summary).toMatchObject({ plans: { completed: 0 } });
  });

  it("a request that waits for staff completes too once its claims are paid: nothing is left to decide", async () => {
    const { who, result } = await askPlan(3_000_000, 30);
    expect(result).toMatchObject({ ok: true, status: "REQUESTED" });
    if (!result.ok) return;
    await bankPays(who.reference, await owedToday(who));
    expect((await planOf(result.planId)).status).toBe("COMPLETED");
    expect(
      await decidePlanRequest(staff(no.creditor.id), {
        planId: result.planId,
        decision: "approve",
        reason: "",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "wrong_status" });
  });

  it("the sweep completes a plan left open on claims closed some other way", async () => {
    const { who, result } = await askPlan(3_000_000, 30);
    if (!result.ok) throw new Error(result.error);
    // As a plan left behind would stand: its one claim closed without a payment's booking.
    await db().claim.update({ where: { id: who.claimId }, data: { status: "CANCELLED" } });
    const summary = await runSweep({
      asOf: addDays(TODAY, 1),
      creditorSlug: `settled-${run}`,
      publicUrl: "http://localhost:3000",
    });
    expect(summary).toMatchObject({ plans: { completed: 1 } });
    expect((await planOf(result.planId)).status).toBe("COMPLETED");
  });
});

describe("a payment and a plan someone else holds", () => {
  it("the payment does not wait for the plan (no deadlock with the sweep): it lands, and the sweep completes the plan", async () => {
    const { who, result } = await askPlan(300_000, 3);
    if (!result.ok) throw new Error(result.error);
    const owed = await owedToday(who);
    // Another transaction (as the sweep's, deciding this plan) holds the plan's row meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db().$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "PaymentPlan" WHERE id = ${result.planId}::uuid FOR UPDATE`;
        locked();
        await held;
      },
      { timeout: 30_000 },
    );
    await isLocked;
    try {
      await bankPays(who.reference, owed);
    } finally {
      release();
      await holder;
    }
    expect((await db().claim.findUniqueOrThrow({ where: { id: who.claimId } })).status).toBe(
      "PAID",
    );
    expect((await planOf(result.planId)).status).toBe("ACTIVE");
    const summary = await runSweep({
      asOf: addDays(TODAY, 1),
      creditorSlug: `settled-${run}`,
      publicUrl: "http://localhost:3000",
    });
    expect(summary).toMatchObject({ plans: { completed: 1 } });
    expect((await planOf(result.planId)).status).toBe("COMPLETED");
  });
});

describe("staff and a plan on paid or closed claims", () => {
  it("cannot approve a request as asked once one of its claims is paid; nothing changes", async () => {
    const resident = newResident();
    const a = await claimOf(no, resident, 1_500_000);
    const b = await claimOf(no, resident, 1_500_000);
    const result = await requestPlan({
      residentId: a.residentId,
      claimIds: [a.claimId, b.claimId],
      by: { months: 30 },
      now: NOW,
    });
    expect(result).toMatchObject({ ok: true, status: "REQUESTED" });
    if (!result.ok) return;
    await bankPays(a.reference, await owedToday(a));
    const before = await planOf(result.planId);
    expect(before.status).toBe("REQUESTED");
    expect(
      await decidePlanRequest(staff(no.creditor.id), {
        planId: result.planId,
        decision: "approve",
        reason: "",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "claims_closed" });
    expect(await planOf(result.planId)).toEqual(before);
    expect(await lettersOf(result.planId)).toEqual([]);
    expect(await db().charge.count({ where: { claimId: b.claimId, kind: "PLAN_FEE" } })).toBe(0);
    // A changed schedule for what is still owed is a decision staff may make.
    expect(
      await decidePlanRequest(staff(no.creditor.id), {
        planId: result.planId,
        decision: "offer",
        reason: "Twelve months for the bill still owed",
        by: { months: 12 },
        now: NOW,
      }),
    ).toEqual({ ok: true });
  });

  it("cannot approve as asked a request whose claim was part paid since: the schedule asks too much", async () => {
    const { who, result } = await askPlan(3_000_000, 30);
    if (!result.ok) throw new Error(result.error);
    await bankPays(who.reference, (await owedToday(who)) - 694);
    expect(
      await decidePlanRequest(staff(no.creditor.id), {
        planId: result.planId,
        decision: "approve",
        reason: "",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "paid_since_request" });
    expect((await planOf(result.planId)).status).toBe("REQUESTED");
    expect(await lettersOf(result.planId)).toEqual([]);
  });

  it("cannot offer, restructure or accept a plan whose claims are all closed", async () => {
    const { who, result: asked } = await askPlan(3_000_000, 30);
    if (!asked.ok) throw new Error(asked.error);
    await db().claim.update({ where: { id: who.claimId }, data: { status: "WRITTEN_OFF" } });
    const offer = {
      planId: asked.planId,
      decision: "offer" as const,
      reason: "Twelve months then",
      by: { months: 12 },
      now: NOW,
    };
    expect(await decidePlanRequest(staff(no.creditor.id), offer)).toEqual({
      ok: false,
      error: "claims_closed",
    });

    const { who: other, result: active } = await askPlan(600_000, 6);
    if (!active.ok) throw new Error(active.error);
    await db().claim.update({ where: { id: other.claimId }, data: { status: "CANCELLED" } });
    const before = await planOf(active.planId);
    expect(
      await restructurePlan(staff(no.creditor.id), {
        planId: active.planId,
        by: { months: 3 },
        reason: "Shorter plan after a talk",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "claims_closed" });
    expect(await planOf(active.planId)).toEqual(before);

    // An offer made, then the claim closed: the resident cannot accept it.
    const { who: third, result: req } = await askPlan(3_000_000, 30);
    if (!req.ok) throw new Error(req.error);
    expect(
      await decidePlanRequest(staff(no.creditor.id), { ...offer, planId: req.planId }),
    ).toEqual({ ok: true });
    await db().claim.update({ where: { id: third.claimId }, data: { status: "CANCELLED" } });
    expect(
      await answerOffer({
        residentId: third.residentId,
        planId: req.planId,
        accept: true,
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "claim_closed" });
    expect((await planOf(req.planId)).status).toBe("OFFERED");
  });

  it("a resident cannot ask for a plan on a paid bill, and is told why", async () => {
    const who = await claimOf(no, newResident(), 200_000);
    await bankPays(who.reference, await owedToday(who));
    const input = { residentId: who.residentId, claimIds: [who.claimId], now: NOW };
    expect(await previewPlan({ ...input, by: { months: 2 } })).toEqual({
      ok: false,
      error: "claim_closed",
    });
    expect(await requestPlan({ ...input, by: { months: 2 } })).toEqual({
      ok: false,
      error: "claim_closed",
    });
    expect(await db().planClaim.count({ where: { claimId: who.claimId } })).toBe(0);
  });
});

describe("a deferral", () => {
  it("has one amount to pay, the same on its page, its schedule, its letter, its calendar, the claim page and the staff view, and paid on its day it settles the claim", async () => {
    const who = await claimOf(no, newResident(), 420_000);
    const planId = await planGranted([who], { deferMonths: 2 });
    const page = (await getResidentPlan(who.residentId, planId, NOW))!;
    expect(page.deferral).toBe(true);
    expect(page.instalments).toHaveLength(1);
    const [only] = page.instalments;
    const amount = only!.amount;
    // Interest to the deferred date is in it: more than is owed today.
    expect(amount).toBeGreaterThan(page.owedNow);
    expect(page.total).toBe(amount);
    expect(page.next).toMatchObject({ dueOn: only!.dueOn, amount });
    // Paying online today costs what is owed today; the page says so without a second amount.
    expect(page.next!.payNow).toBe(page.owedNow);

    const [letter] = await lettersOf(planId);
    const content = letter!.content as DecisionContent;
    expect(content.payment?.amount).toBe(amount);
    expect(content.plan?.instalments).toEqual([{ dueOn: only!.dueOn, amount }]);

    const ics = await planCalendar(who.residentId, planId, NOW);
    expect(ics).toContain(`${(amount / 100).toFixed(2)} NOK`);

    const claimPage = await getResidentClaimPage(who.residentId, who.claimId, NOW);
    expect(claimPage!.plan?.deferralDue).toMatchObject({ dueOn: only!.dueOn, amount });

    const view = await staffPlanView(staff(no.creditor.id), planId, NOW);
    expect(view!.instalments.map((i) => i.amount)).toEqual([amount]);
    expect(view!.health?.next).toMatchObject({ dueOn: only!.dueOn, amount });

    // Paid on the deferred date, that amount leaves nothing: the claim closes and the plan is done.
    await bankPays(page.reference, amount, only!.dueOn);
    const claim = await db().claim.findUniqueOrThrow({ where: { id: who.claimId } });
    expect(claim.status).toBe("PAID");
    const payment = await db().payment.findFirstOrThrow({ where: { claimId: who.claimId } });
    expect(payment.creditAmount).toBe(0);
    expect((await planOf(planId)).status).toBe("COMPLETED");
  });
});

describe("plan fees are part of the rules", () => {
  function swedishResident() {
    n += 1;
    return {
      nationalId: makeSwedishPersonnummer("1961-05-17", (Date.now() + n * 37) % 1000, {
        coordination: true,
      }),
      name: `Betalare ${n}`,
    };
  }

  it("a 100 kr fee on a 150 kr balance is not granted at once: it goes to staff, who see why", async () => {
    const who = await claimOf(se, swedishResident(), 15_000);
    const preview = await previewPlan({
      residentId: who.residentId,
      claimIds: [who.claimId],
      by: { months: 1 },
      now: NOW,
    });
    expect(preview).toMatchObject({ ok: true, fee: 10_000, within: false });
    expect(preview.ok && preview.reasons).toEqual(["fee_above_share"]);
    const asked = await requestPlan({
      residentId: who.residentId,
      claimIds: [who.claimId],
      by: { months: 1 },
      now: NOW,
    });
    expect(asked).toMatchObject({ ok: true, status: "REQUESTED" });
    if (!asked.ok) return;
    expect((await planOf(asked.planId)).outsideRules).toEqual(["fee_above_share"]);
    // No fee is charged until a person decides.
    expect(await db().charge.count({ where: { claimId: who.claimId, kind: "PLAN_FEE" } })).toBe(0);
  });

  it("the same fee on a larger balance stays within the rules", async () => {
    const who = await claimOf(se, swedishResident(), 120_000);
    const preview = await previewPlan({
      residentId: who.residentId,
      claimIds: [who.claimId],
      by: { months: 2 },
      now: NOW,
    });
    expect(preview).toMatchObject({ ok: true, fee: 10_000, within: true });
  });
});

describe("a bank payment with a plan's reference", () => {
  it("is spread over the plan's claims, oldest first, each part a payment of its own, and the entry is matched on the first", async () => {
    const resident = newResident();
    const a = await claimOf(no, resident, 200_000);
    const b = await claimOf(no, resident, 300_000);
    const planId = await planGranted([a, b], { months: 4 });
    const plan = await planOf(planId);
    // Both fall due on one day: the older is the one with the lower id.
    const [first, second] = [a, b].sort((x, y) => (x.claimId < y.claimId ? -1 : 1));
    const owedFirst = await owedToday(first!);
    await bankPays(plan.reference, owedFirst + 50_000);

    const payments = await db().payment.findMany({
      where: { claimId: { in: [a.claimId, b.claimId] } },
    });
    const byClaim = new Map(payments.map((p) => [p.claimId, p]));
    expect(payments).toHaveLength(2);
    expect(byClaim.get(first!.claimId)).toMatchObject({ amount: owedFirst, creditAmount: 0 });
    expect(byClaim.get(second!.claimId)).toMatchObject({ amount: 50_000, creditAmount: 0 });
    for (const p of payments) expect(p.providerRef).toMatch(new RegExp(`:${p.claimId}$`));
    const entry = await db().bankEntry.findFirstOrThrow({ where: { reference: plan.reference } });
    expect(entry).toMatchObject({
      status: "MATCHED",
      claimId: first!.claimId,
      paymentId: byClaim.get(first!.claimId)!.id,
    });
    const status = async (id: string) =>
      (await db().claim.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(first!.claimId)).toBe("PAID");
    expect(await status(second!.claimId)).toBe("OPEN");
    // One claim still owed: the plan goes on, and the payment counts towards it.
    expect((await planOf(planId)).status).toBe("ACTIVE");
    const view = await getResidentPlan(a.residentId, planId, NOW);
    expect(view?.instalments[0]?.settled).toBe(true);
  });

  it("in another currency than the plan's books nothing and goes to staff as a mismatch", async () => {
    n += 1;
    const who = await claimOf(
      se,
      {
        nationalId: makeSwedishPersonnummer("1962-08-21", (Date.now() + n * 41) % 1000, {
          coordination: true,
        }),
        name: `Betalare ${n}`,
      },
      120_000,
    );
    const planId = await planGranted([who], { months: 2 });
    const plan = await planOf(planId);
    files += 1;
    // The test file's entries are in NOK; the plan is in SEK.
    const file = camt054(`SETTLED-${run}-${files}`, [
      { reference: plan.reference, amount: 60_000, bookedOn: TODAY },
    ]);
    expect(await importBankFile(file, "test")).toMatchObject({
      ok: true,
      matched: 0,
      mismatched: 1,
      unmatched: 0,
    });
    expect(await db().payment.count({ where: { claimId: who.claimId } })).toBe(0);
    const entry = await db().bankEntry.findFirstOrThrow({ where: { reference: plan.reference } });
    expect(entry).toMatchObject({ status: "MISMATCH", claimId: who.claimId, paymentId: null });
    const task = await db().staffTask.findUniqueOrThrow({
      where: { sourceKey: `bank:${entry.entryKey}` },
    });
    expect(task).toMatchObject({
      kind: "PAYMENT_MISMATCH",
      status: "OPEN",
      creditorId: se.creditor.id,
      claimId: who.claimId,
      data: { amount: 60_000, currency: "NOK", expected: "SEK", planId: plan.id },
    });
  });
});
