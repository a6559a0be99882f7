import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb, pgTransaction } from "~/infra/db.server";
import { seedDemo } from "../../server/test-support/fixtures";
import { claimStateInclude, loadClaimStates } from "./claim-state.server";

beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

describe("the sweep's claim loader", () => {
  it("returns exactly what Prisma's include returns, so the sweep decides on the same data", async () => {
    const ids = (await db().claim.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map(
      (c) => c.id,
    );
    expect(ids.length).toBeGreaterThan(10);
    const viaPrisma = await db().claim.findMany({
      where: { id: { in: ids } },
      include: claimStateInclude,
      orderBy: { id: "asc" },
    });
    const viaSql = await db().$transaction((tx) => loadClaimStates(tx, ids));
    // The sweep loads on a plain pg connection, whose own parsing of dates and int8 differs.
    const viaPg = await pgTransaction((client) => loadClaimStates(client, ids));
    // Relations may come back in another order for equal sort keys; compare sorted by id.
    const norm = (rows: typeof viaPrisma) =>
      JSON.parse(
        JSON.stringify(
          rows.map((r) => ({
            ...r,
            charges: [...r.charges].sort((a, b) => a.id.localeCompare(b.id)),
            payments: [...r.payments].sort((a, b) => a.id.localeCompare(b.id)),
            holds: [...r.holds].sort((a, b) => a.id.localeCompare(b.id)),
            steps: [...r.steps].sort((a, b) => a.id.localeCompare(b.id)),
          })),
          (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
        ),
      );
    expect(norm(viaSql)).toEqual(norm(viaPrisma));
    expect(norm(viaPg)).toEqual(norm(viaPrisma));
    // JSON hides a Date or bigint that came back as a string: compare the kinds too.
    const kinds = (rows: typeof viaPrisma) =>
      rows.map((r) => [
        r.dueOn instanceof Date,
        r.createdAt instanceof Date,
        ...r.charges.map((c) => [c.chargedOn instanceof Date, typeof c.causeEventId]),
        ...r.steps.map((s) => [s.takenOn instanceof Date, typeof s.eventId]),
        ...r.payments.map((p) => p.receivedOn instanceof Date),
      ]);
    expect(kinds(viaPg)).toEqual(kinds(viaPrisma));
  });
});
