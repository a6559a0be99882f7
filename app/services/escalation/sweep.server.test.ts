import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { db, disconnectDb } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { runSweep } from "./sweep.server";
import { placeHold, releaseHolds } from "../claims/holds.server";
import { receiveClaim } from "../claims/intake.server";
import { sendLettersOfDay } from "../letters/send-day.server";

const START = "2026-03-02";
const PUBLIC_URL = "http://localhost:3000";
// Both have a postal address (and no email consent, no digital mailbox here): letters on paper.
const RESIDENTS = [
  {
    nationalId: "27829010068",
    name: "Ingrid Johansen",
    email: "ingrid@example.no",
    address: { lines: ["Vestbyveien 3"], postalCode: "2411", city: "Elverum" },
  },
  {
    nationalId: "14876810183",
    name: "Per Olsen",
    address: { lines: ["Postboks 44"], postalCode: "2401", city: "Elverum" },
  },
];

/** The day's letters leave that day (in the day's print batch). */
const sendLetters = (asOf: string, slug: string) =>
  sendLettersOfDay({ asOf, creditorSlug: slug, send: null, actor: "test" });

/** The same set of claims for any creditor: due dates and amounts vary, some under the floor. */
async function loadClaims(slug: string, count: number) {
  const { caller } = await createTestCreditor(slug);
  for (let i = 0; i < count; i++) {
    const dueOn = addDays(START, -(i % 50));
    const result = await receiveClaim(
      caller,
      {
        externalId: `C-${i}`,
        claimType: "water",
        resident: RESIDENTS[i % RESIDENTS.length],
        description: `Claim ${i}`,
        currency: "NOK",
        principal: i % 7 === 0 ? 15_000 : 100_000 + i * 100,
        issuedOn: addDays(dueOn, -30),
        dueOn,
      },
      new Date(`${addDays(dueOn, 1)}T12:00:00Z`),
    );
    if (result.kind !== "created") throw new Error(JSON.stringify(result));
  }
}

/** Everything the engine wrote for a creditor, without ids and timestamps, to compare runs. */
async function snapshot(slug: string) {
  const claims = await db().claim.findMany({
    where: { creditor: { slug } },
    include: {
      charges: { orderBy: [{ chargedOn: "asc" }, { kind: "asc" }] },
      steps: { orderBy: [{ takenOn: "asc" }, { key: "asc" }] },
      notices: { include: { outbox: true }, orderBy: [{ sentOn: "asc" }, { kind: "asc" }] },
      events: { orderBy: [{ occurredOn: "asc" }, { type: "asc" }] },
    },
    orderBy: { externalId: "asc" },
  });
  return claims.map((c) => ({
    externalId: c.externalId,
    stage: c.stage,
    stageEnteredOn: isoOf(c.stageEnteredOn),
    nextActionOn: c.nextActionOn ? isoOf(c.nextActionOn) : null,
    charges: c.charges.map((x) => `${x.kind}:${x.amount}:${isoOf(x.chargedOn)}:${x.legalBasis}`),
    steps: c.steps.map(
      (s) => `${s.key}:${isoOf(s.takenOn)}:${s.deadline ? isoOf(s.deadline) : "-"}`,
    ),
    notices: c.notices.map((n) => `${n.kind}:${isoOf(n.sentOn)}:${n.channel}:${n.outbox.length}`),
    events: c.events.map((e) => `${e.type}:${isoOf(e.occurredOn)}`),
  }));
}

async function sweepDays(slug: string, days: number, concurrent = 1, batchSize = 7) {
  for (let d = 0; d < days; d++) {
    const asOf = addDays(START, d);
    await Promise.all(
      Array.from({ length: concurrent }, () =>
        runSweep({ asOf, creditorSlug: slug, publicUrl: PUBLIC_URL, batchSize }),
      ),
    );
    await sendLetters(asOf, slug);
  }
}

const run = Date.now().toString(36);
// These tests sweep day by day for weeks (up to 140 sweeps and their letters): past the default
// 30 s when the machine is shared with other test files.
const SWEEPING = 120_000;
beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

