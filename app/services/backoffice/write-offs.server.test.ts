import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { statementOf } from "~/domain/claim";
import { loweredOnOf } from "~/domain/write-off";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import {
  createTestCreditor,
  createWriteOffCreditor,
  seedDemo,
} from "../../../server/test-support/fixtures";
import { dispatchPendingOnPaper } from "../../../server/test-support/letters";
import { placeHold } from "../claims/holds.server";
import { receiveClaim } from "../claims/intake.server";
import { loadClaims } from "../claims/load-claims.server";
import { runSweep } from "../escalation/sweep.server";
import { loadLawBook } from "../law/legal-figures.server";
import { recordPayment } from "../payments/ledger.server";
import { getResidentClaimPage } from "../portal/claims.server";
import { queueItems, type StaffContext } from "./queues.server";
import { staffWriteOffClaim, staffWriteOffFee } from "./write-offs.server";

// Issue 16, decision 0106: what is left that is not worth collecting is written off, by the
// engine (auto), by staff from a queue, or by a supervisor on the case view; never paid, never lost.

const RUN = Date.now().toString(36);
const PUBLIC_URL = "http://localhost:3000";
const DUE = "2026-11-01";
const PAID_ON = "2026-11-20";
let serial = 300;

function nationalId(): string {
  for (;;) {
    const id = makeNorwegianFodselsnummer("1971-05-17", serial++, { synthetic: true });
    if (id) return id;
  }
}

async function claimOf(
  caller: Awaited<ReturnType<typeof createTestCreditor>>["caller"],
  externalId: string,
  principal = 100_000,
) {
  const r = await receiveClaim(
    caller,
    {
      externalId,
      claimType: "water",
      resident: { nationalId: nationalId(), name: `Wenche ${externalId}` },
      description: "Vann og avløp",
      currency: "NOK",
      principal,
      issuedOn: "2026-10-01",
      dueOn: DUE,
    },
    new Date("2026-10-02T12:00:00Z"),
  );
  if (r.kind !== "created") throw new Error(JSON.stringify(r));
  return r.claim.id;
}

/** The known case: a bank transfer of the principal shown, arriving later, leaves a little interest. */
async function payPrincipalLate(claimId: string, on = PAID_ON) {
  const law = await loadLawBook();
  await db().$transaction((tx) =>
    recordPayment(tx, law, {
      claimId,
      amount: 100_000,
      currency: "NOK",
      receivedOn: on,
      method: "bank_transfer",
      providerRef: `wo-${claimId}-${on}`,
      actor: "test",
    }),
  );
}

async function snapshot(claimId: string) {
  return (await loadClaims(undefined, { ids: [claimId] }))[0]!;
}

const events = async (claimId: string) =>
  (await db().event.findMany({ where: { claimId }, orderBy: { id: "asc" } })).map((e) => e.type);

const sweep = (slug: string, asOf: string) =>
  runSweep({ asOf, creditorSlug: slug, publicUrl: PUBLIC_URL });

/** Every krone accounted for: charges and interest = owed + paid − credit + waived + written off. */
async function expectExact(claimId: string, today: string) {
  const claim = await snapshot(claimId);
  const law = await loadLawBook();
  const s = statementOf(claim, law, today);
  const charged = s.lines.reduce((sum, l) => sum + l.amount, 0);
  const b = s.balance;
  expect(charged).toBe(b.total + b.paid - b.credit + b.waived + (b.writtenOff ?? 0));
  return s;
}

beforeAll(async () => {
  await seedDemo();
});
afterAll(() => disconnectDb());

