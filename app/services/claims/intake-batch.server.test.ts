import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "~/api/openapi";
import { db, disconnectDb } from "~/infra/db.server";
import { action } from "~/routes/api.v1.claims.batch";
import { createTestCreditor, seedDemo } from "../../../server/test-support/fixtures";
import { intakeBody, norwegianIds } from "../../../server/test-support/claim-rows";
import { createApiKey } from "../identity/api-keys.server";
import { findResidentByNationalId } from "../identity/residents.server";
import { receiveClaims } from "./intake-batch.server";
import { receiveClaim } from "./intake.server";

const NOW = new Date("2026-11-22T10:00:00Z");
const run = `${process.pid}-${Date.now().toString(36)}`;
// Identity numbers of this file's own (other files use the demo residents or low offsets).
const ids = norwegianIds(40, 20_000 + (process.pid % 1000) * 40);

let a: Awaited<ReturnType<typeof createTestCreditor>>;
let b: Awaited<ReturnType<typeof createTestCreditor>>;

beforeAll(async () => {
  await seedDemo();
  a = await createTestCreditor(`batch-a-${run}`);
  b = await createTestCreditor(`batch-b-${run}`);
});
afterAll(() => disconnectDb());

async function storedFor(creditorId: string, externalIds: string[]) {
  return db().claim.findMany({
    where: { creditorId, externalId: { in: externalIds } },
    include: { charges: true, events: { orderBy: { id: "asc" } } },
  });
}

