import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { camt054 } from "../../../server/test-support/camt054";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { queueItems, type StaffContext } from "./queues.server";
import { getCreditorClaim } from "../portal/claims.server";
import { receiveClaim } from "../claims/intake.server";
import { receiveBankUpload, recentBankImports } from "./bank-files.server";

/** The upload as the route receives it: a multipart form, streamed to disk and imported. */
function uploadBankFile(
  staff: StaffContext,
  file: { name: string; bytes: Uint8Array },
  max: number,
) {
  const form = new FormData();
  form.append("file", new Blob([Buffer.from(file.bytes)]), file.name);
  return receiveBankUpload(
    staff,
    new Request("http://localhost/staff/bank-files", { method: "POST", body: form }),
    max,
  );
}
import { paymentTaskView, resolvePaymentTask } from "./payment-tasks.server";

const NOW = new Date("2026-03-06T10:00:00Z");
const run = Date.now().toString(36);
const MAX = 5 * 1024 * 1024;
const bytes = (text: string) => new TextEncoder().encode(text);
let fileNo = 0;
const msgId = () => `STP-${run}-${++fileNo}`;

let creditorA: { id: string };
let creditorB: { id: string };
let creditorSE: { id: string };
let supervisorA: StaffContext;
let agentA: StaffContext;
let agentB: StaffContext;
let supervisorB: StaffContext;

async function claimOf(creditorId: string, principal: number, currency: "NOK" | "SEK" = "NOK") {
  const c = await db().creditor.findUniqueOrThrow({ where: { id: creditorId } });
  const externalId = `STP-${run}-${randomUUID().slice(0, 8)}`;
  const result = await receiveClaim(
    {
      creditorId,
      keyId: "test",
      country: c.country,
      currency: c.currency,
      timeZone: c.timeZone,
    },
    {
      externalId,
      claimType: "water",
      resident:
        currency === "NOK"
          ? { nationalId: "14876810183", name: "Per Olsen" }
          : { nationalId: "197509099920", name: "Mikael Ek" },
      description: "Staff payment task test",
      currency,
      principal,
      issuedOn: "2026-01-01",
      dueOn: "2027-12-31", // not due yet: no interest, so balances move by exactly what is paid
    },
    new Date("2026-01-02T12:00:00Z"),
  );
  if (result.kind !== "created") throw new Error(JSON.stringify(result));
  const row = await db().claim.findUniqueOrThrow({ where: { id: result.claim.id } });
  return { id: row.id, externalId, reference: row.paymentReference, creditorId };
}

const balance = async (claim: { creditorId: string; externalId: string }) =>
  (await getCreditorClaim(claim.creditorId, claim.externalId, NOW))!.statement.balance.total;

/** Uploads a camt.054 file paying `reference` (unknown to every claim) and returns its task. */
async function unmatchedTask(amount: number) {
  const reference = `9${Date.now()}${fileNo}`;
  const result = await uploadBankFile(
    supervisorA,
    {
      name: "unmatched.xml",
      bytes: bytes(camt054(msgId(), [{ reference, amount, bookedOn: "2026-03-05" }])),
    },
    MAX,
  );
  expect(result).toMatchObject({ ok: true, result: { unmatched: 1 } });
  return db().staffTask.findFirstOrThrow({
    where: { kind: "UNMATCHED_BANK_PAYMENT", data: { path: ["reference"], equals: reference } },
  });
}

const ledger = async () => ({
  payments: await db().payment.count(),
  refunds: await db().refund.count(),
  tasks: await db().staffTask.count({ where: { status: "OPEN" } }),
  imports: await db().bankFileImport.count(),
  entries: await db().bankEntry.count(),
});

beforeAll(async () => {
  await seedDemo();
  creditorA = (await createTestCreditor(`stp-a-${run}`, "NO")).creditor;
  creditorB = (await createTestCreditor(`stp-b-${run}`, "NO")).creditor;
  creditorSE = (await createTestCreditor(`stp-se-${run}`, "SE")).creditor;
  supervisorA = {
    staffId: randomUUID(),
    role: "SUPERVISOR",
    creditorIds: [creditorA.id, creditorSE.id],
  };
  agentA = { staffId: randomUUID(), role: "AGENT", creditorIds: [creditorA.id] };
  agentB = { staffId: randomUUID(), role: "AGENT", creditorIds: [creditorB.id] };
  supervisorB = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [creditorB.id] };
});
afterAll(() => disconnectDb());