describe("auto mode: the engine writes off a small leftover", () => {
  const slug = `wo-auto-${RUN}`;
  let claimId = "";

  beforeAll(async () => {
    const { caller } = await createWriteOffCreditor(slug, {
      belowMinor: 5_000,
      afterDays: 10,
      feesAndInterestOnly: false,
      mode: "auto",
    });
    claimId = await claimOf(caller, `AUTO-${RUN}`);
    await payPrincipalLate(claimId);
  });

  it("sends no reminder with a fee for the leftover, and comes back on its write-off day", async () => {
    const claim = await snapshot(claimId);
    expect(loweredOnOf(claim)).toBe(PAID_ON);
    const left = statementOf(claim, await loadLawBook(), PAID_ON).balance.total;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(5_000);
    expect(claim.nextActionOn).toBe(addDays(PAID_ON, 10));
    // The reminder was due (14 days after 1 November) but nothing is sent for the leftover.
    await sweep(slug, "2026-11-25");
    expect(await db().notice.count({ where: { claimId } })).toBe(0);
    expect(await db().charge.count({ where: { claimId, kind: "REMINDER_FEE" } })).toBe(0);
    const page = await getResidentClaimPage(
      claim.residentId,
      claimId,
      new Date("2026-11-25T10:00:00Z"),
    );
    expect(page!.claim.next).toMatchObject({
      reason: "awaiting_write_off",
      resumesOn: "2026-11-30",
    });
  });

  it("on that day writes it off with its event and a letter: status, balance 0, exact money", async () => {
    const summary = await sweep(slug, "2026-11-30");
    expect(summary.writeOffs).toMatchObject({ writtenOff: 1, queued: 0 });
    const row = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
    expect(row.status).toBe("WRITTEN_OFF");
    expect(isoOf(row.closedOn!)).toBe("2026-11-30");
    expect(row.nextActionOn).toBeNull();
    const event = await db().event.findFirstOrThrow({
      where: { claimId, type: "claim.written_off" },
    });
    expect(event.actor).toBe("system");
    const letters = await db().notice.findMany({ where: { claimId } });
    expect(letters.map((l) => l.kind)).toEqual(["CLAIM_WRITTEN_OFF"]);
    // Interest stops on the write-off day: read a month later, the figures are the same.
    const s = await expectExact(claimId, "2026-12-30");
    expect(s.balance.total).toBe(0);
    expect(s.balance.writtenOff).toBe((event.data as { amount: number }).amount);
    expect(s.balance.paid).toBe(100_000);
    const page = await getResidentClaimPage(
      row.residentId,
      claimId,
      new Date("2026-12-30T10:00:00Z"),
    );
    expect(page!.claim.statement.balance).toMatchObject({
      total: 0,
      writtenOff: s.balance.writtenOff,
    });
  });

  it("sends nothing more afterwards", async () => {
    const before = await events(claimId);
    await sweep(slug, "2026-12-30");
    await sweep(slug, "2027-02-01");
    expect(await events(claimId)).toEqual(before);
    expect(await db().notice.count({ where: { claimId } })).toBe(1);
  });
});

describe("queue mode: the leftover goes in front of staff once", () => {
  const slug = `wo-queue-${RUN}`;
  let claimId = "";
  let supervisor: StaffContext;

  beforeAll(async () => {
    const { caller, creditor } = await createWriteOffCreditor(slug, {
      belowMinor: 5_000,
      afterDays: 0,
      feesAndInterestOnly: false,
      mode: "queue",
    });
    supervisor = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [creditor.id] };
    claimId = await claimOf(caller, `QUEUE-${RUN}`);
    await payPrincipalLate(claimId);
  });

  it("raises one task across two sweeps, and the claim stays open and quiet", async () => {
    const first = await sweep(slug, "2026-11-25");
    expect(first.writeOffs).toMatchObject({ writtenOff: 0, queued: 1 });
    await db().claim.update({
      where: { id: claimId },
      data: { nextActionOn: new Date("2026-11-26") },
    });
    const second = await sweep(slug, "2026-11-26");
    expect(second.writeOffs).toMatchObject({ queued: 0 });
    const tasks = await db().staffTask.findMany({ where: { claimId, kind: "WRITE_OFF" } });
    expect(tasks).toHaveLength(1);
    const row = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
    expect(row.status).toBe("OPEN");
    expect(row.nextActionOn).toBeNull();
    expect(await db().notice.count({ where: { claimId } })).toBe(0);
    const items = await queueItems(supervisor, "writeOffs");
    expect(items.map((i) => i.claimId)).toContain(claimId);
  });

  it("leaves the queue when a supervisor writes the claim off", async () => {
    const r = await staffWriteOffClaim(supervisor, {
      claimId,
      reason: "Leftover interest, not worth a letter",
      now: new Date("2026-11-27T10:00:00Z"),
    });
    expect(r).toEqual({ ok: true });
    expect((await queueItems(supervisor, "writeOffs")).map((i) => i.claimId)).not.toContain(
      claimId,
    );
    const task = await db().staffTask.findFirstOrThrow({ where: { claimId, kind: "WRITE_OFF" } });
    expect(task.status).toBe("DONE");
  });
});

