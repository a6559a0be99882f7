import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNorwegianFodselsnummer } from "~/domain/national-id";
import { formatSimulation } from "~/domain/policy-simulation-text";
import { db, disconnectDb } from "~/infra/db.server";
import { NO_STEPS } from "../../../prisma/demo-data";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { loadLawBook } from "../law/legal-figures.server";
import { recordPayment } from "../payments/ledger.server";
import { runSimulation } from "./policy-simulation.server";

/*
 * Decision 0105/0106 follow-up: the simulation applies each policy's write-off rule with the
 * engine's own evaluator. Claims with a small balance left (paid all but a few kroner) are written
 * off by a draft with a rule, while the current policy (no rule) sends them reminders with fees.
 */

const NOW = new Date("2026-11-20T10:00:00Z");
const CLAIMS = 16;
const tag = `${process.pid}${Date.now().toString(36)}`;
let claimTypeId = "";

const policy = (writeOff: unknown) => ({
  steps: NO_STEPS,
  enforcementMinimum: 50_000,
  chargesInterest: true,
  allocationOrder: ["costs", "interest", "principal"],
  resumeDeadlineDays: 14,
  postalDays: 2,
  ...(writeOff ? { writeOff } : {}),
});

beforeAll(async () => {
  await seedDemo();
  const creditor = await createTestCreditor(`simwo-${tag}`);
  claimTypeId = (await db().claimType.findFirstOrThrow({ where: { creditorId: creditor.creditor.id } })).id; // prettier-ignore
  const law = await loadLawBook();
  let serial = 0;
  // Claims of 1,000 kr, each paid 990 kr before any reminder: about 10 kr and interest left. The
  // estimate has each paid in full first with a chance of one in two (a draw from its id): with
  // six claims, all six were now and then (1 run in 64) and nothing was left to write off.
  for (let i = 0; i < CLAIMS; i++) {
    let nationalId: string | null = null;
    while (!nationalId)
      nationalId = makeNorwegianFodselsnummer("1981-02-14", 200 + serial++, { synthetic: true });
    const r = await receiveClaim(
      creditor.caller,
      {
        externalId: `simwo-${i}`,
        claimType: "water",
        resident: { nationalId, name: `Resident ${i}` },
        description: "Water and sewage",
        currency: "NOK",
        principal: 100_000,
        issuedOn: "2026-10-20",
        dueOn: "2026-11-10",
      },
      new Date("2026-10-20T12:00:00Z"),
    );
    if (r.kind !== "created") throw new Error(JSON.stringify(r));
    const claimId = r.claim.id;
    await db().$transaction((tx) =>
      recordPayment(tx, law, {
        claimId,
        amount: 99_000,
        currency: "NOK",
        receivedOn: "2026-11-12",
        method: "bank_transfer",
        providerRef: `simwo-${claimId}`,
        actor: "test",
      }),
    );
  }
});

afterAll(() => disconnectDb());

describe("the simulation counts write-offs", () => {
  it("shows the write-offs of a draft's rule that the current policy does not make", async () => {
    const rule = { belowMinor: 5_000, afterDays: 14, feesAndInterestOnly: false, mode: "auto" };
    const sim = await runSimulation({ claimTypeId, draft: policy(rule), days: 60, staffId: null, now: NOW }); // prettier-ignore
    if (!sim.ok) throw new Error(JSON.stringify(sim.errors));
    const { current, draft } = sim.summary;
    expect(current.writeOffs).toEqual({ claims: 0, amount: 0, queued: 0 });
    // Every one of the leftovers is written off (unless the estimate has it paid first).
    const paidFirst = draft.paid;
    expect(draft.writeOffs!.claims).toBe(CLAIMS - paidFirst);
    expect(draft.writeOffs!.claims).toBeGreaterThan(0);
    expect(draft.writeOffs!.amount).toBeGreaterThanOrEqual(draft.writeOffs!.claims * 1_000);
    expect(draft.writeOffs!.amount).toBeLessThan(draft.writeOffs!.claims * 5_000);
    expect(draft.writeOffs!.queued).toBe(0);
    // No reminder fee for a leftover under the draft; the current policy charges them.
    expect(draft.feesTotal).toBeLessThan(current.feesTotal);
    expect(sim.summary.residentsTreatedDifferently).toBeGreaterThan(0);
    const text = formatSimulation(sim.summary, "NOK");
    expect(text).toMatch(
      new RegExp(`Small balances written off\\s+0\\s+${draft.writeOffs!.claims}\\s`),
    );
    expect(text).not.toMatch(/not counted/i);
  });

  it("counts a queue-mode rule as put before staff, and the current policy's own rule too", async () => {
    const queue = { belowMinor: 5_000, afterDays: 14, feesAndInterestOnly: false, mode: "queue" };
    const sim = await runSimulation({ claimTypeId, draft: policy(queue), days: 60, staffId: null, now: NOW }); // prettier-ignore
    if (!sim.ok) throw new Error(JSON.stringify(sim.errors));
    expect(sim.summary.draft.writeOffs!.queued).toBe(sim.summary.draft.writeOffs!.claims);
    expect(sim.summary.draft.writeOffs!.claims).toBeGreaterThan(0);
  });
});