function post(key: string, body: unknown, contentType = "application/json") {
  return action({
    request: new Request("http://localhost/api/v1/claims/batch", {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
    params: {},
    context: { cspNonce: "" },
  });
}

describe("a batch of claims", () => {
  it("answers each claim in order and stores exactly the good ones", async () => {
    const x = (n: number) => `B-${run}-${n}`;
    // Before the batch: one claim stored, to be repeated unchanged, and one to conflict with.
    const before = await receiveClaims(
      a.caller,
      [intakeBody(x(1), ids[0]!), intakeBody(x(2), ids[1]!)],
      NOW,
    );
    expect(before.map((r) => r.result)).toEqual(["created", "created"]);

    const batch = [
      intakeBody(x(3), ids[2]!), // 0 good
      intakeBody(x(1), ids[0]!), // 1 duplicate of a stored claim: unchanged
      intakeBody(x(2), ids[1]!, { principal: 99 }), // 2 conflicts with the stored claim
      intakeBody(x(4), "14876810184"), // 3 invalid identity number
      { externalId: x(5), claimType: "water" }, // 4 invalid: fields missing
      intakeBody(x(6), ids[3]!, {
        resident: { nationalId: ids[3], name: "Kari Nordmann", email: "kari@example.no" },
      }), // 5 good, a new resident
      intakeBody(x(3), ids[2]!), // 6 the same as claim 0 again: unchanged
      intakeBody(x(6), ids[3]!, { principal: 1 }), // 7 same externalId as 5, other content: conflict
      intakeBody(x(7), ids[3]!, { claimType: "parking" }), // 8 invalid claim type
      intakeBody(x(8), ids[3]!), // 9 good, the same resident as 5
    ];
    const results = await receiveClaims(a.caller, batch, NOW);
    expect(results.map((r) => [r.index, r.externalId, r.result])).toEqual([
      [0, x(3), "created"],
      [1, x(1), "unchanged"],
      [2, x(2), "conflict"],
      [3, x(4), "invalid"],
      [4, x(5), "invalid"],
      [5, x(6), "created"],
      [6, x(3), "unchanged"],
      [7, x(6), "conflict"],
      [8, x(7), "invalid"],
      [9, x(8), "created"],
    ]);
    const byIndex = (i: number) => results[i]!;
    const r1 = byIndex(1);
    const first = before[0]!;
    expect(
      r1.result === "unchanged" && first.result === "created" && r1.claim.id === first.claim.id,
    ).toBe(true);
    const r6 = byIndex(6);
    const r0 = byIndex(0);
    expect(
      r6.result === "unchanged" && r0.result === "created" && r6.claim.id === r0.claim.id,
    ).toBe(true);
    const r3 = byIndex(3);
    expect(r3.result === "invalid" && r3.errors.map((e) => e.path)).toEqual([
      "resident.nationalId",
    ]);
    const r4 = byIndex(4);
    expect(r4.result === "invalid" && r4.errors.map((e) => e.path).sort()).toEqual(
      ["currency", "description", "dueOn", "issuedOn", "principal", "resident"].sort(),
    );
    const r8 = byIndex(8);
    expect(r8.result === "invalid" && r8.errors).toEqual([
      {
        path: "claimType",
        code: "unknown_claim_type",
        message: "is not one of this creditor's claim types",
      },
    ]);

    // Stored: the two from before, and the three created now; nothing for 4, 5, 7.
    const stored = await storedFor(a.creditor.id, [1, 2, 3, 4, 5, 6, 7, 8].map(x));
    expect(stored.map((c) => c.externalId).sort()).toEqual([x(1), x(2), x(3), x(6), x(8)].sort());
    for (const c of stored) {
      expect(c.charges.map((ch) => [ch.kind, ch.legalBasis])).toEqual([
        ["PRINCIPAL", "principal.invoice"],
      ]);
      expect(c.events.map((e) => e.type)).toEqual(["claim.received"]);
      expect(c.charges[0]!.causeEventId).toBe(c.events[0]!.id);
      expect(c.status).toBe("OPEN");
      expect(c.stage).toBe("INVOICED");
      // Due 2026-09-01 and not yet reminded: the engine must look at it.
      expect(c.nextActionOn).not.toBeNull();
    }
    expect(stored.find((c) => c.externalId === x(2))!.charges[0]!.amount).toBe(125_000);
    // One resident for claims 5 and 9, registered once.
    const kari = await findResidentByNationalId("NO", ids[3]!);
    expect(kari?.name).toBe("Kari Nordmann");
    const registered = await db().event.count({
      where: { residentId: kari!.id, type: "resident.registered" },
    });
    expect(registered).toBe(1);
    expect(
      new Set(stored.filter((c) => [x(6), x(8)].includes(c.externalId)).map((c) => c.residentId))
        .size,
    ).toBe(1);
  });

  it("stores none of a batch when the database refuses one of its claims", async () => {
    const x = (n: number) => `R-${run}-${n}`;
    const claimsBefore = await db().claim.count({ where: { creditorId: a.creditor.id } });
    // A NUL passes the schema (the web's input gate stops it first) but PostgreSQL refuses it.
    await expect(
      receiveClaims(
        a.caller,
        [intakeBody(x(1), ids[10]!), intakeBody(x(2), ids[11]!, { description: "a\u0000b" })],
        NOW,
      ),
    ).rejects.toThrow();
    expect(await db().claim.count({ where: { creditorId: a.creditor.id } })).toBe(claimsBefore);
    expect(await findResidentByNationalId("NO", ids[10]!)).toBeNull();
  });

  it("gives a single claim the same rows as before: the single intake is a batch of one", async () => {
    const result = await receiveClaim(a.caller, intakeBody(`S-${run}`, ids[12]!), NOW);
    expect(result.kind).toBe("created");
    const again = await receiveClaim(a.caller, intakeBody(`S-${run}`, ids[12]!), NOW);
    expect(again.kind).toBe("existing");
  });
});

describe("POST /api/v1/claims/batch", () => {
  let keyA: string;
  let keyB: string;
  beforeAll(async () => {
    keyA = (await createApiKey(a.creditor.slug)).key;
    keyB = (await createApiKey(b.creditor.slug)).key;
  });

  it("stores claims for the key's own creditor only: a key of A cannot create for B", async () => {
    const externalId = `K-${run}`;
    const res = await post(keyA, { claims: [intakeBody(externalId, ids[20]!)] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.summary).toEqual({
      received: 1,
      created: 1,
      unchanged: 0,
      conflict: 0,
      invalid: 0,
    });
    // The answer is what the OpenAPI document promises.
    const doc = openApiDocument("http://localhost");
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(doc.components.schemas.ClaimBatchResult);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...body, extra: 1 })).toBe(false);
    expect(await storedFor(a.creditor.id, [externalId])).toHaveLength(1);
    expect(await storedFor(b.creditor.id, [externalId])).toHaveLength(0);
    // The same externalId from B is B's own claim, new to B: nothing of A's is seen or touched.
    const fromB = await (
      await post(keyB, { claims: [intakeBody(externalId, ids[20]!, { principal: 5 })] })
    ).json();
    expect(fromB.results[0].result).toBe("created");
    expect(fromB.results[0].claim.id).not.toBe(body.results[0].claim.id);
    const event = await db().event.findFirstOrThrow({
      where: { claimId: fromB.results[0].claim.id, type: "claim.received" },
    });
    expect(event.creditorId).toBe(b.creditor.id);
  });

  it("refuses without a valid key, and refuses what is not a batch, with clear problems", async () => {
    expect((await post("kp_live_nope", { claims: [] })).status).toBe(401);
    const notArray = await post(keyA, { claims: {} });
    expect(notArray.status).toBe(400);
    expect((await notArray.json()).errors).toEqual([
      { path: "claims", message: "must be an array of claims" },
    ]);
    expect((await post(keyA, { claims: [] })).status).toBe(400);
    expect((await post(keyA, "not json")).status).toBe(400);
    expect((await post(keyA, { claims: [{}] }, "text/plain")).status).toBe(415);
    const tooMany = await post(keyA, { claims: Array.from({ length: 1001 }, () => ({})) });
    expect(tooMany.status).toBe(413);
    expect((await tooMany.json()).detail).toMatch(/at most 1000 claims; this one has 1001/);
  });
});