describe("staff write off a claim or one fee, with a reason", () => {
  const slug = `wo-staff-${RUN}`;
  let caller: Awaited<ReturnType<typeof createTestCreditor>>["caller"];
  let supervisor: StaffContext;
  let agent: StaffContext;
  let claimId = "";
  let feeId = "";
  const NOW = new Date("2026-12-01T10:00:00Z");

  beforeAll(async () => {
    const made = await createWriteOffCreditor(slug, null);
    caller = made.caller;
    supervisor = { staffId: randomUUID(), role: "SUPERVISOR", creditorIds: [made.creditor.id] };
    agent = { staffId: randomUUID(), role: "AGENT", creditorIds: [made.creditor.id] };
    claimId = await claimOf(caller, `STAFF-${RUN}`);
    await sweep(slug, "2026-11-16");
    await dispatchPendingOnPaper(claimId, "2026-11-16");
    feeId = (await db().charge.findFirstOrThrow({ where: { claimId, kind: "REMINDER_FEE" } })).id;
  });

  it("refuses an agent, a missing reason, and another creditor's claim; nothing changes", async () => {
    const input = {
      claimId,
      chargeId: feeId,
      reason: "Fee charged in error of judgement",
      now: NOW,
    };
    expect(await staffWriteOffFee(agent, input)).toEqual({ ok: false, error: "not_allowed" });
    expect(await staffWriteOffClaim(agent, input)).toEqual({ ok: false, error: "not_allowed" });
    expect(await staffWriteOffFee(supervisor, { ...input, reason: "  " })).toEqual({
      ok: false,
      error: "reason_required",
    });
    const outsider = { ...supervisor, creditorIds: [randomUUID()] };
    expect(await staffWriteOffFee(outsider, input)).toEqual({ ok: false, error: "not_found" });
    expect(await staffWriteOffFee(supervisor, { ...input, chargeId: randomUUID() })).toEqual({
      ok: false,
      error: "charge_not_found",
    });
    const fee = await db().charge.findUniqueOrThrow({ where: { id: feeId } });
    expect(fee.cancelledOn).toBeNull();
  });

  it("writes off one fee: no longer owed, not paid, shown to the resident as written off", async () => {
    const law = await loadLawBook();
    const before = statementOf(await snapshot(claimId), law, "2026-12-01").balance;
    const r = await staffWriteOffFee(supervisor, {
      claimId,
      chargeId: feeId,
      reason: "Reminder went to an old address",
      now: NOW,
    });
    expect(r).toEqual({ ok: true });
    const fee = await db().charge.findUniqueOrThrow({ where: { id: feeId } });
    expect(fee.writtenOff).toBe(true);
    expect(isoOf(fee.cancelledOn!)).toBe("2026-12-01");
    const event = await db().event.findFirstOrThrow({
      where: { claimId, type: "charge.written_off" },
    });
    expect(event.data).toMatchObject({ chargeId: feeId, kind: "REMINDER_FEE", amount: fee.amount });
    const after = (await expectExact(claimId, "2026-12-01")).balance;
    expect(after.total).toBe(before.total - fee.amount);
    expect(after.paid).toBe(0);
    const row = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
    const page = await getResidentClaimPage(row.residentId, claimId, NOW);
    expect(page!.claim.writtenOffFees).toEqual([
      { kind: "REMINDER_FEE", amount: fee.amount, on: "2026-12-01" },
    ]);
    // Not twice.
    expect(
      await staffWriteOffFee(supervisor, {
        claimId,
        chargeId: feeId,
        reason: "Again, by mistake",
        now: NOW,
      }),
    ).toEqual({ ok: false, error: "charge_not_found" });
  });

  it("writes off the whole claim, and then refuses: it is closed", async () => {
    const r = await staffWriteOffClaim(supervisor, {
      claimId,
      reason: "Resident died; estate has no means",
      now: NOW,
    });
    expect(r).toEqual({ ok: true });
    const row = await db().claim.findUniqueOrThrow({ where: { id: claimId } });
    expect(row.status).toBe("WRITTEN_OFF");
    const s = await expectExact(claimId, "2027-01-01");
    expect(s.balance.total).toBe(0);
    expect(s.balance.writtenOff).toBeGreaterThan(100_000);
    expect(await db().notice.count({ where: { claimId, kind: "CLAIM_WRITTEN_OFF" } })).toBe(1);
    expect(
      await staffWriteOffClaim(supervisor, { claimId, reason: "Once more please", now: NOW }),
    ).toEqual({
      ok: false,
      error: "closed",
    });
  });

  it("refuses a paid claim, and a claim with a payment on its way", async () => {
    const paid = await claimOf(caller, `PAID-${RUN}`);
    const law = await loadLawBook();
    await db().$transaction((tx) =>
      recordPayment(tx, law, {
        claimId: paid,
        amount: 100_000,
        currency: "NOK",
        receivedOn: DUE,
        method: "bank_transfer",
        providerRef: `wo-paid-${paid}`,
        actor: "test",
      }),
    );
    expect((await db().claim.findUniqueOrThrow({ where: { id: paid } })).status).toBe("PAID");
    expect(
      await staffWriteOffClaim(supervisor, { claimId: paid, reason: "Too late now", now: NOW }),
    ).toEqual({
      ok: false,
      error: "closed",
    });
    const pending = await claimOf(caller, `PEND-${RUN}`);
    const held = await placeHold({
      creditorSlug: slug,
      externalId: `PEND-${RUN}`,
      kind: "PAYMENT_PENDING",
      reason: "Card payment started",
      startsOn: "2026-11-30",
      actor: "test",
    });
    expect(held.ok).toBe(true);
    expect(
      await staffWriteOffClaim(supervisor, { claimId: pending, reason: "Not worth it", now: NOW }),
    ).toEqual({ ok: false, error: "payment_pending" });
    expect((await db().claim.findUniqueOrThrow({ where: { id: pending } })).status).toBe("OPEN");
  });
});
