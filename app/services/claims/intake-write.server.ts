import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { Country } from "~/generated/prisma/client.ts";
import type { IsoDate } from "~/domain/calendar-date";
import type { ClaimSnapshot } from "~/domain/claim";
import { firstLookOn, receivedSnapshot } from "~/domain/claim-received";
import type { ReferenceScheme } from "~/domain/payment-reference";
import { referenceFor } from "~/domain/payment-reference";
import type { LawBook } from "~/domain/law-book";
import { env } from "~/infra/env.server";
import { encryptNationalId } from "~/infra/pii.server";
import { query } from "~/infra/sql.server";
import type { EventData } from "~/domain/events";
import { recordEvents, type NewEvent } from "../events/events.server";
import { hashNationalId, sealAddress } from "../identity/residents.server";
import type { CheckedClaim } from "./intake-check.server";
import { loadSharedRows } from "./load-claims.server";

/*
 * The set-based writer of new claims, for the single intake, the batch and the file import alike:
 * whatever the number of claims, a fixed handful of statements in the caller's transaction —
 * residents (created on first sight, else only completed), the claims, their `claim.received`
 * events and principal charges, and when the engine must first look at them. What one claim gets
 * is what `receiveClaim` always wrote: the same rows, the same events, the same `receive` move.
 *
 * The first look is worked out on each claim's snapshot as received and written with it, not
 * read back and updated (decision 0114).
 */

/** A claim of the batch that someone else stored meanwhile: the caller rolls back and looks again. */
export class IntakeRaceError extends Error {
  constructor() {
    super("a claim or resident of this batch was stored by another request meanwhile");
    this.name = "IntakeRaceError";
  }
}

export type WrittenClaim = { id: string; paymentReference: string };

type Contact = {
  name: string;
  email: string | null;
  phone: string | null;
  language: string | null;
  address: string | null;
};

type ResidentPlan = { hash: string; country: Country; canonical: string; contact: Contact };

/** One resident per identity number; a later claim of the batch only fills what is still empty. */
function plannedResidents(claims: CheckedClaim[]): Map<string, ResidentPlan> {
  const plans = new Map<string, ResidentPlan>();
  for (const c of claims) {
    const country = c.nationalId.country as Country;
    const hash = hashNationalId(country, c.nationalId.canonical);
    const r = c.input.resident;
    const address = r.address
      ? sealAddress({ ...r.address, country: r.address.country ?? country })
      : null;
    const plan = plans.get(hash);
    if (!plan) {
      plans.set(hash, {
        hash,
        country,
        canonical: c.nationalId.canonical,
        contact: {
          name: r.name,
          email: r.email ?? null,
          phone: r.phone ?? null,
          language: r.language ?? null,
          address,
        },
      });
      continue;
    }
    plan.contact.email ??= r.email ?? null;
    plan.contact.phone ??= r.phone ?? null;
    plan.contact.language ??= r.language ?? null;
    plan.contact.address ??= address;
  }
  return plans;
}

type Existing = {
  id: string;
  hash: string;
  name: string;
  email: string | null;
  phone: string | null;
  language: string | null;
  has_address: boolean;
  vulnerable: boolean;
};

type People = Map<string, { id: string; resident: ClaimSnapshot["resident"] }>;

/**
 * Residents found (locked, in a fixed order so two batches never deadlock) or created; their
 * events (registered, contact completed) are returned, for the caller to write with the claims'.
 */
