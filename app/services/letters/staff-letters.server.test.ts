import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { queueCounts, queueItems } from "../backoffice/queues.server";
import { receiveClaim } from "../claims/intake.server";
import { runSweep } from "../escalation/sweep.server";
import { dispatchLetters } from "./dispatch.server";
import { makePrintBatch, printBatchFile } from "./print-batches.server";
import { recordReturnedLetter, resendNotice } from "./resend.server";
import { caseLetters, staffLetterPdf, staffPrintBatch } from "./staff-letters.server";

process.env.PRINT_BATCH_DIR = mkdtempSync(path.join(tmpdir(), "staff-letters-"));

const slug = `staffletters-${Date.now().toString(36)}`;
const DUE = "2026-02-02";
const PRINTED = addDays(DUE, 21);

let mine: { staffId: string; role: "AGENT"; creditorIds: string[] };
let theirs: { staffId: string; role: "SUPERVISOR"; creditorIds: string[] };
let claimId: string;
let batchId: string;

beforeAll(async () => {
  await seedDemo();
  const { creditor, caller } = await createTestCreditor(slug);
  const { creditor: other } = await createTestCreditor(`${slug}-other`);
  mine = {
    staffId: "00000000-0000-4000-8000-00000000b001",
    role: "AGENT",
    creditorIds: [creditor.id],
  };
  theirs = {
    staffId: "00000000-0000-4000-8000-00000000b002",
    role: "SUPERVISOR",
    creditorIds: [other.id],
  };
  const r = await receiveClaim(
    caller,
    {
      externalId: "SL-1",
      claimType: "water",
      resident: {
        nationalId: "14876810183",
        name: "Per Olsen",
        address: { lines: ["Storgata 5"], postalCode: "2408", city: "Elverum" },
      },
      description: "Vann og avløp",
      currency: "NOK",
      principal: 90_000,
      issuedOn: addDays(DUE, -30),
      dueOn: DUE,
    },
    new Date(`${addDays(DUE, 1)}T12:00:00Z`),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  claimId = r.claim.id;
  await runSweep({
    asOf: addDays(DUE, 20),
    creditorSlug: slug,
    publicUrl: "http://localhost:3000",
  });
  const noIntegrations = { krr: null, far: null, eformidling: null, kivra: null };
  await dispatchLetters({ asOf: PRINTED, creditorId: creditor.id, integrations: noIntegrations });
  batchId = (await makePrintBatch({ creditorSlug: slug, actor: "test", asOf: PRINTED }))!.batchId;
}, 120_000);
afterAll(() => disconnectDb());

describe("letters as staff see them", () => {
  it("lists a case's letters for its own creditor's staff only", async () => {
    const letters = await caseLetters(mine, claimId);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      kind: "REMINDER",
      status: "DISPATCHED",
      channel: "PRINT",
      dispatchedOn: PRINTED,
      printBatchId: batchId,
    });
    expect(await caseLetters(theirs, claimId)).toEqual([]);
  });

  it("gives the PDF that left to its creditor's staff, audited; to others nothing", async () => {
    const [letter] = await caseLetters(mine, claimId);
    expect(await staffLetterPdf(theirs, letter!.id)).toBeNull();
    const before = await db().event.count({ where: { claimId, type: "staff.viewed_letter" } });
    expect(before).toBe(0);
    const pdf = await staffLetterPdf(mine, letter!.id);
    expect(pdf!.pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf!.fileName).toBe(`SL-1-reminder-${PRINTED}.pdf`);
    const audit = await db().event.findFirstOrThrow({
      where: { claimId, type: "staff.viewed_letter" },
    });
    expect(audit).toMatchObject({ actor: `staff:${mine.staffId}`, data: { noticeId: letter!.id } });
  });

  it("puts a returned letter in the queue of its creditor's staff, not in another's", async () => {
    const [letter] = await caseLetters(mine, claimId);
    expect((await queueCounts(mine, ["letters"])).letters.count).toBe(0);
    const r = await recordReturnedLetter({
      noticeId: letter!.id,
      staff: mine,
      reason: "Returned: moved away",
      on: addDays(PRINTED, 4),
    });
    expect(r.ok).toBe(true);
    const counts = await queueCounts(mine, ["letters"]);
    expect(counts.letters.count).toBe(1);
    expect(counts.letters.oldest?.toISOString().slice(0, 10)).toBe(addDays(PRINTED, 4));
    const [item] = await queueItems(mine, "letters");
    expect(item).toMatchObject({
      claimId,
      title: "SL-1",
      letter: {
        residentName: "Per Olsen",
        kind: "REMINDER",
        status: "RETURNED",
        channel: "PRINT",
        reason: "Returned: moved away",
      },
    });
    expect((await queueCounts(theirs, ["letters"])).letters.count).toBe(0);
    expect(await queueItems(theirs, "letters")).toEqual([]);
  });

  it("gives a print batch's archive to its creditor's staff; none when it is gone", async () => {
    expect(await staffPrintBatch(theirs, batchId)).toBeNull();
    expect(await staffPrintBatch(mine, "not-a-uuid")).toBeNull();
    const file = await staffPrintBatch(mine, batchId);
    expect(file!.size).toBeGreaterThan(1000);
    expect(
      await db().event.count({
        where: { type: "staff.downloaded_print_batch", data: { equals: { batchId } } },
      }),
    ).toBe(1);
    rmSync((await printBatchFile(mine.creditorIds, batchId))!.path);
    expect(await staffPrintBatch(mine, batchId)).toBeNull();
  });

  it("keeps a channel staff chose, and sends the letter back to them when it cannot be used", async () => {
    const [returned] = await caseLetters(mine, claimId);
    const email = await resendNotice({
      noticeId: returned!.id,
      staff: mine,
      reason: "By email this time",
      channel: "EMAIL",
    });
    expect(email).toEqual({ ok: false, error: "no_email_consent" });
    expect(await caseLetters(mine, claimId)).toHaveLength(1);

    const r = await resendNotice({
      noticeId: returned!.id,
      staff: mine,
      reason: "To the digital mailbox",
      channel: "DIGITAL_MAILBOX",
      on: addDays(PRINTED, 5),
    });
    if (!r.ok) throw new Error(r.error);
    const noIntegrations = { krr: null, far: null, eformidling: null, kivra: null };
    const sent = await dispatchLetters({
      asOf: addDays(PRINTED, 5),
      creditorId: mine.creditorIds[0],
      integrations: noIntegrations,
    });
    // Not paper, though the resident has an address: staff chose the mailbox, and there is none.
    expect(sent).toMatchObject({ failed: 1, print: 0 });
    const fresh = await db().notice.findUniqueOrThrow({ where: { id: r.newNoticeId } });
    expect(fresh.status).toBe("FAILED");
    expect(fresh.failedReason).toMatch(/^chosen by staff, but not possible/);
    const [item] = await queueItems(mine, "letters");
    expect(item).toMatchObject({ id: r.newNoticeId, letter: { status: "FAILED" } });
  });
});
