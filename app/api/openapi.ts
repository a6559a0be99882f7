import { z } from "zod/v4";
import {
  ClaimBatchResultSchema,
  ClaimBatchSchema,
  ClaimCreatedSchema,
  ClaimIntakeSchema,
  ClaimTypesSchema,
  ClaimViewSchema,
  ProblemSchema,
} from "./schemas";

// OpenAPI 3.1 schemas are JSON Schema 2020-12, which Zod emits directly; only `$schema` goes.
function schema(s: z.ZodType, io: "input" | "output" = "output") {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  });
  return rest;
}

const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

/**
 * The intake API described as OpenAPI 3.1. Request and response bodies are generated from the
 * Zod schemas the routes validate with; a test checks every documented status code against the
 * running API.
 */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Kravportal creditor API",
      version: "1.0.0",
      description:
        "How a creditor's billing system hands over unpaid invoices and follows them. Amounts are integer minor units (öre/øre).",
    },
    servers: [{ url: serverUrl }],
    security: [{ creditorKey: [] }],
    components: {
      securitySchemes: {
        creditorKey: {
          type: "http",
          scheme: "bearer",
          description: "A key from `npx kravportal api-key create --creditor SLUG`.",
        },
      },
      schemas: {
        ClaimIntake: schema(ClaimIntakeSchema, "input"),
        ClaimCreated: schema(ClaimCreatedSchema),
        ClaimBatch: schema(ClaimBatchSchema, "input"),
        ClaimBatchResult: schema(ClaimBatchResultSchema),
        ClaimView: schema(ClaimViewSchema),
        ClaimTypes: schema(ClaimTypesSchema),
        Problem: schema(ProblemSchema),
      },
    },
    paths: {
      "/api/v1/claims": {
        post: {
          operationId: "createClaim",
          summary: "Hand over an unpaid invoice (idempotent on externalId)",
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/ClaimIntake" } },
            },
          },
          responses: {
            "201": {
              description: "Created",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/ClaimCreated" } },
              },
            },
            "200": {
              description: "The same request was received before; the claim as created then",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/ClaimCreated" } },
              },
            },
            "400": problemResponse("Invalid input; nothing was stored"),
            "401": problemResponse("Missing or unknown API key"),
            "409": problemResponse("The externalId was used before with a different body"),
            "413": problemResponse("Body larger than 64 KiB"),
            "415": problemResponse("Body is not application/json"),
            "429": problemResponse("Rate limit reached"),
          },
        },
      },
      "/api/v1/claims/batch": {
        post: {
          operationId: "createClaims",
          summary: "Hand over up to 1,000 unpaid invoices at once (idempotent per externalId)",
          description:
            "Each claim is checked as POST /api/v1/claims checks it and answered in order: created, unchanged, conflict or invalid with its errors. The valid new claims are stored together: all of them, or on a database error none. A file of claims can also be imported in the back office (Claim imports) or with `npx kravportal import-claims FILE --creditor SLUG`; see docs/api.md for its CSV header.",
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/ClaimBatch" } },
            },
          },
          responses: {
            "200": {
              description: "The batch was read; one result per claim, in order",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/ClaimBatchResult" } },
              },
            },
            "400": problemResponse(
              "Not a batch (no claims array, or an empty one); nothing was stored",
            ),
            "401": problemResponse("Missing or unknown API key"),
            "413": problemResponse("More than 1,000 claims, or a body larger than 2 MiB"),
            "415": problemResponse("Body is not application/json"),
            "429": problemResponse("Rate limit reached"),
          },
        },
      },
      "/api/v1/claims/{externalId}": {
        get: {
          operationId: "getClaim",
          summary: "A claim's stage, holds, charges, balance and events",
          parameters: [
            { name: "externalId", in: "path", required: true, schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "The claim",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/ClaimView" } },
              },
            },
            "401": problemResponse("Missing or unknown API key"),
            "404": problemResponse("No claim of this creditor has that externalId"),
            "429": problemResponse("Rate limit reached"),
          },
        },
      },
      "/api/v1/claim-types": {
        get: {
          operationId: "listClaimTypes",
          summary: "The creditor's claim types",
          responses: {
            "200": {
              description: "Claim types",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/ClaimTypes" } },
              },
            },
            "401": problemResponse("Missing or unknown API key"),
            "429": problemResponse("Rate limit reached"),
          },
        },
      },
    },
  };
}
