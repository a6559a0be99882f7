import { db } from "~/infra/db.server";
import type { ApiCaller } from "../identity/api-keys.server";
import { receiveClaims, type IntakeClaim } from "./intake-batch.server";
import type { FieldError } from "./intake-check.server";

export type { FieldError } from "./intake-check.server";

export type IntakeResult =
  | { kind: "created" | "existing"; claim: IntakeClaim }
  | { kind: "conflict"; detail: string }
  | { kind: "invalid"; errors: FieldError[] };

/**
 * Receives one unpaid invoice from a creditor's billing system. Idempotent on the creditor's
 * external id: the same request again returns the same claim; a different request under the
 * same id is a conflict. Either everything is written (resident, claim, principal, events) or
 * nothing. A batch of one: the same check and the same set-based writer as
 * POST /api/v1/claims/batch and the file import (intake-batch.server.ts).
 */
export async function receiveClaim(
  caller: ApiCaller,
  body: unknown,
  now: Date,
): Promise<IntakeResult> {
  const [outcome] = await receiveClaims(caller, [body], now);
  switch (outcome!.result) {
    case "invalid":
      return { kind: "invalid", errors: outcome!.errors };
    case "conflict":
      return { kind: "conflict", detail: outcome!.detail };
    case "created":
      return { kind: "created", claim: outcome!.claim };
    case "unchanged":
      return { kind: "existing", claim: outcome!.claim };
  }
}

export async function listClaimTypes(creditorId: string) {
  const rows = await db().claimType.findMany({ where: { creditorId }, orderBy: { slug: "asc" } });
  return rows.map((r) => ({ slug: r.slug, name: r.name }));
}
