import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { bandOf } from "~/domain/amount-bands";
import { db, disconnectDb } from "~/infra/db.server";
import { NO_STEPS } from "../../../prisma/demo-data";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { adoptDraft, caseFlow, saveDraft, type StaffContext } from "./case-flows.server";
import { runSimulation } from "./policy-simulation.server";

/*
 * Issue 16, must-show 3: a draft with no enforcement floor, simulated over generated small claims
 * of the creditor's own, sends more small claims to the enforcement queue than the current
 * policy; adopting it records that simulation. A draft is checked against the law as `policy set`
 * checks it, and another creditor's staff see nothing.
 */

const NOW = new Date("2026-11-20T10:00:00Z");
const tag = `${process.pid}${Date.now().toString(36)}`;
let creditor: Awaited<ReturnType<typeof createTestCreditor>>;
let other: Awaited<ReturnType<typeof createTestCreditor>>;
let claimTypeId: string;
let admin: StaffContext;
let outsider: StaffContext;

const lawful = (enforcementMinimum: number) => ({
  steps: NO_STEPS,
  enforcementMinimum,
  chargesInterest: true,
  allocationOrder: ["costs", "interest", "principal"],
  resumeDeadlineDays: 14,
  postalDays: 2,
});

async function staffOf(creditorId: string, role: "ADMIN" | "AGENT", name: string) {
  const s = await db().staff.create({
    data: {
      email: `cf-${tag}-${name}@example.test`,
      name,
      role,
      passwordHash: "x",
      totpSecretCipher: "x",
      creditors: { create: [{ creditorId }] },
    },
  });
  return { staffId: s.id, role, creditorIds: [creditorId] } as StaffContext;
}

beforeAll(async () => {
  await seedDemo();
  creditor = await createTestCreditor(`cf-${tag}`);
  other = await createTestCreditor(`cf-other-${tag}`);
  claimTypeId = (await db().claimType.findFirstOrThrow({ where: { creditorId: creditor.creditor.id } })).id; // prettier-ignore
  admin = await staffOf(creditor.creditor.id, "ADMIN", "Admin Astrid");
  outsider = await staffOf(other.creditor.id, "ADMIN", "Other Ola");
  // Generated claims: 60 small ones (50–150 kr) and 10 larger, all overdue by a month.
  let serial = 0;
  for (let i = 0; i < 70; i++) {
    let nationalId: string | null = null;
    while (!nationalId)
      nationalId = makeNorwegianFodselsnummer("1977-05-03", 100 + (serial++ % 400), { synthetic: true }); // prettier-ignore
    const r = await receiveClaim(
      creditor.caller,
      {
        externalId: `cf-${i}`,
        claimType: "water",
        resident: { nationalId, name: `Resident ${i}` },
        description: "Water and sewage",
        currency: "NOK",
        principal: i < 60 ? 5_000 + (i % 11) * 1_000 : 120_000 + i * 1_000,
        issuedOn: "2026-09-20",
        dueOn: "2026-10-20",
      },
      new Date("2026-09-20T12:00:00Z"),
    );
    expect(r.kind).toBe("created");
  }
});

afterAll(() => disconnectDb());

