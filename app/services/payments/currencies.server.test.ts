import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "~/domain/calendar-date";
import { makeSwedishPersonnummer } from "~/domain/national-id";
import { payPathOf } from "~/domain/currency-groups";
import { db, disconnectDb } from "~/infra/db.server";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "../claims/intake.server";
import { residentClaimGroups } from "../portal/claims.server";
import { previewPayment } from "./checkout.server";

// Issue 15: a cross-border resident with bills in two currencies. A payment has one currency;
// the bills are grouped by currency everywhere, and asking for two currencies at once gets the
// way on (each currency's bills), never a dead end.

const run = Date.now().toString(36);
const NOW = new Date("2026-03-01T12:00:00Z");
let residentId = "";
const nok: string[] = [];
let sek = "";

beforeAll(async () => {
  await seedDemo();
  const no = (await createTestCreditor(`cur-no-${run}`, "NO")).caller;
  const se = (await createTestCreditor(`cur-se-${run}`, "SE")).caller;
  // A Swedish resident with a Norwegian bill too; a new resident each run.
  const stamp = Date.now();
  const born = addDays("1950-01-01", stamp % 18_000);
  const resident = {
    nationalId: makeSwedishPersonnummer(born, Math.floor(stamp / 18_000) % 1_000),
    country: "SE" as const,
    name: "Grete Grense",
  };
  const claim = async (caller: typeof no, externalId: string, principal: number) => {
    const r = await receiveClaim(
      caller,
      {
        externalId,
        claimType: "water",
        resident,
        description: externalId,
        currency: caller.currency,
        principal,
        issuedOn: "2026-01-15",
        dueOn: "2027-12-31", // not due: no interest, the balance is the principal
      },
      new Date("2026-01-20T12:00:00Z"),
    );
    if (r.kind !== "created") throw new Error(JSON.stringify(r));
    return r.claim.id;
  };
  nok.push(await claim(no, `NOK-1-${run}`, 40_000), await claim(no, `NOK-2-${run}`, 25_050));
  sek = await claim(se, `SEK-1-${run}`, 70_000);
  residentId = (await db().claim.findUniqueOrThrow({ where: { id: sek } })).residentId;
});
afterAll(() => disconnectDb());

describe("bills in several currencies", () => {
  it("are grouped on My claims by currency, each with its own total", async () => {
    const groups = await residentClaimGroups(residentId, NOW);
    expect(
      groups.map((g) => ({
        currency: g.currency,
        total: g.total,
        ids: g.items.map((c) => c.id).sort(),
      })),
    ).toEqual([
      { currency: "NOK", total: 65_050, ids: [...nok].sort() },
      { currency: "SEK", total: 70_000, ids: [sek] },
    ]);
  });

  it("asked together, answer with each currency's bills to pay on their own", async () => {
    const mixed = await previewPayment({
      residentId,
      claims: [{ claimId: sek }, { claimId: nok[0]! }, { claimId: nok[1]! }],
      now: NOW,
    });
    expect(mixed).toEqual({
      ok: false,
      error: "mixed_currency",
      groups: [
        { currency: "NOK", total: 65_050, claimIds: nok },
        { currency: "SEK", total: 70_000, claimIds: [sek] },
      ],
    });
    // Each group is a payment of its own, for exactly the total shown.
    if (mixed.ok || !mixed.groups) throw new Error("no groups");
    for (const group of mixed.groups) {
      const one = await previewPayment({
        residentId,
        claims: group.claimIds.map((claimId) => ({ claimId })),
        now: NOW,
      });
      expect(one).toMatchObject({ ok: true, currency: group.currency, total: group.total });
    }
  });

  it("link to the payment page of each group's bills", () => {
    expect(payPathOf(["a", "b"])).toBe("/pay?claim=a&claim=b");
  });
});
