import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, nextBankDay, todayIn } from "~/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { dispatchPendingOnPaper } from "../../../server/test-support/letters";
import { receiveClaim } from "../claims/intake.server";
import { fileDispute } from "../disputes/disputes.server";
import { runSweep } from "../escalation/sweep.server";
import { getResidentClaimPage } from "../portal/claims.server";
import { decideDispute } from "./decisions.server";
import type { StaffContext } from "./queues.server";

// Issue 15: after a rejected objection, "what happens next" said both "a new deadline will be
// sent today" and (the objection's decision) "your new last day to pay is 21 December", and the
// engine then sent a second fresh deadline. The rejection's deadline is the fresh deadline:
// one story, told once.

const slug = `reject-${Date.now().toString(36)}`;
const NOW = new Date("2026-12-07T10:00:00Z"); // a Monday; 14 days on is Monday 21 December
const TODAY = "2026-12-07";
let claimId = "";
let residentId = "";

/** A claim of a new creditor's, due 20 November, with a supervisor of that creditor. */
async function claimOfNewCreditor(creditorSlug: string, born: string, name: string) {
  const { caller, creditor } = await createTestCreditor(creditorSlug, "NO");
  const staff: StaffContext = {
    staffId: randomUUID(),
    role: "SUPERVISOR",
    creditorIds: [creditor.id],
  };
  let nationalId: string | null = null;
  for (let n = 312; !nationalId; n++)
    nationalId = makeNorwegianFodselsnummer(born, n, { synthetic: true });
  const r = await receiveClaim(
    caller,
    {
      externalId: `REJ-${creditorSlug}`,
      claimType: "water",
      resident: { nationalId, name },
      description: "Vann og avløp",
      currency: "NOK",
      principal: 150_000,
      issuedOn: "2026-10-20",
      dueOn: "2026-11-20",
    },
    new Date("2026-10-21T12:00:00Z"),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  const claim = await db().claim.findUniqueOrThrow({ where: { id: r.claim.id } });
  return { claimId: claim.id, residentId: claim.residentId, staff };
}

/** The resident objects at `filedAt`, the letter saying so leaves, and staff reject it at NOW. */
async function objectAndReject(
  c: { claimId: string; residentId: string; staff: StaffContext },
  filedAt: Date,
) {
  const filed = await fileDispute({
    residentId: c.residentId,
    claimId: c.claimId,
    reason: "ALREADY_PAID",
    text: "I paid this in cash at the town hall.",
    files: [],
    now: filedAt,
  });
  if (!filed.ok) throw new Error(JSON.stringify(filed));
  await dispatchPendingOnPaper(c.claimId, todayIn("Europe/Oslo", filedAt));
  const dispute = await db().dispute.findFirstOrThrow({ where: { claimId: c.claimId } });
  const decided = await decideDispute(c.staff, {
    disputeId: dispute.id,
    decision: "reject",
    reason: "No cash payment was registered.",
    now: NOW,
  });
  expect(decided).toEqual({ ok: true });
  await dispatchPendingOnPaper(c.claimId, TODAY);
}

beforeAll(async () => {
  await seedDemo();
  const c = await claimOfNewCreditor(slug, "1979-02-11", "Rolf Rejected");
  claimId = c.claimId;
  residentId = c.residentId;
  await objectAndReject(c, new Date("2026-11-25T10:00:00Z"));
});
afterAll(() => disconnectDb());

describe("what happens next after a rejected objection", () => {
  it("is the rejection's deadline, and the next step only after it", async () => {
    const page = await getResidentClaimPage(residentId, claimId, NOW);
    expect(page!.disputes.map((d) => d.freshDeadline)).toEqual(["2026-12-21"]);
    const next = page!.claim.next;
    // Not "a new deadline will be sent today": the reminder waits for the day after 21 December.
    expect(next).toMatchObject({ kind: "wait", on: "2026-12-22", action: { stage: "REMINDER" } });
    const letters = await db().notice.findMany({
      where: { claimId },
      select: { kind: true, content: true },
    });
    expect(letters.map((l) => l.kind).sort()).toEqual(["DISPUTE_RECEIVED", "DISPUTE_REJECTED"]);
    const rejection = letters.find((l) => l.kind === "DISPUTE_REJECTED")!;
    expect((rejection.content as { deadline: string }).deadline).toBe("2026-12-21");
  });

  it("gives no second fresh deadline: the sweep does nothing before the rejection's deadline", async () => {
    for (const day of [TODAY, addDays(TODAY, 1), "2026-12-21"])
      await runSweep({ asOf: day, creditorSlug: slug, publicUrl: "http://localhost" });
    expect(await db().notice.count({ where: { claimId, kind: "FRESH_DEADLINE" } })).toBe(0);
    const claim = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
    expect(claim.stage).toBe("INVOICED");
    expect(isoOf(claim.nextActionOn!)).toBe("2026-12-22");
    // The rejection's deadline is the resume step of the objection's pause.
    const steps = await db().claimStep.findMany({ where: { claimId } });
    expect(steps.map((s) => ({ key: s.key.split(":")[0], deadline: isoOf(s.deadline!) }))).toEqual([
      { key: "RESUME", deadline: "2026-12-21" },
    ]);
  });

  it("then takes the next step of the ladder, with no fresh deadline in between", async () => {
    await runSweep({ asOf: "2026-12-22", creditorSlug: slug, publicUrl: "http://localhost" });
    const kinds = (await db().notice.findMany({ where: { claimId }, select: { kind: true } })).map(
      (n) => n.kind,
    );
    expect(kinds.sort()).toEqual(["DISPUTE_RECEIVED", "DISPUTE_REJECTED", "REMINDER"]);
  });
});

// A resident who objects the day the reminder was posted already holds that reminder's deadline,
// which counts from the day it arrives: a rejection two weeks from its own day would name an
// earlier day than the one the engine waits for. The rejection names the later of the two.
describe("a rejection after a reminder whose deadline lies further out", () => {
  it("names the reminder's deadline, and the engine waits for the bank day after it", async () => {
    const slug2 = `reject-late-${Date.now().toString(36)}`;
    const c = await claimOfNewCreditor(slug2, "1981-03-12", "Rita Reminded");
    await runSweep({ asOf: TODAY, creditorSlug: slug2, publicUrl: "http://localhost" });
    await dispatchPendingOnPaper(c.claimId, TODAY);
    const reminder = await db().notice.findFirstOrThrow({
      where: { claimId: c.claimId, kind: "REMINDER" },
    });
    const reminderDeadline = isoOf(reminder.deadline!);
    // Posted: the days in the post come first, so it lies beyond the fresh deadline's 21 December.
    expect(reminderDeadline > "2026-12-21").toBe(true);

    await objectAndReject(c, new Date("2026-12-07T09:00:00Z"));

    const page = await getResidentClaimPage(c.residentId, c.claimId, NOW);
    expect(page!.disputes.map((d) => d.freshDeadline)).toEqual([reminderDeadline]);
    const rejection = await db().notice.findFirstOrThrow({
      where: { claimId: c.claimId, kind: "DISPUTE_REJECTED" },
    });
    expect((rejection.content as { deadline: string }).deadline).toBe(reminderDeadline);
    expect(page!.claim.next).toMatchObject({
      kind: "wait",
      on: nextBankDay(addDays(reminderDeadline, 1), "NO"),
      action: { stage: "COLLECTION_NOTICE" },
    });
  });
});