describe("bank file upload by staff", () => {
  it("imports a file as the staff member, says what it did, and a second upload adds nothing", async () => {
    const claim = await claimOf(creditorA.id, 100_000);
    const text = camt054(msgId(), [
      { reference: claim.reference, amount: 40_000, bookedOn: "2026-03-05" },
      { reference: `8${Date.now()}`, amount: 12_300, bookedOn: "2026-03-05" },
    ]);
    const first = await uploadBankFile(
      supervisorA,
      { name: "C:\\bank\\day.xml", bytes: bytes(text) },
      MAX,
    );
    expect(first).toMatchObject({
      ok: true,
      fileName: "day.xml",
      result: { duplicate: false, format: "camt054", matched: 1, unmatched: 1 },
    });
    expect(await balance(claim)).toBe(60_000);
    const event = await db().event.findFirstOrThrow({
      where: { type: "bank_file.imported" },
      orderBy: { id: "desc" },
    });
    expect(event.actor).toBe(`staff:${supervisorA.staffId}`);
    expect(event.data).toMatchObject({ fileName: "day.xml", matched: 1, unmatched: 1 });
    const listed = (await recentBankImports()).find(
      (i) => i.fileId === (first.ok ? first.result.fileId : ""),
    );
    expect(listed).toMatchObject({
      fileName: "day.xml",
      entries: 2,
      currency: "NOK",
      counts: { MATCHED: 1, UNMATCHED: 1 },
    });

    const before = await ledger();
    const again = await uploadBankFile(supervisorA, { name: "day.xml", bytes: bytes(text) }, MAX);
    expect(again).toMatchObject({ ok: true, result: { duplicate: true, matched: 0 } });
    expect(await ledger()).toEqual(before);
    expect(await balance(claim)).toBe(60_000);
  });

  it("refuses a damaged file naming its line, a file that is not text, an agent: nothing stored", async () => {
    const claim = await claimOf(creditorA.id, 100_000);
    const good = camt054(msgId(), [
      { reference: claim.reference, amount: 10_000, bookedOn: "2026-03-05" },
    ]);
    const damaged = good.replace("<Sum>100.00</Sum>", "<Sum>999.00</Sum>");
    expect(damaged).not.toBe(good);
    const before = await ledger();
    const bad = await uploadBankFile(supervisorA, { name: "bad.xml", bytes: bytes(damaged) }, MAX);
    expect(bad).toMatchObject({ ok: false, error: "bad_file" });
    if (!bad.ok && bad.error === "bad_file") {
      expect(bad.line).toBeGreaterThan(0);
      expect(bad.message).toMatch(/^line \d+/);
    }
    const binary = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02]);
    expect(await uploadBankFile(supervisorA, { name: "x.pdf", bytes: binary }, MAX)).toEqual({
      ok: false,
      error: "not_text",
    });
    expect(await uploadBankFile(supervisorA, { name: "big.xml", bytes: bytes(good) }, 100)).toEqual(
      { ok: false, error: "too_large" },
    );
    expect(await uploadBankFile(agentA, { name: "ok.xml", bytes: bytes(good) }, MAX)).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await ledger()).toEqual(before);
    expect(await balance(claim)).toBe(100_000);
  });
});

