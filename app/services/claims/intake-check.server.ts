import { createHash } from "node:crypto";
import type { z } from "zod/v4";
import { ClaimIntakeSchema, type ClaimIntake } from "~/api/schemas";
import type { IsoDate } from "~/domain/calendar-date";
import { canonicalJson } from "~/domain/canonical-json";
import { parseNationalId, type NationalId } from "~/domain/national-id";
import { query } from "~/infra/sql.server";
import type { ApiCaller } from "../identity/api-keys.server";

/*
 * The one check of a claim handed over, shared by the single intake (POST /api/v1/claims), the
 * batch (POST /api/v1/claims/batch) and the file import: the API schema, the identity number, the
 * creditor's currency and claim type. Nothing here writes.
 */

export type FieldError = { path: string; message: string };

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

function zodErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
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
  if (!parsed.success) return { ok: false, errors: zodErrors(parsed.error) };
  const input = parsed.data;
  const errors: FieldError[] = [];
  const idCountry = input.resident.country ?? caller.country;
  const nationalId = parseNationalId(input.resident.nationalId, idCountry, today);
  if (!nationalId.ok) {
    errors.push({
      path: "resident.nationalId",
      message: `is not a valid ${idCountry === "SE" ? "Swedish personnummer" : "Norwegian fødselsnummer"} (${nationalId.error})`,
    });
  }
  if (input.currency !== caller.currency) {
    errors.push({
      path: "currency",
      message: `must be ${caller.currency}, this creditor's currency`,
    });
  }
  const claimType = claimTypes.get(input.claimType);
  if (!claimType)
    errors.push({ path: "claimType", message: "is not one of this creditor's claim types" });
  const policy = claimType?.policy;
  if (claimType && !policy)
    errors.push({ path: "claimType", message: "has no collection policy yet" });
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