async function writeResidents(
  client: pg.PoolClient,
  claims: CheckedClaim[],
  actor: string,
  today: IsoDate,
): Promise<{ people: People; events: NewEvent[] }> {
  const plans = plannedResidents(claims);
  const hashes = [...plans.keys()].sort();
  const existing = await query<Existing>(
    client,
    `SELECT r.id::text, r."nationalIdHash" AS hash, r.name, r.email, r.phone, r.language,
            r."addressCipher" IS NOT NULL AS has_address,
            EXISTS (SELECT 1 FROM "VulnerabilityFlag" f
                    WHERE f."residentId" = r.id AND f."resolvedAt" IS NULL) AS vulnerable
     FROM "Resident" r WHERE r."nationalIdHash" = ANY($1::text[])
     ORDER BY r."nationalIdHash" FOR NO KEY UPDATE OF r`,
    [hashes],
  );
  // Each resident as a loaded claim will hold them once this batch is written: what is stored
  // wins, what this batch brings fills only what is empty (as the UPDATE below does).
  const byHash: People = new Map(
    existing.map((e) => {
      const c = plans.get(e.hash)!.contact;
      const resident = {
        name: e.name,
        email: e.email ?? c.email,
        language: e.language ?? c.language,
        vulnerable: e.vulnerable,
      };
      return [e.hash, { id: e.id, resident }];
    }),
  );
  const events: NewEvent[] = [];
  const fills: Record<string, unknown>[] = [];
  for (const e of existing) {
    const c = plans.get(e.hash)!.contact;
    const fill: Record<string, string | null> = {};
    if (!e.email && c.email) fill.email = c.email;
    if (!e.phone && c.phone) fill.phone = c.phone;
    if (!e.language && c.language) fill.language = c.language;
    if (!e.has_address && c.address) fill.address = c.address;
    if (Object.keys(fill).length === 0) continue;
    fills.push({ id: e.id, ...fill });
    events.push({
      residentId: e.id,
      type: "resident.contact_completed",
      actor,
      on: today,
      data: { fields: Object.keys(fill) },
    });
  }
  if (fills.length > 0) {
    await query(
      client,
      `UPDATE "Resident" r
       SET email = COALESCE(r.email, v.email), phone = COALESCE(r.phone, v.phone),
           language = COALESCE(r.language, v.language),
           "addressCipher" = COALESCE(r."addressCipher", v.address), "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb)
         AS v(id uuid, email text, phone text, language text, address text)
       WHERE r.id = v.id`,
      [JSON.stringify(fills)],
    );
  }
  const fresh = hashes
    .filter((h) => !byHash.has(h))
    .map((h) => {
      const p = plans.get(h)!;
      return {
        id: randomUUID(),
        country: p.country,
        cipher: encryptNationalId(p.canonical, env().PII_ENCRYPTION_KEY),
        hash: h,
        ...p.contact,
      };
    });
  if (fresh.length > 0) {
    const inserted = await query<{ hash: string }>(
      client,
      `INSERT INTO "Resident" (id, country, "nationalIdCipher", "nationalIdHash", name, email,
                               phone, language, "addressCipher", "updatedAt")
       SELECT id, country::"Country", cipher, hash, name, email, phone, language, address, now()
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, country text, cipher text, hash text,
         name text, email text, phone text, language text, address text)
       ORDER BY hash
       ON CONFLICT ("nationalIdHash") DO NOTHING
       RETURNING "nationalIdHash" AS hash`,
      [JSON.stringify(fresh)],
    );
    if (inserted.length !== fresh.length) throw new IntakeRaceError();
    for (const r of fresh) {
      const resident = { name: r.name, email: r.email, language: r.language, vulnerable: false };
      byHash.set(r.hash, { id: r.id, resident });
      events.push({ residentId: r.id, type: "resident.registered", actor, on: today, data: {} });
    }
  }
  const people: People = new Map(
    claims.map((c) => [
      c.input.externalId,
      byHash.get(hashNationalId(c.nationalId.country as Country, c.nationalId.canonical))!,
    ]),
  );
  return { people, events };
}

// A claim another request stored meanwhile is not inserted (ON CONFLICT): the count comes back
// short and the caller rolls the whole batch back, before any event or charge is written.
const CLAIMS_SQL = `
  INSERT INTO "Claim" (id, "creditorId", "claimTypeId", "residentId", "policyId", "externalId",
                       "intakeFingerprint", description, currency, "issuedOn", "dueOn",
                       "stageEnteredOn", "paymentReference", "nextActionOn", "updatedAt")
  SELECT id, $2::uuid, claim_type, resident, policy, external, print, description, currency,
         issued, due, due, reference, next, now()
  FROM jsonb_to_recordset($1::jsonb) AS v(
    ord int, id uuid, resident uuid, claim_type uuid, policy uuid, external text, print text,
    description text, currency text, issued date, due date, reference text, next date)
  ORDER BY ord
  ON CONFLICT ("creditorId", "externalId") DO NOTHING
  RETURNING id`;

