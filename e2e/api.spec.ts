import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { createApiKey } from "./support";

type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }
    >
  >;
  components: { schemas: Record<string, object> };
};

let elvdalKey: string;
let vastkustKey: string;
let openapi: OpenApi;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

const run = Date.now().toString(36);
const body = (overrides: Record<string, unknown> = {}) => ({
  externalId: `API-${run}-1`,
  claimType: "water",
  resident: { nationalId: "05928310010", name: "Ola Hansen", email: "ola@example.no" },
  description: "Vann og avløp, 4. termin",
  currency: "NOK",
  principal: 123_450,
  issuedOn: "2026-09-01",
  dueOn: "2026-10-01",
  ...overrides,
});

/** Every response is checked against what the OpenAPI document promises for its path, method and status. */
async function conforms(res: APIResponse, path: string, method: string) {
  const op = openapi.paths[path]?.[method];
  expect(op, `${method} ${path} is documented`).toBeDefined();
  const documented = op!.responses[String(res.status())];
  expect(documented, `${method} ${path} documents status ${res.status()}`).toBeDefined();
  const contentType = res.headers()["content-type"]!.split(";")[0]!;
  const media = documented!.content?.[contentType];
  expect(media, `${method} ${path} ${res.status()} documents ${contentType}`).toBeDefined();
  const name = media!.schema.$ref.split("/").pop()!;
  const validate =
    ajv.getSchema(name) ?? ajv.compile({ $id: name, ...openapi.components.schemas[name] });
  const json: unknown = await res.json();
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  return json as Record<string, unknown>;
}

async function post(request: APIRequestContext, key: string | null, data: unknown) {
  return request.post("/api/v1/claims", {
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      "Content-Type": "application/json",
    },
    data: typeof data === "string" ? data : JSON.stringify(data),
  });
}

test.beforeAll(async ({ request }) => {
  [elvdalKey, vastkustKey] = await Promise.all([createApiKey("elvdal"), createApiKey("vastkust")]);
  openapi = (await (await request.get("/api/v1/openapi.json")).json()) as OpenApi;
});

test("201 creates a claim with a valid KID; the same request again is 200 with the same claim", async ({
  request,
}) => {
  const created = await post(request, elvdalKey, body());
  expect(created.status()).toBe(201);
  const claim = await conforms(created, "/api/v1/claims", "post");
  expect(claim).toMatchObject({
    externalId: `API-${run}-1`,
    status: "OPEN",
    stage: "INVOICED",
    principal: 123_450,
  });
  expect(String(claim.paymentReference)).toMatch(/^471\d{9}$/);

  const again = await post(request, elvdalKey, {
    ...body(),
    resident: { email: "ola@example.no", name: "Ola Hansen", nationalId: "05928310010" },
  });
  expect(again.status()).toBe(200);
  expect(await conforms(again, "/api/v1/claims", "post")).toEqual(claim);

  const view = await request.get(`/api/v1/claims/API-${run}-1`, {
    headers: { Authorization: `Bearer ${elvdalKey}` },
  });
  expect(view.status()).toBe(200);
  const detail = await conforms(view, "/api/v1/claims/{externalId}", "get");
  expect(detail).toMatchObject({ id: claim.id, stage: "INVOICED", holds: [] });
  expect(detail.charges).toEqual([
    {
      kind: "PRINCIPAL",
      amount: 123_450,
      chargedOn: "2026-09-01",
      cause: "claim.received",
      legalBasis: "principal.invoice",
    },
  ]);
  const balance = detail.balance as {
    principal: number;
    fees: number;
    interest: number;
    total: number;
  };
  expect(balance.principal).toBe(123_450);
  expect(balance.interest).toBeGreaterThan(0); // water charges interest, and it is past due
  expect(balance.total).toBe(balance.principal + balance.fees + balance.interest);
  expect((detail.events as { type: string }[]).map((e) => e.type)).toEqual(["claim.received"]);
});

test("409 for the same externalId with a different body", async ({ request }) => {
  expect((await post(request, elvdalKey, body({ externalId: `API-${run}-2` }))).status()).toBe(201);
  const conflict = await post(
    request,
    elvdalKey,
    body({ externalId: `API-${run}-2`, principal: 99_900 }),
  );
  expect(conflict.status()).toBe(409);
  await conforms(conflict, "/api/v1/claims", "post");
});