describe("a draft case flow", () => {
  it("is refused with every reason when it breaks the law, and nothing is stored", async () => {
    const bad = {
      ...lawful(0),
      steps: [
        { ...NO_STEPS[0]!, fee: { kind: "REMINDER_FEE", amount: 99_000 } },
        { ...NO_STEPS[1]!, deadlineDays: 3 },
        ...NO_STEPS.slice(2),
      ],
    };
    const r = await saveDraft(admin, claimTypeId, bad, NOW);
    expect(r.ok).toBe(false);
    const errors = "errors" in r ? r.errors : [];
    expect(errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(["steps.0.fee.amount", "steps.1.deadlineDays"]),
    );
    const fee = errors.find((e) => e.path === "steps.0.fee.amount");
    expect(fee?.message).toMatch(/legal cap/);
    expect(fee?.code).toBe("fee_above_cap");
    expect(await db().policyDraft.count({ where: { claimTypeId } })).toBe(0);
  });

  it("is invisible to another creditor's staff", async () => {
    expect(await caseFlow(outsider, claimTypeId, NOW)).toBeNull();
    expect(await saveDraft(outsider, claimTypeId, lawful(0), NOW)).toEqual({
      ok: false,
      notFound: true,
    });
    expect(await adoptDraft(outsider, claimTypeId, "x", NOW)).toEqual({ ok: false, notFound: true }); // prettier-ignore
  });

  it("with no enforcement floor sends more small claims to the queue; adopting records the run", async () => {
    expect(await saveDraft(admin, claimTypeId, lawful(0), NOW)).toEqual({ ok: true });
    // Not without a simulation of exactly this draft.
    expect(await adoptDraft(admin, claimTypeId, "00000000-0000-0000-0000-000000000000", NOW)).toMatchObject({ ok: false, error: "simulation_needed" }); // prettier-ignore

    const sim = await runSimulation({ claimTypeId, draft: lawful(0), days: 90, staffId: admin.staffId, now: NOW }); // prettier-ignore
    if (!sim.ok) throw new Error(JSON.stringify(sim.errors));
    const { current, draft, estimate } = sim.summary;
    expect(sim.summary.claims).toBe(70);
    expect(estimate.source).toBe("default");
    expect(current.enforcement.b0.claims).toBe(0);
    expect(draft.enforcement.b0.claims).toBeGreaterThan(current.enforcement.b0.claims);
    // Larger claims are not affected by the floor: the same in both.
    expect(draft.enforcement.b3).toEqual(current.enforcement.b3);
    expect(current.letters.REMINDER).toBeGreaterThan(0);
    expect(sim.summary.residentsTreatedDifferently).toBe(draft.enforcement.b0.claims);

    // Deterministic: the same run gives the same answer.
    const again = await runSimulation({ claimTypeId, draft: lawful(0), days: 90, staffId: admin.staffId, now: NOW }); // prettier-ignore
    expect(again.ok && again.summary).toEqual(sim.summary);

    // A simulation of another content does not adopt this draft.
    const otherRun = await runSimulation({ claimTypeId, draft: lawful(10_000), days: 90, staffId: admin.staffId, now: NOW }); // prettier-ignore
    if (!otherRun.ok) throw new Error("simulation refused");
    expect(await adoptDraft(admin, claimTypeId, otherRun.id, NOW)).toMatchObject({ ok: false, error: "simulation_needed" }); // prettier-ignore

    const adopted = await adoptDraft(admin, claimTypeId, sim.id, NOW);
    expect(adopted).toEqual({ ok: true, version: 2 });
    const policy = await db().policy.findUniqueOrThrow({ where: { claimTypeId_version: { claimTypeId, version: 2 } } }); // prettier-ignore
    expect(policy).toMatchObject({ enforcementMinimum: 0, adoptedByStaffId: admin.staffId, adoptedSimulationId: sim.id }); // prettier-ignore
    const event = await db().event.findFirstOrThrow({ where: { creditorId: creditor.creditor.id, type: "policy.adopted" } }); // prettier-ignore
    expect(event.data).toMatchObject({ version: 2, simulationId: sim.id });
    expect(await db().policyDraft.count({ where: { claimTypeId } })).toBe(0);
    // Existing claims keep the version they started under.
    expect(await db().claim.count({ where: { claimTypeId, policyId: policy.id } })).toBe(0);

    const flow = await caseFlow(admin, claimTypeId, NOW);
    expect(flow?.versions[0]).toMatchObject({ version: 2, adoptedBy: "Admin Astrid", adoptedSimulationId: sim.id }); // prettier-ignore
  });

  it("carries a small-balance rule from the draft to the adopted version, and refuses an unlawful one", async () => {
    const rule = { belowMinor: 5_000, afterDays: 30, feesAndInterestOnly: true, mode: "queue" as const }; // prettier-ignore
    const bad = await saveDraft(admin, claimTypeId, { ...lawful(0), writeOff: { ...rule, afterDays: 9_999 } }, NOW); // prettier-ignore
    expect("errors" in bad ? bad.errors.map((e) => e.path) : []).toEqual(["writeOff.afterDays"]);
    const draft = { ...lawful(0), writeOff: rule };
    expect(await saveDraft(admin, claimTypeId, draft, NOW)).toEqual({ ok: true });
    const sim = await runSimulation({ claimTypeId, draft, days: 30, staffId: admin.staffId, now: NOW }); // prettier-ignore
    if (!sim.ok) throw new Error(JSON.stringify(sim.errors));
    const adopted = await adoptDraft(admin, claimTypeId, sim.id, NOW);
    if (!adopted.ok) throw new Error(JSON.stringify(adopted));
    const policy = await db().policy.findUniqueOrThrow({ where: { claimTypeId_version: { claimTypeId, version: adopted.version } } }); // prettier-ignore
    expect(policy.writeOff).toEqual(rule);
    const flow = await caseFlow(admin, claimTypeId, NOW);
    expect(flow?.versions[0]?.content.writeOff).toEqual(rule);
  });

  it("bands principal in main currency units", () => {
    expect([19_999, 20_000, 50_000, 99_999, 100_000, 500_000].map(bandOf)).toEqual([
      "b0",
      "b1",
      "b2",
      "b2",
      "b3",
      "b4",
    ]);
  });
});
