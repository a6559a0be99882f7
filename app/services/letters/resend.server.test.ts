import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { decisionOf, statementOf } from "~/domain/claim";
import { dispatchDeadline } from "~/domain/letters";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { loadClaims } from "../claims/load-claims.server";
import { runSweep } from "../escalation/sweep.server";
import { openAddress } from "../identity/residents.server";
import { loadLawBook } from "../law/legal-figures.server";
import { dispatchLetters } from "./dispatch.server";
import { markDispatched, markUndelivered } from "./notice-moves.server";
import { makePrintBatch } from "./print-batches.server";
import { recordReturnedLetter, resendNotice, type LetterStaff } from "./resend.server";

// Batches go to a directory of this run's own.
process.env.PRINT_BATCH_DIR = mkdtempSync(path.join(tmpdir(), "resend-batches-"));

const slug = `resend-${Date.now().toString(36)}`;
const other = `resend-other-${Date.now().toString(36)}`;
const DUE = "2026-02-02";
const SWEPT = addDays(DUE, 20);
const PRINTED = addDays(SWEPT, 1);
const NO_INTEGRATIONS = { krr: null, far: null, eformidling: null, kivra: null };
const OLD_ADDRESS = { lines: ["Gamleveien 1"], postalCode: "2408", city: "Elverum" };
const NEW_ADDRESS = {
  lines: ["Nyveien 22 H0101"],
  postalCode: "2409",
  city: "Elverum",
  country: "NO",
};

let agent: LetterStaff;
let stranger: LetterStaff;
let creditorId: string;