describe("the escalation sweep", () => {
  it(
    "takes due steps with their fees and notices, and a re-run on the same day changes nothing",
    async () => {
      const slug = `rerun-${run}`;
      await loadClaims(slug, 40);
      const first = await runSweep({ asOf: START, creditorSlug: slug, publicUrl: PUBLIC_URL });
      expect(first.examined).toBeGreaterThan(0);
      expect(Object.values(first.steps).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      const after = await snapshot(slug);
      const again = await runSweep({ asOf: START, creditorSlug: slug, publicUrl: PUBLIC_URL });
      expect(again.examined).toBe(0);
      expect(again.steps).toEqual({});
      expect(await snapshot(slug)).toEqual(after);

      // Each step's event records the step, its deadline and its fee, and its fee's charge
      // points back at it.
      const steps = await db().claimStep.findMany({
        where: { claim: { creditor: { slug } } },
        include: { claim: { include: { charges: true } } },
      });
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        const event = await db().event.findUniqueOrThrow({ where: { id: step.eventId } });
        const charge = step.claim.charges.find((c) => c.causeEventId === step.eventId);
        expect(event.actor).toBe("system");
        expect(event.data).toEqual({
          step: step.key,
          deadline: step.deadline ? isoOf(step.deadline) : null,
          fee: charge ? { kind: charge.kind, amount: charge.amount } : null,
        });
      }

      // Every fee came with the notice that announced it, on the same day.
      for (const claim of after) {
        for (const charge of claim.charges.filter((c) => !c.startsWith("PRINCIPAL"))) {
          const day = charge.split(":")[2];
          expect(claim.notices.some((n) => n.split(":")[1] === day)).toBe(true);
        }
      }
    },
    SWEEPING,
  );

  it(
    "gives the same result when two sweeps run at once as when one runs",
    async () => {
      const one = `one-${run}`;
      const two = `two-${run}`;
      await loadClaims(one, 60);
      await loadClaims(two, 60);
      await sweepDays(one, 70, 1);
      await sweepDays(two, 70, 2, 3);
      const a = await snapshot(one);
      const b = await snapshot(two);
      expect(b).toEqual(a);
      // Over 70 days some claims reach the queue for a person; none under the floor does.
      expect(a.some((c) => c.stage === "READY_FOR_ENFORCEMENT")).toBe(true);
      const small = a.filter((c) => Number(c.externalId.slice(2)) % 7 === 0);
      expect(small.length).toBeGreaterThan(0);
      for (const c of small) expect(c.stage).not.toBe("READY_FOR_ENFORCEMENT");
      expect(a.every((c) => c.stage !== "FILED")).toBe(true);
    },
    SWEEPING,
  );

  it(
    "a sweep killed half-way and run again equals one that was never killed",
    async () => {
      const killed = `killed-${run}`;
      const whole = `whole-${run}`;
      await loadClaims(killed, 120);
      await loadClaims(whole, 120);
      const asOf = addDays(START, 20);
      await runSweep({ asOf, creditorSlug: whole, publicUrl: PUBLIC_URL });

      const child = spawn(
        process.execPath,
        ["server/bin/kravportal.js", "escalate", "--as-of", asOf, "--creditor", killed],
        { env: { ...process.env, ESCALATION_BATCH_SIZE: "2" }, stdio: "ignore" },
      );
      const exited = new Promise((resolve) => child.on("exit", resolve));
      const stepsOf = () =>
        db().claimStep.count({ where: { claim: { creditor: { slug: killed } } } });
      const deadline = Date.now() + 30_000;
      while ((await stepsOf()) === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      child.kill("SIGKILL");
      await exited;
      const partial = await stepsOf();
      const total = (await snapshot(whole)).reduce((n, c) => n + c.steps.length, 0);
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(total); // it really stopped half-way

      await runSweep({ asOf, creditorSlug: killed, publicUrl: PUBLIC_URL });
      await sendLetters(asOf, killed);
      await sendLetters(asOf, whole);
      expect(await snapshot(killed)).toEqual(await snapshot(whole));
    },
    SWEEPING,
  );

  it(
    "leaves a held claim alone, then gives a fresh deadline before any further step",
    async () => {
      const slug = `held-${run}`;
      await loadClaims(slug, 1); // C-0: due on START, principal under the floor is fine here
      const holdFrom = addDays(START, 10);
      const held = await placeHold({
        creditorSlug: slug,
        externalId: "C-0",
        kind: "DISPUTE",
        reason: "Resident objects",
        startsOn: holdFrom,
        actor: "test",
      });
      expect(held.ok).toBe(true);
      await sweepDays(slug, 40);
      let [claim] = await snapshot(slug);
      expect(claim!.stage).toBe("INVOICED");
      expect(claim!.steps).toEqual([]);

      const releaseOn = addDays(START, 40);
      expect(
        (
          await releaseHolds({
            creditorSlug: slug,
            externalId: "C-0",
            on: releaseOn,
            reason: "Rejected",
            actor: "test",
          })
        ).ok,
      ).toBe(true);
      for (let d = 40; d < 80; d++) {
        await runSweep({ asOf: addDays(START, d), creditorSlug: slug, publicUrl: PUBLIC_URL });
        await sendLetters(addDays(START, d), slug);
      }
      [claim] = await snapshot(slug);
      const [fresh, reminder] = claim!.steps;
      expect(fresh).toMatch(new RegExp(`^RESUME:.*:${releaseOn}:`));
      const freshDeadline = fresh!.split(":").at(-1)!;
      expect(reminder).toMatch(/^REMINDER:/);
      expect(reminder!.split(":")[1]! > freshDeadline).toBe(true);
      expect(claim!.notices[0]).toMatch(/^FRESH_DEADLINE:/);
    },
    SWEEPING,
  );
});