describe("payment tasks", () => {
  it("matches unmatched bank money to a claim once: balance drops, task done, event written", async () => {
    const claim = await claimOf(creditorA.id, 100_000);
    const task = await unmatchedTask(25_000);
    const view = await paymentTaskView(supervisorA, task.id);
    expect(view).toMatchObject({
      kind: "UNMATCHED_BANK_PAYMENT",
      status: "OPEN",
      actions: ["match", "returned"],
      facts: { amount: 25_000, currency: "NOK", bookedOn: "2026-03-05" },
    });
    expect((await queueItems(supervisorA, "unmatched")).some((i) => i.taskId === task.id)).toBe(
      true,
    );

    const done = await resolvePaymentTask(supervisorA, {
      taskId: task.id,
      action: "match",
      claimRef: claim.externalId,
      note: "Payer wrote the invoice number instead of the KID",
      now: NOW,
    });
    expect(done).toEqual({ ok: true });
    expect(await balance(claim)).toBe(75_000);
    const after = await db().staffTask.findUniqueOrThrow({ where: { id: task.id } });
    expect(after).toMatchObject({ status: "DONE", claimId: claim.id, creditorId: creditorA.id });
    expect(after.doneAt).not.toBeNull();
    expect(after.data).toMatchObject({
      resolution: { action: "match", by: supervisorA.staffId, claimId: claim.id },
    });
    const payment = await db().payment.findUniqueOrThrow({
      where: { providerRef: task.sourceKey },
    });
    expect(payment).toMatchObject({ claimId: claim.id, amount: 25_000 });
    const event = await db().event.findFirstOrThrow({
      where: { type: "staff.payment_task_resolved", data: { path: ["taskId"], equals: task.id } },
    });
    expect(event).toMatchObject({ actor: `staff:${supervisorA.staffId}`, claimId: claim.id });
    expect(event.data).toMatchObject({ action: "match", paymentId: payment.id });
    expect((await queueItems(supervisorA, "unmatched")).some((i) => i.taskId === task.id)).toBe(
      false,
    );

    // A second submit (a reload, another tab) is refused and the ledger stays as it is.
    const before = await ledger();
    expect(
      await resolvePaymentTask(supervisorA, {
        taskId: task.id,
        action: "match",
        claimRef: claim.reference,
        note: "Submitted again",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "already_done" });
    expect(
      await resolvePaymentTask(supervisorA, {
        taskId: task.id,
        action: "returned",
        note: "Submitted again",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "already_done" });
    expect(await ledger()).toEqual(before);
    expect(await balance(claim)).toBe(75_000);
  });

  it("takes two submits at the same moment once", async () => {
    const claim = await claimOf(creditorA.id, 100_000);
    const task = await unmatchedTask(10_000);
    const submit = () =>
      resolvePaymentTask(supervisorA, {
        taskId: task.id,
        action: "match",
        claimRef: claim.reference,
        note: "Double click on the button",
        now: NOW,
      });
    const results = await Promise.all([submit(), submit()]);
    expect(results).toContainEqual({ ok: true });
    expect(results).toContainEqual({ ok: false, error: "already_done" });
    expect(await db().payment.count({ where: { claimId: claim.id } })).toBe(1);
    expect(await balance(claim)).toBe(90_000);
  });

  it("shows and lets act only staff of the task's creditors; unassigned money only supervisors", async () => {
    const claimA = await claimOf(creditorA.id, 100_000);
    const task = await unmatchedTask(5_000);
    const attempt = (staff: StaffContext, claimRef: string) =>
      resolvePaymentTask(staff, {
        taskId: task.id,
        action: "match",
        claimRef,
        note: "Trying to take this one",
        now: NOW,
      });
    const before = await ledger();
    expect(await paymentTaskView(agentA, task.id)).toBeNull();
    expect(await attempt(agentA, claimA.reference)).toEqual({ ok: false, error: "not_found" });
    expect((await queueItems(agentA, "unmatched")).some((i) => i.taskId === task.id)).toBe(false);
    // A supervisor of B sees unassigned money but can only put it on B's claims.
    expect(await paymentTaskView(supervisorB, task.id)).not.toBeNull();
    expect(await attempt(supervisorB, claimA.reference)).toEqual({
      ok: false,
      error: "claim_not_found",
    });
    expect(await ledger()).toEqual(before);

    // A's over-payment credit is A's: B's agent cannot see or settle it.
    const small = await claimOf(creditorA.id, 1_000);
    const paid = await uploadBankFile(
      supervisorA,
      {
        name: "over.xml",
        bytes: bytes(
          camt054(msgId(), [{ reference: small.reference, amount: 4_000, bookedOn: "2026-03-05" }]),
        ),
      },
      MAX,
    );
    expect(paid).toMatchObject({ ok: true, result: { overpaid: 1 } });
    const credit = await db().staffTask.findFirstOrThrow({
      where: { kind: "REFUND_CREDIT", claimId: small.id },
    });
    expect(await paymentTaskView(agentB, credit.id)).toBeNull();
    expect(
      await resolvePaymentTask(agentB, {
        taskId: credit.id,
        action: "refunded",
        note: "Not my creditor",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "not_found" });
    expect(await paymentTaskView(agentA, credit.id)).toMatchObject({
      facts: { amount: 3_000, currency: "NOK" },
      actions: ["refunded"],
    });
    expect(
      await resolvePaymentTask(agentA, {
        taskId: credit.id,
        action: "refunded",
        note: "Paid back to account 1234.56.78901 on 6 March",
        now: NOW,
      }),
    ).toEqual({ ok: true });
    const refund = await db().refund.findUniqueOrThrow({
      where: { providerRef: `staff-task:${credit.id}` },
    });
    expect(refund).toMatchObject({ amount: 3_000, allocations: { credit: 3_000 } });
    expect(await balance(small)).toBe(0);
    expect((await db().claim.findUniqueOrThrow({ where: { id: small.id } })).status).toBe("PAID");
  });

  it("refuses a claim in another currency, an unknown claim, a missing note: nothing changes", async () => {
    const sek = await claimOf(creditorSE.id, 100_000, "SEK");
    const task = await unmatchedTask(7_500);
    const before = await ledger();
    const resolve = (claimRef: string, note = "Matched by the payer's name") =>
      resolvePaymentTask(supervisorA, {
        taskId: task.id,
        action: "match",
        claimRef,
        note,
        now: NOW,
      });
    expect(await resolve(sek.reference)).toEqual({ ok: false, error: "wrong_currency" });
    expect(await resolve("NO-SUCH-CLAIM")).toEqual({ ok: false, error: "claim_not_found" });
    expect(await resolve("")).toEqual({ ok: false, error: "claim_required" });
    expect(await resolve(sek.reference, "ok")).toEqual({ ok: false, error: "note_required" });
    expect(
      await resolvePaymentTask(supervisorA, {
        taskId: task.id,
        action: "handled",
        note: "Not an action for bank money",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "invalid_action" });
    expect(await ledger()).toEqual(before);
    expect((await db().staffTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe(
      "OPEN",
    );
    expect(await balance(sek)).toBe(100_000);

    // Sent back instead: the task ends, the ledger does not move.
    expect(
      await resolvePaymentTask(supervisorA, {
        taskId: task.id,
        action: "returned",
        note: "Returned to the payer's account on 6 March",
        now: NOW,
      }),
    ).toEqual({ ok: true });
    const after = await ledger();
    expect(after.payments).toBe(before.payments);
    expect(after.tasks).toBe(before.tasks - 1);
    expect(await paymentTaskView(supervisorA, task.id)).toMatchObject({
      status: "DONE",
      actions: [],
      facts: { resolution: { action: "returned" } },
    });
  });

  it("accepts a card payment of another amount on its claim; marks a card dispute handled", async () => {
    const claim = await claimOf(creditorA.id, 100_000);
    const raise = (kind: "PAYMENT_MISMATCH" | "CARD_DISPUTE", data: Record<string, unknown>) =>
      db().staffTask.create({
        data: {
          kind,
          sourceKey: `stripe:evt_${randomUUID()}`,
          claimId: kind === "PAYMENT_MISMATCH" ? claim.id : null,
          data: data as object,
        },
      });
    // As stripe-events.server.ts raises it: Stripe's currency is lower case.
    const mismatch = await raise("PAYMENT_MISMATCH", {
      checkoutId: null,
      asked: { amount: 100_000, currency: "NOK" },
      paid: { amount: 30_000, currency: "nok" },
    });
    expect(await paymentTaskView(agentA, mismatch.id)).toMatchObject({
      facts: { amount: 30_000, currency: "NOK", expected: { amount: 100_000, currency: "NOK" } },
      actions: ["accept", "returned"],
    });
    expect(
      await resolvePaymentTask(agentA, {
        taskId: mismatch.id,
        action: "accept",
        note: "Resident paid part by card; keep it",
        now: NOW,
      }),
    ).toEqual({ ok: true });
    expect(await balance(claim)).toBe(70_000);
    expect(await db().payment.count({ where: { providerRef: mismatch.sourceKey } })).toBe(1);

    const dispute = await raise("CARD_DISPUTE", {
      dispute: "dp_1",
      charge: "ch_1",
      amount: 30_000,
      reason: "fraudulent",
    });
    expect(await paymentTaskView(agentA, dispute.id)).toBeNull(); // unassigned: supervisors only
    expect(
      await resolvePaymentTask(supervisorA, {
        taskId: dispute.id,
        action: "handled",
        note: "Evidence sent to Stripe",
        now: NOW,
      }),
    ).toEqual({ ok: true });
    expect(await balance(claim)).toBe(70_000);
  });
});