async function claimWithLetter(externalId: string, nationalId: string) {
  const { caller } =
    externalId === "R-1" ? await createTestCreditor(slug) : { caller: await callerOf(slug) };
  const result = await receiveClaim(
    caller,
    {
      externalId,
      claimType: "water",
      resident: { nationalId, name: `Rita ${externalId}`, address: OLD_ADDRESS },
      description: "Vann og avløp",
      currency: "NOK",
      principal: 120_000,
      issuedOn: addDays(DUE, -30),
      dueOn: DUE,
    },
    new Date(`${addDays(DUE, 1)}T12:00:00Z`),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  return result.claim.id;
}

async function callerOf(s: string) {
  const c = await db().creditor.findUniqueOrThrow({ where: { slug: s } });
  return {
    creditorId: c.id,
    keyId: "test",
    country: c.country,
    currency: c.currency,
    timeZone: c.timeZone,
  };
}

const noticesOf = (claimId: string) =>
  db().notice.findMany({ where: { claimId }, orderBy: { createdAt: "asc" } });
const eventsOf = (claimId: string, type: string) =>
  db().event.findMany({ where: { claimId, type }, orderBy: { id: "asc" } });

async function decision(claimId: string, today: string) {
  const law = await loadLawBook();
  const [claim] = await loadClaims(undefined, { ids: [claimId] });
  return decisionOf(claim!, statementOf(claim!, law, today), law, today);
}

let claimA: string;
let claimB: string;

beforeAll(async () => {
  await seedDemo();
  claimA = await claimWithLetter("R-1", "06866120046");
  claimB = await claimWithLetter("R-2", "27829010068");
  const { creditor: otherCreditor } = await createTestCreditor(other);
  creditorId = (await db().creditor.findUniqueOrThrow({ where: { slug } })).id;
  agent = {
    staffId: "00000000-0000-4000-8000-00000000a001",
    role: "AGENT",
    creditorIds: [creditorId],
  };
  stranger = {
    staffId: "00000000-0000-4000-8000-00000000a002",
    role: "SUPERVISOR",
    creditorIds: [otherCreditor.id],
  };
  await runSweep({ asOf: SWEPT, creditorSlug: slug, publicUrl: "http://localhost:3000" });
}, 120_000);
afterAll(() => disconnectDb());

describe("a letter that did not arrive, seen by staff", () => {
  it("a paper letter goes out in the print batch, and the post brings it back: the claim stops", async () => {
    const [pending] = await noticesOf(claimA);
    expect(pending).toMatchObject({ kind: "REMINDER", status: "PENDING" });
    // Only claim A's letter leaves now; claim B's waits for the test further down.
    await db().notice.updateMany({
      where: { claimId: claimB },
      data: { nextAttemptAt: new Date("2100-01-01") },
    });
    await dispatchLetters({ asOf: PRINTED, creditorId, integrations: NO_INTEGRATIONS });
    const batch = await makePrintBatch({ creditorSlug: slug, actor: "test", asOf: PRINTED });
    expect(batch?.letters).toBe(1);
    const [sent] = await noticesOf(claimA);
    expect(sent).toMatchObject({ status: "DISPATCHED", channel: "PRINT" });

    const short = await recordReturnedLetter({ noticeId: sent!.id, staff: agent, reason: "no" });
    expect(short).toEqual({ ok: false, error: "reason_required" });

    const r = await recordReturnedLetter({
      noticeId: sent!.id,
      staff: agent,
      reason: "Returned by the post: addressee unknown",
      on: addDays(PRINTED, 5),
    });
    expect(r).toEqual({ ok: true });
    const [returned] = await noticesOf(claimA);
    expect(returned).toMatchObject({
      status: "RETURNED",
      failedReason: "Returned by the post: addressee unknown",
    });
    const [event] = await eventsOf(claimA, "notice.returned");
    expect(event).toMatchObject({ actor: `staff:${agent.staffId}` });
    expect(await decision(claimA, addDays(PRINTED, 40))).toMatchObject({
      kind: "stop",
      reason: "letter_not_delivered",
    });
    const claim = await db().claim.findUniqueOrThrow({ where: { id: claimA } });
    expect(claim.nextActionOn).toBeNull();
  });

  it("refuses another creditor's staff: not found, and nothing changes", async () => {
    const [returned] = await noticesOf(claimA);
    const before = await db().event.count({ where: { claimId: claimA } });
    const r = await resendNotice({
      noticeId: returned!.id,
      staff: stranger,
      reason: "Trying someone else's letter",
      channel: "PRINT",
      address: NEW_ADDRESS,
    });
    expect(r).toEqual({ ok: false, error: "not_found" });
    expect(
      await recordReturnedLetter({
        noticeId: returned!.id,
        staff: stranger,
        reason: "Not mine at all",
      }),
    ).toEqual({ ok: false, error: "not_found" });
    expect(await noticesOf(claimA)).toHaveLength(1);
    expect((await noticesOf(claimA))[0]!.status).toBe("RETURNED");
    expect(await db().event.count({ where: { claimId: claimA } })).toBe(before);
    const resident = await db().claim.findUniqueOrThrow({
      where: { id: claimA },
      include: { resident: true },
    });
    expect(openAddress(resident.resident.addressCipher)).toMatchObject(OLD_ADDRESS);
  });

  it("sends it again to a corrected address; dispatch gives the step a fresh deadline", async () => {
    const [returned] = await noticesOf(claimA);
    const step = await db().claimStep.findUniqueOrThrow({ where: { id: returned!.stepId! } });
    const resentOn = addDays(PRINTED, 6);
    const r = await resendNotice({
      noticeId: returned!.id,
      staff: agent,
      reason: "New address from the population register",
      channel: "PRINT",
      address: NEW_ADDRESS,
      on: resentOn,
    });
    if (!r.ok) throw new Error(r.error);
    const [old, fresh] = await noticesOf(claimA);
    expect(old).toMatchObject({ id: returned!.id, status: "RESENT", stepId: step.id });
    expect(fresh).toMatchObject({
      id: r.newNoticeId,
      status: "PENDING",
      kind: "REMINDER",
      channel: "PRINT",
      resendOfId: old!.id,
      stepId: null,
      language: old!.language,
      deadlineDays: old!.deadlineDays,
    });
    expect(fresh!.channelReason).toBe("chosen by staff: New address from the population register");
    expect(fresh!.content).toEqual(old!.content);
    expect(openAddress(fresh!.addressCipher)).toEqual(NEW_ADDRESS);
    const resident = await db().claim.findUniqueOrThrow({
      where: { id: claimA },
      include: { resident: true },
    });
    expect(openAddress(resident.resident.addressCipher)).toEqual(NEW_ADDRESS);
    const [resent] = await eventsOf(claimA, "notice.resent");
    expect(resent).toMatchObject({
      actor: `staff:${agent.staffId}`,
      data: {
        noticeId: old!.id,
        newNoticeId: fresh!.id,
        channel: "PRINT",
        reason: "New address from the population register",
        addressCorrected: true,
      },
    });
    expect(
      await db().event.count({
        where: { residentId: resident.residentId, type: "resident.address_changed" },
      }),
    ).toBe(1);
    expect(await decision(claimA, addDays(resentOn, 30))).toMatchObject({
      kind: "stop",
      reason: "letter_on_its_way",
    });

    // The next print batch takes it: the deadline counts from that day, also on the step.
    const printedAgain = addDays(resentOn, 1);
    const batch = await makePrintBatch({ creditorSlug: slug, actor: "test", asOf: printedAgain });
    expect(batch?.letters).toBe(1);
    const dispatched = await db().notice.findUniqueOrThrow({ where: { id: fresh!.id } });
    const expected = dispatchDeadline({
      dispatchedOn: printedAgain,
      deadlineDays: fresh!.deadlineDays!,
      channel: "PRINT",
      postalDays: 2,
      country: "NO",
    });
    expect(dispatched.status).toBe("DISPATCHED");
    expect(isoOf(dispatched.dispatchedOn!)).toBe(printedAgain);
    expect(isoOf(dispatched.deadline!)).toBe(expected);
    const stepAfter = await db().claimStep.findUniqueOrThrow({ where: { id: step.id } });
    expect(isoOf(stepAfter.deadline!)).toBe(expected);
    expect(isoOf(stepAfter.deadline!) > isoOf(step.deadline!)).toBe(true);
    const claim = await db().claim.findUniqueOrThrow({ where: { id: claimA } });
    // The next look is the day after the fresh deadline.
    expect(claim.nextActionOn ? isoOf(claim.nextActionOn) : null).toBe(addDays(expected, 1));
  });

  it("refuses to send the same letter again twice", async () => {
    const [old] = await noticesOf(claimA);
    const before = await db().event.count({ where: { claimId: claimA } });
    const r = await resendNotice({ noticeId: old!.id, staff: agent, reason: "Once more, please" });
    expect(r).toEqual({ ok: false, error: "wrong_state" });
    expect(await noticesOf(claimA)).toHaveLength(2);
    expect(await db().event.count({ where: { claimId: claimA } })).toBe(before);
  });

  it("moves a fee still waiting to the new letter, and a re-send of a re-send still carries the step", async () => {
    const law = await loadLawBook();
    const [pending] = await noticesOf(claimB);
    const fee = await db().charge.findFirstOrThrow({ where: { pendingNoticeId: pending!.id } });
    await db().$transaction((tx) =>
      markUndelivered(tx, law, {
        noticeId: pending!.id,
        move: "fail",
        reason: "bounced",
        on: PRINTED,
      }),
    );
    const first = await resendNotice({
      noticeId: pending!.id,
      staff: agent,
      reason: "Choose the channel again",
      channel: null,
      on: PRINTED,
    });
    if (!first.ok) throw new Error(first.error);
    expect(await db().charge.findUniqueOrThrow({ where: { id: fee.id } })).toMatchObject({
      pendingNoticeId: first.newNoticeId,
    });
    const fresh = await db().notice.findUniqueOrThrow({ where: { id: first.newNoticeId } });
    expect(fresh).toMatchObject({ channel: null, channelReason: null, status: "PENDING" });

    // It fails too (no mailbox this time); sent again, and then it leaves.
    await db().$transaction((tx) =>
      markUndelivered(tx, law, {
        noticeId: first.newNoticeId,
        move: "fail",
        reason: "x",
        on: PRINTED,
      }),
    );
    const second = await resendNotice({
      noticeId: first.newNoticeId,
      staff: { ...agent, role: "ADMIN" },
      reason: "Third time, on paper",
      channel: "PRINT",
      on: PRINTED,
    });
    if (!second.ok) throw new Error(second.error);
    const leaves = addDays(PRINTED, 3);
    const deadlines = await db().$transaction((tx) =>
      markDispatched(tx, law, [
        { noticeId: second.newNoticeId, on: leaves, channel: "PRINT", why: "t", provider: "print" },
      ]),
    );
    const step = await db().claimStep.findUniqueOrThrow({ where: { id: pending!.stepId! } });
    expect(isoOf(step.deadline!)).toBe(deadlines.get(second.newNoticeId));
    expect(await db().charge.findUniqueOrThrow({ where: { id: fee.id } })).toMatchObject({
      pendingNoticeId: null,
    });
    expect(isoOf((await db().charge.findUniqueOrThrow({ where: { id: fee.id } })).chargedOn)).toBe(
      leaves,
    );
  });
});
