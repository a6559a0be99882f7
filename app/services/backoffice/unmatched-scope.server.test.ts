import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { camt054 } from "../../../server/test-support/camt054";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { importBankFile } from "../payments/bank-import.server";
import { receiveBankUpload } from "./bank-files.server";
import { paymentTaskView, resolvePaymentTask } from "./payment-tasks.server";
import { queueItems, type StaffContext } from "./queues.server";

// Found by trying the back office (2026-12-07): money in a bank file that named no claim was every
// creditor's supervisors' to see and settle, so Elvdal's supervisor marked Västkust's payment
// returned. A file brought in by the staff of one creditor is that creditor's account's.

const NOW = new Date("2026-03-06T10:00:00Z");
const run = Date.now().toString(36);
let supervisorA: StaffContext;
let agentA: StaffContext;
let supervisorB: StaffContext;
let creditorA: string;

function upload(staff: StaffContext, text: string) {
  const form = new FormData();
  form.append("file", new Blob([Buffer.from(text)]), "day.xml");
  return receiveBankUpload(
    staff,
    new Request("http://localhost/staff/bank-files", { method: "POST", body: form }),
    5 * 1024 * 1024,
  );
}

beforeAll(async () => {
  await seedDemo();
  creditorA = (await createTestCreditor(`ums-a-${run}`, "NO")).creditor.id;
  const creditorB = (await createTestCreditor(`ums-b-${run}`, "NO")).creditor.id;
  supervisorA = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [creditorA] };
  agentA = { staffId: randomUUID(), role: "AGENT", creditorIds: [creditorA] };
  supervisorB = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [creditorB] };
});
afterAll(() => disconnectDb());

describe("money that names no claim, in a file a creditor's supervisor brought in", () => {
  it("is that creditor's supervisors' to settle and no other creditor's", async () => {
    const reference = `9${Date.now()}`;
    const text = camt054(`UMS-${run}`, [{ reference, amount: 4_990, bookedOn: "2026-03-05" }]);
    expect(await upload(supervisorA, text)).toMatchObject({ ok: true, result: { unmatched: 1 } });
    const task = await db().staffTask.findFirstOrThrow({
      where: { kind: "UNMATCHED_BANK_PAYMENT", data: { path: ["reference"], equals: reference } },
    });
    expect(task.creditorId).toBe(creditorA);

    expect(await paymentTaskView(supervisorA, task.id)).not.toBeNull();
    expect((await queueItems(supervisorA, "unmatched")).some((i) => i.taskId === task.id)).toBe(
      true,
    );
    // Another creditor's supervisor: not there at all, and cannot settle it.
    expect(await paymentTaskView(supervisorB, task.id)).toBeNull();
    expect((await queueItems(supervisorB, "unmatched")).some((i) => i.taskId === task.id)).toBe(
      false,
    );
    expect(
      await resolvePaymentTask(supervisorB, {
        taskId: task.id,
        action: "returned",
        note: "Sent back to the payer",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "not_found" });
    // Unmatched money stays a supervisor's, also when it is the agent's own creditor's.
    expect(await paymentTaskView(agentA, task.id)).toBeNull();
    expect((await db().staffTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe(
      "OPEN",
    );
  });
});

describe("money that names no claim, told by the account that received it", () => {
  /** A creditor of its own with an account no other creditor has, and that account's IBAN. */
  async function creditorWithAccount(tag: string) {
    const id = (await createTestCreditor(`ums-${tag}-${run}`, "NO")).creditor.id;
    // Random, not the clock: two creditors made in the same millisecond must not share one.
    const digits = String(randomInt(10_000_000_000, 99_999_999_999));
    const account = `${digits.slice(0, 4)}.${digits.slice(4, 6)}.${digits.slice(6)}`;
    await db().creditor.update({ where: { id }, data: { bankAccount: account } });
    return { id, iban: `NO00${digits}` };
  }
  const unmatchedTask = (reference: string) =>
    db().staffTask.findFirstOrThrow({
      where: { kind: "UNMATCHED_BANK_PAYMENT", data: { path: ["reference"], equals: reference } },
    });

  it("is the creditor's whose account it is, also from the command line, with no uploader", async () => {
    const c = await creditorWithAccount("cli");
    const reference = `8${Date.now()}`;
    const text = camt054(`UMS-CLI-${run}`, [{ reference, amount: 1_250, bookedOn: "2026-03-05" }], c.iban); // prettier-ignore
    expect(await importBankFile(text, "cli")).toMatchObject({ ok: true, unmatched: 1 });
    expect((await unmatchedTask(reference)).creditorId).toBe(c.id);
  });

  it("is the account's creditor's, not the uploader's, when a supervisor brings in another's file", async () => {
    const c = await creditorWithAccount("other");
    const reference = `7${Date.now()}`;
    const text = camt054(`UMS-OTHER-${run}`, [{ reference, amount: 2_500, bookedOn: "2026-03-05" }], c.iban); // prettier-ignore
    expect(await upload(supervisorA, text)).toMatchObject({ ok: true, result: { unmatched: 1 } });
    const task = await unmatchedTask(reference);
    expect(task.creditorId).toBe(c.id);
    expect(await paymentTaskView(supervisorA, task.id)).toBeNull();
  });

  it("is nobody's yet when the file's account is no creditor's, or more than one's", async () => {
    const reference = `6${Date.now()}`;
    // The test creditors all share one account (fixtures.ts): the account says nothing.
    const shared = await db().creditor.findUniqueOrThrow({ where: { id: creditorA } });
    const iban = `NO00${shared.bankAccount.replace(/\D/g, "")}`;
    const text = camt054(`UMS-SHARED-${run}`, [{ reference, amount: 3_750, bookedOn: "2026-03-05" }], iban); // prettier-ignore
    expect(await importBankFile(text, "cli")).toMatchObject({ ok: true, unmatched: 1 });
    expect((await unmatchedTask(reference)).creditorId).toBeNull();
  });
});

describe("money that names nothing at all", () => {
  it("is listed as having no reference, not by an id", async () => {
    const task = await db().staffTask.create({
      data: {
        kind: "UNMATCHED_BANK_PAYMENT",
        creditorId: creditorA,
        sourceKey: `bank:ums-${run}-noref`,
        data: { reference: "", amount: 49_950, currency: "NOK", bookedOn: "2026-03-03" },
      },
    });
    const item = (await queueItems(supervisorA, "unmatched")).find((i) => i.taskId === task.id);
    expect(item).toMatchObject({ titleKey: "backoffice.queueItem.noReference" });
    expect(item?.title).not.toContain(task.id.slice(0, 8));
    expect(item?.detail).toEqual([{ date: "2026-03-03" }]);
  });
});