test("400 lists every problem as problem+json, and nothing is written", async ({ request }) => {
  const bad = await post(
    request,
    elvdalKey,
    body({
      externalId: `API-${run}-3`,
      principal: 12.5,
      dueOn: "2026-02-30",
      claimType: "parking",
      resident: { nationalId: "05928310011", name: "" },
    }),
  );
  expect(bad.status()).toBe(400);
  const problem = await conforms(bad, "/api/v1/claims", "post");
  const paths = (problem.errors as { path: string }[]).map((e) => e.path).sort();
  expect(paths).toEqual(["dueOn", "principal", "resident.name"]);

  // Valid shape, but the identity number, claim type and currency are wrong for this creditor.
  const wrong = await post(
    request,
    elvdalKey,
    body({
      externalId: `API-${run}-3`,
      claimType: "parking",
      currency: "SEK",
      resident: { nationalId: "05928310011", name: "X" },
    }),
  );
  expect(wrong.status()).toBe(400);
  const wrongPaths = (
    (await conforms(wrong, "/api/v1/claims", "post")).errors as { path: string }[]
  )
    .map((e) => e.path)
    .sort();
  expect(wrongPaths).toEqual(["claimType", "currency", "resident.nationalId"]);

  const notJson = await post(request, elvdalKey, "{not json");
  expect(notJson.status()).toBe(400);
  await conforms(notJson, "/api/v1/claims", "post");

  const after = await request.get(`/api/v1/claims/API-${run}-3`, {
    headers: { Authorization: `Bearer ${elvdalKey}` },
  });
  expect(after.status()).toBe(404);
});

test("401 without a key or with a wrong one; another creditor's claim is 404", async ({
  request,
}) => {
  const none = await post(request, null, body());
  expect(none.status()).toBe(401);
  await conforms(none, "/api/v1/claims", "post");
  const wrong = await request.get("/api/v1/claim-types", {
    headers: { Authorization: "Bearer kp_live_not-a-key" },
  });
  expect(wrong.status()).toBe(401);
  await conforms(wrong, "/api/v1/claim-types", "get");

  const elvdalClaim = await request.get("/api/v1/claims/EK-2026-5001", {
    headers: { Authorization: `Bearer ${elvdalKey}` },
  });
  expect(elvdalClaim.status()).toBe(200);
  const foreign = await request.get("/api/v1/claims/EK-2026-5001", {
    headers: { Authorization: `Bearer ${vastkustKey}` },
  });
  expect(foreign.status()).toBe(404);
  await conforms(foreign, "/api/v1/claims/{externalId}", "get");
});

test("claim types are the caller's own; charges show fees with their legal basis", async ({
  request,
}) => {
  const types = await request.get("/api/v1/claim-types", {
    headers: { Authorization: `Bearer ${vastkustKey}` },
  });
  expect(types.status()).toBe(200);
  const { claimTypes } = (await conforms(types, "/api/v1/claim-types", "get")) as {
    claimTypes: { slug: string }[];
  };
  expect(claimTypes.map((t) => t.slug)).toEqual(["ambulance", "dental-care", "patient-fee"]);

  const escalated = await request.get("/api/v1/claims/VK-2026-1001", {
    headers: { Authorization: `Bearer ${vastkustKey}` },
  });
  const view = (await conforms(escalated, "/api/v1/claims/{externalId}", "get")) as {
    stage: string;
    charges: { kind: string; legalBasis: string; cause: string }[];
  };
  expect(view.stage).toBe("COLLECTION_NOTICE");
  expect(view.charges.map((c) => [c.kind, c.cause, c.legalBasis])).toEqual([
    ["PRINCIPAL", "claim.received", "principal.invoice"],
    ["REMINDER_FEE", "reminder.sent", "se.reminder_fee"],
    ["COLLECTION_FEE", "collection_notice.sent", "se.collection_fee"],
  ]);
});

test("two identical requests at once create one claim", async ({ request }) => {
  const data = body({ externalId: `API-${run}-4` });
  const [a, b] = await Promise.all([
    post(request, elvdalKey, data),
    post(request, elvdalKey, data),
  ]);
  expect([a.status(), b.status()].sort()).toEqual([200, 201]);
  expect(((await a.json()) as { id: string }).id).toBe(((await b.json()) as { id: string }).id);
});
