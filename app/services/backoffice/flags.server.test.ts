import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { REASON_MAX } from "~/domain/reason-limits";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { refreshNextActions } from "../claims/next-action.server";
import { loadLawBook } from "../law/legal-figures.server";
import { raiseFlag } from "./flags.server";
import type { StaffContext } from "./queues.server";

const run = Date.now().toString(36);
const NOW = new Date("2026-04-01T10:00:00Z");
let served: Awaited<ReturnType<typeof createTestCreditor>>;
let other: Awaited<ReturnType<typeof createTestCreditor>>;
let staff: StaffContext;
let n = 0;

/** A synthetic identity number no earlier run used (the tests share one database). */
function freshNationalId(): string {
  for (;;) {
    const born = addDays("1940-01-01", randomInt(0, 21_000));
    const found = makeNorwegianFodselsnummer(born, randomInt(0, 500), { synthetic: true });
    if (found) return found;
  }
}

/** A fresh resident with a claim at each creditor, both one step short of enforcement. */
async function residentWithClaims(): Promise<{ residentId: string; claimIds: string[] }> {
  n += 1;
  const resident = { nationalId: freshNationalId(), name: "Fia Flagg" };
  const claimIds: string[] = [];
  for (const c of [served, other]) {
    const result = await receiveClaim(
      c.caller,
      {
        externalId: `FLAG-${run}-${n}`,
        claimType: "water",
        resident,
        description: "Vann",
        currency: "NOK",
        principal: 250_000,
        issuedOn: "2026-01-01",
        dueOn: "2026-02-01",
      },
      new Date("2026-02-02T12:00:00Z"),
    );
    if (result.kind !== "created") throw new Error(JSON.stringify(result));
    claimIds.push(result.claim.id);
  }
  // The last step before enforcement behind them: the next one would be the enforcement queue.
  await db().claim.updateMany({
    where: { id: { in: claimIds } },
    data: { stage: "PAYMENT_DEMAND", stageEnteredOn: new Date("2026-03-01") },
  });
  await refreshNextActions(db(), claimIds, await loadLawBook(), "2026-04-01");
  const { residentId } = await db().claim.findUniqueOrThrow({ where: { id: claimIds[0]! } });
  return { residentId, claimIds };
}

const nextLooks = async (ids: string[]) =>
  (await db().claim.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" } })).map(
    (c) => c.nextActionOn,
  );
const flagsOf = (residentId: string) =>
  db().vulnerabilityFlag.findMany({ where: { residentId }, orderBy: { raisedAt: "asc" } });
const eventsOf = (residentId: string) =>
  db().event.findMany({ where: { residentId, type: "vulnerability.flagged" } });

beforeAll(async () => {
  await seedDemo();
  served = await createTestCreditor(`flag-a-${run}`, "NO");
  other = await createTestCreditor(`flag-b-${run}`, "NO");
  staff = { staffId: randomUUID(), role: "AGENT", creditorIds: [served.creditor.id] };
});
afterAll(disconnectDb);

describe("staff raise a vulnerability flag", () => {
  it("flags the resident, logs who did it, and holds back every claim of theirs from enforcement", async () => {
    const { residentId, claimIds } = await residentWithClaims();
    // Before: both claims have a day on which the engine would queue them for enforcement.
    expect((await nextLooks(claimIds)).every((d) => d !== null)).toBe(true);

    const r = await raiseFlag(staff, {
      residentId,
      kind: "DEBT_RESPITE",
      note: "  Gjeldsordning opened by the enforcement office, case 26-1234  ",
      now: NOW,
    });
    expect(r).toMatchObject({ ok: true, alreadyOpen: false });
    const [flag] = await flagsOf(residentId);
    expect(flag).toMatchObject({
      kind: "DEBT_RESPITE",
      note: "Gjeldsordning opened by the enforcement office, case 26-1234",
      raisedBy: `staff:${staff.staffId}`,
      resolvedAt: null,
    });
    const [event] = await eventsOf(residentId);
    expect(event).toMatchObject({ actor: `staff:${staff.staffId}`, claimId: null });
    expect(event!.data).toEqual({ flagId: flag!.id, kind: "DEBT_RESPITE" });
    // After: nothing automatic for either claim, the other creditor's included (the flag is the
    // resident's); a person decides once the flag is resolved.
    expect(await nextLooks(claimIds)).toEqual([null, null]);
  });

  it("keeps one open flag of a kind: raising it again writes nothing; another kind is its own", async () => {
    const { residentId } = await residentWithClaims();
    const note = "Called: lost their job, cannot pay this month";
    const first = await raiseFlag(staff, { residentId, kind: "HARDSHIP", note, now: NOW });
    const again = await raiseFlag(staff, { residentId, kind: "HARDSHIP", note, now: NOW });
    expect(again).toEqual({ ok: true, flagId: first.ok ? first.flagId : "", alreadyOpen: true });
    expect(await eventsOf(residentId)).toHaveLength(1);
    const welfare = await raiseFlag(staff, {
      residentId,
      kind: "WELFARE_CONCERN",
      note: "Sounded confused on the phone",
      now: NOW,
    });
    expect(welfare).toMatchObject({ ok: true, alreadyOpen: false });
    expect((await flagsOf(residentId)).map((f) => f.kind)).toEqual(["HARDSHIP", "WELFARE_CONCERN"]);
  });

  it("refuses a missing or too long note, and a resident the staff member does not serve, writing nothing", async () => {
    const { residentId, claimIds } = await residentWithClaims();
    const before = await nextLooks(claimIds);
    const tries: [StaffContext, string, string, string][] = [
      [staff, residentId, "   ok  ", "reason_required"],
      [staff, residentId, "x".repeat(REASON_MAX + 1), "too_long"],
      // A staff member of a creditor this resident owes nothing.
      [{ ...staff, creditorIds: [randomUUID()] }, residentId, "A good reason", "not_found"],
      [staff, randomUUID(), "A good reason", "not_found"],
      [staff, "not-a-uuid", "A good reason", "not_found"],
    ];
    for (const [who, id, note, error] of tries)
      expect(await raiseFlag(who, { residentId: id, kind: "HARDSHIP", note, now: NOW })).toEqual({
        ok: false,
        error,
      });
    expect(await flagsOf(residentId)).toEqual([]);
    expect(await eventsOf(residentId)).toEqual([]);
    expect(await nextLooks(claimIds)).toEqual(before);
  });
});
