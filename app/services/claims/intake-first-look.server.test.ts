import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { todayIn } from "~/domain/calendar-date";
import type { ClaimSnapshot } from "~/domain/claim";
import * as received from "~/domain/claim-received";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { intakeBody, norwegianIds } from "../../../server/test-support/claim-rows";
import { loadLawBook } from "../law/legal-figures.server";
import { findResidentByNationalId } from "../identity/residents.server";
import { receiveClaims } from "./intake-batch.server";
import { loadClaims } from "./load-claims.server";

// The intake works out when the engine first looks at a new claim from the snapshot the claim
// will have (receivedSnapshot), without reading it back (decision 0114). Held here to the loader:
// the snapshot it builds is the one the loader reads once the claim is stored, and the look it
// wrote is the evaluator's answer on that.
const NOW = new Date("2026-11-22T10:00:00Z");
const run = `${process.pid}-${Date.now().toString(36)}`;
const ids = norwegianIds(6, 26_000 + (process.pid % 1000) * 6);

let t: Awaited<ReturnType<typeof createTestCreditor>>;
beforeAll(async () => {
  await seedDemo();
  t = await createTestCreditor(`first-look-${run}`);
});
afterAll(() => disconnectDb());

describe("a new claim's first look", () => {
  it("is worked out on the snapshot the loader reads back, for new and known residents alike", async () => {
    const x = (n: number) => `FL-${run}-${n}`;
    // A known resident, without email or language, with an unresolved vulnerability flag.
    await receiveClaims(t.caller, [intakeBody(x(0), ids[0]!)], NOW);
    const known = await findResidentByNationalId("NO", ids[0]!);
    await db().vulnerabilityFlag.create({
      data: { residentId: known!.id, kind: "HARDSHIP", note: "test", raisedBy: "staff" },
    });
    // What the intake worked out each first look on: the snapshots it built, caught on the way.
    const firstLook = vi.spyOn(received, "firstLookOn");
    const out = await receiveClaims(
      t.caller,
      [
        // The known resident again, now with email and language: they fill what was empty.
        intakeBody(x(1), ids[0]!, {
          resident: {
            nationalId: ids[0],
            name: "Another name",
            email: "k@example.org",
            language: "nn",
          },
        }),
        // Not yet due, due long ago, and two claims of one new resident in one batch.
        intakeBody(x(2), ids[1]!, { dueOn: "2026-12-20", issuedOn: "2026-11-20" }),
        intakeBody(x(3), ids[2]!, {
          dueOn: "2026-03-01",
          issuedOn: "2026-02-01",
          principal: 9_900,
        }),
        intakeBody(x(4), ids[2]!, { claimType: "water", principal: 450_000 }),
      ],
      NOW,
    );
    expect(out.map((o) => o.result)).toEqual(["created", "created", "created", "created"]);
    const built = new Map(
      firstLook.mock.calls.map(([claim]) => [claim.id, claim] as [string, ClaimSnapshot]),
    );
    firstLook.mockRestore();

    const stored = await db().claim.findMany({
      where: { creditorId: t.creditor.id, externalId: { in: [1, 2, 3, 4].map(x) } },
      select: { id: true },
    });
    const loaded = await loadClaims(undefined, { ids: stored.map((c) => c.id) });
    expect(loaded).toHaveLength(4);
    const law = await loadLawBook();
    const today = todayIn(t.creditor.timeZone, NOW);
    const looks = new Set<string | null>();
    for (const claim of loaded) {
      const { extra: _extra, ...snapshot } = claim;
      // The snapshot the intake built is the one the loader reads back, but for the look itself.
      expect(built.get(claim.id)).toEqual({ ...snapshot, nextActionOn: null });
      expect(claim.nextActionOn).toBe(received.firstLookOn(snapshot, law, today));
      looks.add(claim.nextActionOn);
    }
    // The known resident as stored after the batch: name kept, email and language filled, flagged.
    const again = loaded.find((c) => c.externalId === x(1))!;
    expect(again.resident).toEqual({
      name: known!.name,
      email: "k@example.org",
      language: "nn",
      vulnerable: true,
    });
    // The claims were not all given one date: the test would not notice a constant.
    expect(looks.size).toBeGreaterThan(1);
  });
});
