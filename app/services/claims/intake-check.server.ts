import { createHash } from "node:crypto";
import type { z } from "zod/v4";
import { ClaimIntakeSchema, type ClaimIntake } from "~/api/schemas";
import type { IsoDate } from "~/domain/calendar-date";
import { CLAIM_REASON_CODES, type ClaimReason, type ClaimReasonCode } from "~/domain/claim-reasons";
import { canonicalJson } from "~/domain/canonical-json";
import { parseNationalId, type NationalId } from "~/domain/national-id";
import { query } from "~/infra/sql.server";
import type { ApiCaller } from "../identity/api-keys.server";

/*
 * The one check of a claim handed over, shared by the single intake (POST /api/v1/claims), the
 * batch (POST /api/v1/claims/batch) and the file import: the API schema, the identity number, the
 * creditor's currency and claim type. Nothing here writes.
 */

/** A refused field, with its reason's code (decision 0110); the message is the API's English. */
export type FieldError = ClaimReason;

export type ClaimTypeInfo = {
  id: string;
  slug: string;
  policy: { id: string; version: number } | null;
};

export type CheckedClaim = {
  input: ClaimIntake;
  nationalId: NationalId;
  claimType: { id: string; slug: string };
  policy: { id: string; version: number };
  /** SHA-256 of the canonical body: the same externalId with another body is a conflict. */
  print: string;
};

const valueAt = (body: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (v, key) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined),
    body,
  );

/** The fields whose own pattern says what is wrong with them. */
const FORMAT_CODES: Record<string, ClaimReasonCode> = {
  externalId: "bad_external_id",
  phone: "bad_phone",
  postalCode: "bad_postal_code",
};

/** A schema issue as a reason's code and figures; the issue's English stays the message. */
function reasonOf(issue: z.core.$ZodIssue, body: unknown): Omit<FieldError, "path" | "message"> {
  const last = String(issue.path[issue.path.length - 1] ?? "");
  switch (issue.code) {
    case "invalid_type":
      if (valueAt(body, issue.path) === undefined) return { code: "missing" };
      // The one number a claim has is its principal, in whole minor units.
      if (issue.expected === "int" || issue.expected === "number")
        return { code: "not_whole_minor_units" };
      return { code: "wrong_type" };
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const bound = Number(small ? issue.minimum : issue.maximum);
      const params = small ? { minimum: bound } : { maximum: bound };
      if (issue.origin === "number")
        return { code: small ? "amount_too_small" : "amount_too_large", params };
      if (issue.origin === "array") return { code: small ? "too_few_items" : "too_many_items", params }; // prettier-ignore
      return { code: small ? "too_short" : "too_long", params };
    }
    case "invalid_format":
      if (issue.format === "email") return { code: "bad_email" };
      return { code: FORMAT_CODES[last] ?? "bad_format" };
    case "invalid_value":
      return { code: "not_allowed_value", params: { values: issue.values.map(String).join(", ") } }; // prettier-ignore
    case "unrecognized_keys":
      return { code: "unknown_fields", params: { keys: issue.keys.join(", ") } };
    case "custom": {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      if ((CLAIM_REASON_CODES as readonly unknown[]).includes(code))
        return { code: code as ClaimReasonCode };
      return { code: "invalid" };
    }
    default:
      return { code: "invalid" };
  }
}

function zodErrors(error: z.ZodError, body: unknown): FieldError[] {
  return error.issues.map((i) => ({
    path: i.path.join(".") || "(body)",
    ...reasonOf(i, body),
    message: i.message,
  }));
}

/** Same meaning, same fingerprint: keys sorted, so field order in the request does not matter. */
export function fingerprint(input: ClaimIntake): string {
  return createHash("sha256").update(canonicalJson(input)).digest("hex");
}

/** The creditor's claim types with their newest policy, read once per request or chunk. */
export async function claimTypesOf(creditorId: string): Promise<Map<string, ClaimTypeInfo>> {
  // One plain statement (each single claim asks this): the types and each one's newest policy.
  const rows = await query<{ id: string; slug: string; policyId: string | null; version: number }>(
    undefined,
    `SELECT t.id::text, t.slug, p.id::text AS "policyId", p.version
     FROM "ClaimType" t
     LEFT JOIN LATERAL (SELECT id, version FROM "Policy" WHERE "claimTypeId" = t.id
                        ORDER BY version DESC LIMIT 1) p ON true
     WHERE t."creditorId" = $1::uuid`,
    [creditorId],
  );
  return new Map(
    rows.map((r) => [
      r.slug,
      {
        id: r.id,
        slug: r.slug,
        policy: r.policyId ? { id: r.policyId, version: r.version } : null,
      },
    ]),
  );
}

/** One body checked on its own; every problem found, not just the first. */
export function checkClaim(
  caller: ApiCaller,
  body: unknown,
  claimTypes: Map<string, ClaimTypeInfo>,
  today: IsoDate,
): { ok: true; claim: CheckedClaim } | { ok: false; errors: FieldError[] } {
  const parsed = ClaimIntakeSchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error, body) };
  const input = parsed.data;
  const errors: FieldError[] = [];
  const idCountry = input.resident.country ?? caller.country;
  const nationalId = parseNationalId(input.resident.nationalId, idCountry, today);
  if (!nationalId.ok) {
    errors.push({
      path: "resident.nationalId",
      code: "invalid_national_id",
      params: { country: idCountry },
      message: `is not a valid ${idCountry === "SE" ? "Swedish personnummer" : "Norwegian fødselsnummer"} (${nationalId.error})`,
    });
  }
  if (input.currency !== caller.currency) {
    errors.push({
      path: "currency",
      code: "wrong_currency",
      params: { currency: caller.currency },
      message: `must be ${caller.currency}, this creditor's currency`,
    });
  }
  const claimType = claimTypes.get(input.claimType);
  if (!claimType)
    errors.push({
      path: "claimType",
      code: "unknown_claim_type",
      message: "is not one of this creditor's claim types",
    });
  const policy = claimType?.policy;
  if (claimType && !policy)
    errors.push({
      path: "claimType",
      code: "claim_type_without_policy",
      message: "has no collection policy yet",
    });
  if (errors.length > 0 || !nationalId.ok || !claimType || !policy) return { ok: false, errors };
  return {
    ok: true,
    claim: {
      input,
      nationalId: nationalId.value,
      claimType: { id: claimType.id, slug: claimType.slug },
      policy,
      print: fingerprint(input),
    },
  };
}
