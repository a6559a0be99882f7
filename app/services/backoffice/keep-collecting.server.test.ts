import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { statementOf } from "~/domain/claim";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import {
  createTestCreditor,
  createWriteOffCreditor,
  seedDemo,
} from "../../../server/test-support/fixtures";
import { dispatchPendingOnPaper } from "../../../server/test-support/letters";
import { receiveClaim } from "../claims/intake.server";
import { loadClaims } from "../claims/load-claims.server";
import { runSweep } from "../escalation/sweep.server";
import { loadLawBook } from "../law/legal-figures.server";
import { recordPayment, recordRefund } from "../payments/ledger.server";
import { type StaffContext } from "./queues.server";
import { staffKeepCollecting } from "./write-offs.server";

// Decision 0106, the follow-ups: "keep collecting" for a queued small balance, and a refund after
// a write-off (what was written off is fixed; the refund reopens what it restores).

const RUN = Date.now().toString(36);
const PUBLIC_URL = "http://localhost:3000";
const DUE = "2026-11-01";
const PAID_ON = "2026-11-20";
let serial = 420;

function nationalId(): string {
  for (;;) {
    const id = makeNorwegianFodselsnummer("1968-03-11", serial++, { synthetic: true });
    if (id) return id;
  }
}

async function claimOf(
  caller: Awaited<ReturnType<typeof createTestCreditor>>["caller"],
  ext: string,
) {
  const r = await receiveClaim(
    caller,
    {
      externalId: ext,
      claimType: "water",
      resident: { nationalId: nationalId(), name: `Kari ${ext}` },
      description: "Vann og avløp",
      currency: "NOK",
      principal: 100_000,
      issuedOn: "2026-10-01",
      dueOn: DUE,
    },
    new Date("2026-10-02T12:00:00Z"),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  return r.claim.id;
}

async function pay(claimId: string, amount: number, on: string) {
  const law = await loadLawBook();
  const ref = `kc-${claimId}-${on}-${amount}`;
  await db().$transaction((tx) =>
    recordPayment(tx, law, {
      claimId,
      amount,
      currency: "NOK",
      receivedOn: on,
      method: "bank_transfer",
      providerRef: ref,
      actor: "test",
    }),
  );
  return db().payment.findFirstOrThrow({ where: { providerRef: ref } });
}

const snapshot = async (claimId: string) => (await loadClaims(undefined, { ids: [claimId] }))[0]!;
const sweep = (slug: string, asOf: string) =>
  runSweep({ asOf, creditorSlug: slug, publicUrl: PUBLIC_URL });
const openTasks = (claimId: string) =>
  db().staffTask.count({ where: { claimId, kind: "WRITE_OFF", status: "OPEN" } });
const events = async (claimId: string) =>
  (await db().event.findMany({ where: { claimId }, orderBy: { id: "asc" } })).map((e) => e.type);

/** Every krone accounted for: charges and interest = owed + paid − credit + waived + written off. */
async function exact(claimId: string, today: string) {
  const s = statementOf(await snapshot(claimId), await loadLawBook(), today);
  const charged = s.lines.reduce((sum, l) => sum + l.amount, 0);
  const b = s.balance;
  expect(charged).toBe(b.total + b.paid - b.credit + b.waived + (b.writtenOff ?? 0));
  return b;
}

beforeAll(async () => {
  await seedDemo();
});
afterAll(() => disconnectDb());

describe("keep collecting a queued small balance", () => {
  const slug = `kc-queue-${RUN}`;
  let claimId = "";
  let supervisor: StaffContext;
  let agent: StaffContext;
  const NOW = new Date("2026-11-26T10:00:00Z");

  beforeAll(async () => {
    const { caller, creditor } = await createWriteOffCreditor(slug, {
      belowMinor: 10_000,
      afterDays: 0,
      feesAndInterestOnly: false,
      mode: "queue",
    });
    supervisor = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [creditor.id] };
    agent = { staffId: randomUUID(), role: "AGENT", creditorIds: [creditor.id] };
    claimId = await claimOf(caller, `KC-${RUN}`);
    await pay(claimId, 100_000, PAID_ON);
    const queued = await sweep(slug, "2026-11-25");
    expect(queued.writeOffs).toMatchObject({ queued: 1 });
  });

  it("refuses an agent, a short reason, another creditor's staff: 403/400/404, nothing changes", async () => {
    const before = await events(claimId);
    const input = { claimId, reason: "Resident can pay, asked us to", now: NOW };
    expect(await staffKeepCollecting(agent, input)).toEqual({ ok: false, error: "not_allowed" });
    expect(await staffKeepCollecting(supervisor, { ...input, reason: " no " })).toEqual({
      ok: false,
      error: "reason_required",
    });
    const outsider = { ...supervisor, creditorIds: [randomUUID()] };
    expect(await staffKeepCollecting(outsider, input)).toEqual({ ok: false, error: "not_found" });
    expect(await events(claimId)).toEqual(before);
    expect(await openTasks(claimId)).toBe(1);
    expect((await snapshot(claimId)).keepCollectingSince).toBeNull();
  });

  it("closes the task with its event, and the steps go on", async () => {
    const r = await staffKeepCollecting(supervisor, {
      claimId,
      reason: "Resident can pay, asked us to",
      now: NOW,
    });
    expect(r).toEqual({ ok: true });
    expect(await openTasks(claimId)).toBe(0);
    const event = await db().event.findFirstOrThrow({
      where: { claimId, type: "claim.write_off_declined" },
    });
    expect(event.actor).toBe(`staff:${supervisor.staffId}`);
    expect(event.data).toMatchObject({ since: PAID_ON, reason: "Resident can pay, asked us to" });
    const claim = await snapshot(claimId);
    expect(claim.keepCollectingSince).toBe(PAID_ON);
    expect(claim.status).toBe("OPEN");
    // The reminder was due since 15 November: the engine looks at it again at once.
    expect(claim.nextActionOn).not.toBeNull();
    // A second answer: nothing is queued any more (409), nothing changes.
    const again = await staffKeepCollecting(supervisor, {
      claimId,
      reason: "Resident can pay, asked us to",
      now: NOW,
    });
    expect(again).toEqual({ ok: false, error: "not_queued" });
  });

  it("is not queued again by the next sweeps for the same balance: the reminder goes", async () => {
    const summary = await sweep(slug, "2026-11-27");
    expect(summary.writeOffs?.queued ?? 0).toBe(0);
    expect(await openTasks(claimId)).toBe(0);
    const claim = await snapshot(claimId);
    expect(claim.stage).toBe("REMINDER");
    expect(await db().charge.count({ where: { claimId, kind: "REMINDER_FEE" } })).toBe(1);
  });

  it("is queued again once a payment lowers the balance again", async () => {
    await dispatchPendingOnPaper(claimId, "2026-11-27");
    await pay(claimId, 1_000, "2026-12-01");
    await db().claim.update({ where: { id: claimId }, data: { nextActionOn: new Date(DUE) } });
    const summary = await sweep(slug, "2026-12-01");
    expect(summary.writeOffs).toMatchObject({ queued: 1 });
    expect(await openTasks(claimId)).toBe(1);
    expect(await db().staffTask.count({ where: { claimId, kind: "WRITE_OFF" } })).toBe(2);
  });

  it("refuses a closed claim (409)", async () => {
    await pay(claimId, 20_000, "2026-12-02");
    expect((await snapshot(claimId)).status).toBe("PAID");
    const r = await staffKeepCollecting(supervisor, {
      claimId,
      reason: "Resident can pay, asked us to",
      now: new Date("2026-12-03T10:00:00Z"),
    });
    expect(r).toEqual({ ok: false, error: "closed" });
  });
});