const CHARGES_SQL = `
  INSERT INTO "Charge" (id, "claimId", kind, amount, "chargedOn", "causeEventId", "causeType",
                        "legalBasis")
  SELECT id, claim, 'PRINCIPAL', principal, issued, event, 'claim.received', 'principal.invoice'
  FROM jsonb_to_recordset($1::jsonb)
    AS v(id uuid, claim uuid, principal int, issued date, event bigint)`;

/**
 * Writes new claims (none of them stored yet, each externalId once) in the caller's transaction.
 * Throws IntakeRaceError when another request stored one of them, or one of their residents,
 * meanwhile: the caller must roll back, as nothing of the batch may stay half written.
 */
export async function writeNewClaims(
  client: pg.PoolClient,
  ctx: { creditorId: string; actor: string; event: string; today: IsoDate; law: LawBook },
  claims: CheckedClaim[],
): Promise<Map<string, WrittenClaim>> {
  if (claims.length === 0) return new Map();
  const written = await writeResidents(client, claims, ctx.actor, ctx.today);
  const { people, events: residentEvents } = written;
  // The creditor's reference scheme and a reference number per claim, in one statement.
  const [creditor] = await query<{ scheme: ReferenceScheme; prefix: string; seqs: string[] }>(
    client,
    `SELECT "referenceScheme"::text AS scheme, "referencePrefix" AS prefix,
            ARRAY(SELECT nextval('claim_reference_seq')::text
                  FROM generate_series(1, $2::int)) AS seqs
     FROM "Creditor" WHERE id = $1::uuid`,
    [ctx.creditorId, claims.length],
  );
  const shared = await loadSharedRows(client, {
    creditors: [ctx.creditorId],
    claimTypes: [...new Set(claims.map((c) => c.claimType.id))],
    policies: [...new Set(claims.map((c) => c.policy.id))],
  });
  const rows = claims.map((c, ord) => ({
    ord,
    id: randomUUID(),
    charge: randomUUID(),
    resident: people.get(c.input.externalId)!.id,
    claim_type: c.claimType.id,
    policy: c.policy.id,
    external: c.input.externalId,
    print: c.print,
    description: c.input.description,
    currency: c.input.currency,
    principal: c.input.principal,
    issued: c.input.issuedOn,
    due: c.input.dueOn,
    reference: referenceFor(creditor!.scheme, Number(creditor!.seqs[ord]), creditor!.prefix),
    next: null as IsoDate | null,
    data: {
      principal: c.input.principal,
      currency: c.input.currency,
      dueOn: c.input.dueOn,
      policyVersion: c.policy.version,
    },
  }));
  // When the engine first looks at each claim: the evaluator's answer on it as received.
  for (const r of rows)
    r.next = firstLookOn(
      receivedSnapshot(r, shared, ctx.creditorId, people.get(r.external)!),
      ctx.law,
      ctx.today,
    );
  const inserted = await query<{ id: string }>(client, CLAIMS_SQL, [
    JSON.stringify(rows),
    ctx.creditorId,
  ]);
  if (inserted.length !== rows.length) throw new IntakeRaceError();
  // The events through the event writer in one statement: the residents' first, then the
  // claims' in the batch's order; each principal names its claim's event.
  const ids = await recordEvents(client, [
    ...residentEvents,
    ...rows.map((r) => ({
      claimId: r.id,
      residentId: r.resident,
      creditorId: ctx.creditorId,
      type: ctx.event as "claim.received",
      actor: ctx.actor,
      on: ctx.today,
      data: r.data as EventData<"claim.received">,
    })),
  ]);
  const events = ids.slice(residentEvents.length);
  await query(client, CHARGES_SQL, [
    JSON.stringify(
      rows.map((r, i) => ({
        id: r.charge,
        claim: r.id,
        principal: r.principal,
        issued: r.issued,
        event: String(events[i]),
      })),
    ),
  ]);
  return new Map(rows.map((r) => [r.external, { id: r.id, paymentReference: r.reference }]));
}
