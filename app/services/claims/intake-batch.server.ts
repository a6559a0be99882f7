import { todayIn } from "~/domain/calendar-date";
import { receivedClaim } from "~/domain/claim-transitions";
import type { Role } from "~/domain/state-machine";
import { pgTransaction } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import type { ApiCaller } from "../identity/api-keys.server";
import { cachedLawBook } from "../law/legal-figures.server";
import {
  checkClaim,
  claimTypesOf,
  type CheckedClaim,
  type ClaimTypeInfo,
  type FieldError,
} from "./intake-check.server";
import { IntakeRaceError, writeNewClaims } from "./intake-write.server";

/** A claim as the intake answers it: what the billing system needs to follow it. */
export type IntakeClaim = {
  id: string;
  externalId: string;
  claimType: string;
  paymentReference: string;
  status: string;
  stage: string;
  currency: string;
  principal: number;
  issuedOn: string;
  dueOn: string;
};

export type BatchOutcome = { index: number; externalId: string | null } & (
  | { result: "created" | "unchanged"; claim: IntakeClaim }
  | { result: "conflict"; detail: string }
  | { result: "invalid"; errors: FieldError[] }
);

export const MAX_BATCH_CLAIMS = 1000;

export type IntakeOptions = {
  /** Who hands the claims over, as the events name them; the API key by default. */
  actor?: string;
  /** The role that makes the `receive` move; "creditor" by default. */
  role?: Role;
  /** The claim types, when the caller reads them once for many batches (a file's chunks). */
  claimTypes?: Map<string, ClaimTypeInfo>;
};

type Stored = IntakeClaim & { print: string };

async function storedClaims(
  creditorId: string,
  externalIds: string[],
): Promise<Map<string, Stored>> {
  if (externalIds.length === 0) return new Map();
  const rows = await query<Stored>(
    undefined,
    `SELECT c.id::text, c."externalId", t.slug AS "claimType", c."paymentReference",
            c.status::text AS status, c.stage::text AS stage, c.currency,
            COALESCE((SELECT sum(x.amount) FROM "Charge" x
                      WHERE x."claimId" = c.id AND x.kind = 'PRINCIPAL'), 0)::int AS principal,
            to_char(c."issuedOn", 'YYYY-MM-DD') AS "issuedOn",
            to_char(c."dueOn", 'YYYY-MM-DD') AS "dueOn", c."intakeFingerprint" AS print
     FROM "Claim" c JOIN "ClaimType" t ON t.id = c."claimTypeId"
     WHERE c."creditorId" = $1::uuid AND c."externalId" = ANY($2::text[])`,
    [creditorId, externalIds],
  );
  return new Map(rows.map((r) => [r.externalId, r]));
}

const conflictDetail = (externalId: string) =>
  `A claim with externalId "${externalId}" was already received with different content.`;

function externalIdOf(body: unknown): string | null {
  const id = (body as { externalId?: unknown } | null)?.externalId;
  return typeof id === "string" ? id : null;
}

/** A unique or deadlock failure against a concurrent writer: the whole batch is tried again. */
function retryable(error: unknown): boolean {
  if (error instanceof IntakeRaceError) return true;
  const code = (error as { code?: string }).code;
  return code === "40P01" || code === "40001";
}

/**
 * Receives up to a thousand claims, each checked on its own, answered in order: created, unchanged
 * (the same externalId with the same content was received before, or earlier in this batch),
 * conflict (the same externalId with other content) or invalid (with its errors). The new claims
 * are written together in one transaction by the set-based writer: all of them or, on a database
 * error, none; never a claim without its charge or event.
 */
export async function receiveClaims(
  caller: ApiCaller,
  bodies: unknown[],
  now: Date,
  opts: IntakeOptions = {},
): Promise<BatchOutcome[]> {
  const today = todayIn(caller.timeZone, now);
  const claimTypes = opts.claimTypes ?? (await claimTypesOf(caller.creditorId));
  const checked = bodies.map((b) => checkClaim(caller, b, claimTypes, today));
  // The first valid claim of each externalId leads; a later one of the batch repeats or conflicts.
  const leads = new Map<string, CheckedClaim>();
  for (const c of checked)
    if (c.ok && !leads.has(c.claim.input.externalId)) leads.set(c.claim.input.externalId, c.claim);

  const { event } = receivedClaim(opts.role ?? "creditor");
  const actor = opts.actor ?? `creditor-api:${caller.keyId}`;
  let stored = new Map<string, Stored>();
  const created = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    stored = await storedClaims(caller.creditorId, [...leads.keys()]);
    const fresh = [...leads.values()].filter((c) => !stored.has(c.input.externalId));
    if (fresh.length === 0) break;
    // Only for when the engine first looks at the new claims; the same minute's cache as the
    // pages (decision 0019): read per request, it was one of a single claim's 18 statements.
    const law = await cachedLawBook();
    try {
      const written = await pgTransaction((client) =>
        writeNewClaims(client, { creditorId: caller.creditorId, actor, event, today, law }, fresh),
      );
      for (const c of fresh) {
        const w = written.get(c.input.externalId)!;
        created.add(c.input.externalId);
        stored.set(c.input.externalId, {
          id: w.id,
          externalId: c.input.externalId,
          claimType: c.claimType.slug,
          paymentReference: w.paymentReference,
          status: "OPEN",
          stage: "INVOICED",
          currency: c.input.currency,
          principal: c.input.principal,
          issuedOn: c.input.issuedOn,
          dueOn: c.input.dueOn,
          print: c.print,
        });
      }
      break;
    } catch (error) {
      if (!retryable(error) || attempt >= 5) throw error;
    }
  }

  const answered = new Set<string>();
  return checked.map((c, index): BatchOutcome => {
    if (!c.ok)
      return {
        index,
        externalId: externalIdOf(bodies[index]),
        result: "invalid",
        errors: c.errors,
      };
    const externalId = c.claim.input.externalId;
    const s = stored.get(externalId)!;
    const first = !answered.has(externalId);
    answered.add(externalId);
    if (s.print !== c.claim.print)
      return { index, externalId, result: "conflict", detail: conflictDetail(externalId) };
    const { print: _print, ...claim } = s;
    const result = first && created.has(externalId) ? "created" : "unchanged";
    return { index, externalId, result, claim };
  });
}