describe("a refund after a write-off", () => {
  const slug = `kc-refund-${RUN}`;
  let claimId = "";
  let paymentId = "";

  beforeAll(async () => {
    const { caller } = await createWriteOffCreditor(slug, {
      belowMinor: 5_000,
      afterDays: 0,
      feesAndInterestOnly: false,
      mode: "auto",
    });
    claimId = await claimOf(caller, `RF-${RUN}`);
    paymentId = (await pay(claimId, 100_000, PAID_ON)).id;
    const done = await sweep(slug, "2026-11-25");
    expect(done.writeOffs).toMatchObject({ writtenOff: 1 });
  });

  it("reopens the claim for what the refund restored; what was written off stays fixed", async () => {
    const event = await db().event.findFirstOrThrow({
      where: { claimId, type: "claim.written_off" },
    });
    const writtenOff = (event.data as { amount: number }).amount;
    const before = await exact(claimId, "2026-11-30");
    expect(before).toMatchObject({ total: 0, writtenOff, paid: 100_000 });
    const law = await loadLawBook();
    const r = await db().$transaction((tx) =>
      recordRefund(tx, law, {
        paymentId,
        amount: 20_000,
        providerRef: `kc-refund-${claimId}`,
        refundedOn: "2026-11-30",
        actor: "test",
      }),
    );
    expect(r).toBe("recorded");
    const row = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
    expect(row.status).toBe("OPEN");
    expect(row.closedOn).toBeNull();
    expect(await events(claimId)).toContain("claim.reopened");
    const after = await exact(claimId, "2026-11-30");
    expect(after.writtenOff).toBe(writtenOff);
    expect(after.paid).toBe(80_000);
    // Owed again: the 200 kr refunded (principal), and the interest it has carried since it was
    // first paid; nothing of what was written off.
    expect(after.principal).toBe(20_000);
    expect(after.total).toBeGreaterThanOrEqual(20_000);
    expect(after.total).toBeLessThan(20_000 + 500);
    // Read later, the written-off amount still does not grow.
    expect((await exact(claimId, addDays("2026-11-30", 40))).writtenOff).toBe(writtenOff);
    expect(isoOf(row.stageEnteredOn)).toBeTruthy();
  });
});
