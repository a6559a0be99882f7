import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateReference } from "~/domain/payment-reference";
import { db, disconnectDb } from "~/infra/db.server";
import { callerFor, elvdalClaim, rowCounts, seedDemo } from "../../../server/test-support/fixtures";
import { receiveClaim } from "./intake.server";
import { findResidentByNationalId } from "../identity/residents.server";

const NOW = new Date("2026-11-22T10:00:00Z");

beforeAll(() => seedDemo());
afterAll(() => disconnectDb());

describe("receiveClaim", () => {
  it("creates the claim, its principal charge and event in one go, with a valid KID", async () => {
    const caller = await callerFor("elvdal");
    const body = elvdalClaim();
    const result = await receiveClaim(caller, body, NOW);
    expect(result.kind).toBe("created");
    if (result.kind !== "created") return;
    expect(validateReference("KID_MOD10", result.claim.paymentReference)).toEqual({ ok: true });
    const charges = await db().charge.findMany({
      where: { claimId: result.claim.id },
      include: { causeEvent: true },
    });
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({
      kind: "PRINCIPAL",
      amount: 250_000,
      legalBasis: "principal.invoice",
    });
    expect(charges[0]!.causeEvent.type).toBe("claim.received");
  });

  it("answers a repeat with the same claim, and a changed body with a conflict", async () => {
    const caller = await callerFor("elvdal");
    const body = elvdalClaim();
    const first = await receiveClaim(caller, body, NOW);
    const reordered = JSON.parse(
      JSON.stringify({
        ...body,
        resident: { name: body.resident.name, nationalId: body.resident.nationalId },
      }),
    );
    const again = await receiveClaim(caller, reordered, NOW);
    expect(again.kind).toBe("existing");
    expect(
      again.kind === "existing" && first.kind === "created" && again.claim.id === first.claim.id,
    ).toBe(true);
    const changed = await receiveClaim(caller, { ...body, principal: 1 }, NOW);
    expect(changed.kind).toBe("conflict");
  });

  it("writes nothing at all for invalid input", async () => {
    const caller = await callerFor("elvdal");
    const before = await rowCounts();
    const results = await Promise.all([
      receiveClaim(caller, elvdalClaim({ principal: -5 }), NOW),
      receiveClaim(
        caller,
        elvdalClaim({ resident: { nationalId: "14876810184", name: "Wrong Check" } }),
        NOW,
      ),
      receiveClaim(caller, elvdalClaim({ claimType: "parking" }), NOW),
      receiveClaim(caller, elvdalClaim({ currency: "SEK" }), NOW),
      receiveClaim(caller, elvdalClaim({ dueOn: "2026-07-01" }), NOW),
      receiveClaim(caller, { externalId: "x" }, NOW),
      receiveClaim(caller, elvdalClaim({ unexpected: true }), NOW),
    ]);
    expect(results.map((r) => r.kind)).toEqual(Array(7).fill("invalid"));
    expect(await rowCounts()).toEqual(before);
  });

  it("creates one claim when the same request arrives twice at once", async () => {
    const caller = await callerFor("elvdal");
    const body = elvdalClaim();
    const results = await Promise.all([
      receiveClaim(caller, body, NOW),
      receiveClaim(caller, body, NOW),
      receiveClaim(caller, body, NOW),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(["created", "existing", "existing"]);
    expect(await db().claim.count({ where: { externalId: body.externalId } })).toBe(1);
  });

  it("stores the identity number encrypted and finds the resident by its keyed hash", async () => {
    const caller = await callerFor("elvdal");
    const nationalId = "01909910028";
    await receiveClaim(
      caller,
      elvdalClaim({ resident: { nationalId, name: "Sofie Larsen" } }),
      NOW,
    );
    const found = await findResidentByNationalId("NO", nationalId);
    expect(found?.name).toBe("Sofie Larsen");
    const raw = await db().$queryRaw<
      { row: string }[]
    >`SELECT row_to_json(r)::text AS row FROM "Resident" r`;
    expect(raw.length).toBeGreaterThan(0);
    for (const { row } of raw) expect(row).not.toContain(nationalId);
  });

  it("accepts a resident from across the border when the country is given", async () => {
    const caller = await callerFor("elvdal");
    const result = await receiveClaim(
      caller,
      elvdalClaim({
        resident: { nationalId: "195403129827", country: "SE", name: "Astrid Lindqvist" },
      }),
      NOW,
    );
    expect(result.kind).toBe("created");
    const astrid = await findResidentByNationalId("SE", "195403129827");
    expect(astrid).not.toBeNull();
    const count = await db().resident.count({ where: { name: "Astrid Lindqvist" } });
    expect(count).toBe(1);
  });

  it("keeps the event log append-only", async () => {
    const event = await db().event.findFirstOrThrow();
    await expect(
      db().event.update({ where: { id: event.id }, data: { type: "tampered" } }),
    ).rejects.toThrow(/append-only/);
    await expect(db().event.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
  });
});
