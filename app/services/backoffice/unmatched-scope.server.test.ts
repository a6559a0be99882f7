import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "~/infra/db.server";
import { camt054 } from "../../../server/test-support/camt054";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
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
