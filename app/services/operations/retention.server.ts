import { recordEvent, recordEvents } from "../events/events.server";
import { rm } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import type { IsoDate } from "~/domain/calendar-date";
import { checkRetentionYears } from "~/domain/retention";
import { db, pgTransaction } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { env } from "~/infra/env.server";

/*
 * Retention of personal data on closed claims. Past the creditor's period (app/domain/retention.ts)
 * the daily job removes what identifies or describes the resident, and keeps the amounts,
 * stages, dates and events for the figures. Every personal field is listed here, in one place:
 * a new one is one more line below.
 */

/** Per claim: what the resident wrote, sent or was called on this claim. */
const CLAIM_FIELDS = [
  `UPDATE "Dispute" SET text = '' WHERE "claimId" = ANY($1::uuid[])`,
  `UPDATE "DisputeMessage" m SET text = '' FROM "Dispute" d
    WHERE m."disputeId" = d.id AND d."claimId" = ANY($1::uuid[]) AND m.author = 'resident'`,
  // Notices keep every amount and date they stated; only the name goes.
  `UPDATE "Notice" SET content = jsonb_set(content, '{residentName}', '""')
    WHERE "claimId" = ANY($1::uuid[]) AND content ? 'residentName'`,
  `UPDATE "Outbox" o SET "to" = '' FROM "Notice" n WHERE o."noticeId" = n.id AND n."claimId" = ANY($1::uuid[])`,
  `UPDATE "BankEntry" SET "payerName" = NULL WHERE "claimId" = ANY($1::uuid[])`,
  // What case workers wrote about the resident on this claim (the note itself stays, dated).
  `UPDATE "CaseNote" SET text = '' WHERE "claimId" = ANY($1::uuid[])`,
  // The address a letter was printed to.
  `UPDATE "Notice" SET "addressCipher" = NULL WHERE "claimId" = ANY($1::uuid[])`,
];

/**
 * Per resident, once every claim of theirs is anonymised: who they are and how to reach them.
 * Statements on `$1::uuid[]` take the residents' ids; those on `$1::text[]`, their email addresses.
 */
const RESIDENT_FIELDS = [
  // The hash is unique: a random value that no identity number can hash to.
  `UPDATE "Resident" SET name = '', "nationalIdCipher" = '', "nationalIdHash" = 'anonymised:' || md5(random()::text || id::text),
          email = NULL, phone = NULL, "addressCipher" = NULL, "emailNotices" = false,
          "updatedAt" = now()
    WHERE id = ANY($1::uuid[])`,
  `UPDATE "CaseNote" SET text = '' WHERE "residentId" = ANY($1::uuid[])`,
  // What the contact register said about them (mailbox, email).
  `DELETE FROM "ContactRecord" WHERE "residentId" = ANY($1::uuid[])`,
  `UPDATE "VulnerabilityFlag" SET note = '', resolution = CASE WHEN resolution IS NULL THEN NULL ELSE '' END
    WHERE "residentId" = ANY($1::uuid[])`,
  // Receipts and plan mails went to the resident's address and greet them by name.
  `UPDATE "Outbox" SET "to" = '', content = CASE WHEN content ? 'residentName'
          THEN jsonb_set(content, '{residentName}', '""') ELSE content END
    WHERE "to" = ANY($1::text[])`,
  // Compared as text: a session whose data holds something else must not stop the job.
  `DELETE FROM "Session" WHERE data->>'residentId' = ANY(($1::uuid[])::text[])`,
];

export type RetentionRun = {
  asOf: IsoDate;
  claims: number;
  residents: number;
  attachments: number;
  eventIds: bigint[];
};

const DUE_CLAIMS = `
  WITH minimums AS (
    SELECT DISTINCT ON (jurisdiction) jurisdiction, value FROM "LegalRate"
     WHERE kind = 'MIN_ACCOUNTING_RETENTION_YEARS' AND "validFrom" <= $1::date
     ORDER BY jurisdiction, "validFrom" DESC)
  SELECT c.id, c."residentId" FROM "Claim" c
    JOIN "Creditor" cr ON cr.id = c."creditorId"
    JOIN minimums m ON m.jurisdiction = cr.country
   WHERE c.status <> 'OPEN' AND c."closedOn" IS NOT NULL
     -- personalDataExpiresOn: 1 January of (closing year + years + 1); never under the minimum.
     AND make_date(extract(year FROM c."closedOn")::int
                   + greatest(coalesce(cr."retentionYears", m.value), m.value) + 1, 1, 1) <= $1::date
     AND NOT EXISTS (SELECT 1 FROM "ClaimAnonymisation" a WHERE a."claimId" = c.id)
   ORDER BY c."closedOn", c.id
   LIMIT $2
   FOR UPDATE OF c SKIP LOCKED`;

async function anonymiseBatch(client: pg.PoolClient, asOf: IsoDate, actor: string, limit: number) {
  const due = (await client.query<{ id: string; residentId: string }>(DUE_CLAIMS, [asOf, limit]))
    .rows;
  const claimIds = due.map((d) => d.id);
  const files = (
    await client.query<{ storageKey: string }>(
      `DELETE FROM "Attachment" a USING "Dispute" d
        WHERE a."disputeId" = d.id AND d."claimId" = ANY($1::uuid[]) RETURNING a."storageKey"`,
      [claimIds],
    )
  ).rows.map((r) => r.storageKey);
  for (const statement of CLAIM_FIELDS) await client.query(statement, [claimIds]);

  // Residents none of whose claims still carries personal data.
  const residents = (
    await client.query<{ id: string; email: string | null }>(
      `SELECT r.id, r.email FROM "Resident" r
        WHERE r.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM "ResidentAnonymisation" a WHERE a."residentId" = r.id)
          AND NOT EXISTS (SELECT 1 FROM "Claim" c WHERE c."residentId" = r.id AND c.id <> ALL($2::uuid[])
                AND NOT EXISTS (SELECT 1 FROM "ClaimAnonymisation" a WHERE a."claimId" = c.id))
        FOR UPDATE OF r`,
      [[...new Set(due.map((d) => d.residentId))], claimIds],
    )
  ).rows;
  const residentIds = residents.map((r) => r.id);
  const emails = residents.flatMap((r) => (r.email ? [r.email] : []));
  for (const statement of RESIDENT_FIELDS) {
    await client.query(statement, [statement.includes("$1::text[]") ? emails : residentIds]);
  }

  const [event] = await recordEvents(client, [
    {
      type: "retention.anonymised",
      actor,
      on: asOf,
      data: {
        asOf,
        claims: claimIds.length,
        residents: residentIds.length,
        attachments: files.length,
      },
    },
  ]);
  const eventId = String(event);
  await client.query(
    `INSERT INTO "ClaimAnonymisation" ("claimId", "anonymisedOn", "eventId")
     SELECT unnest($1::uuid[]), $2::date, $3::bigint`,
    [claimIds, asOf, eventId],
  );
  // An enforcement export's file names all its residents: it goes when the last of them does.
  await client.query(
    `UPDATE "EnforcementExport" e SET content = ''::bytea, "contentRemovedOn" = $2::date
      WHERE e."contentRemovedOn" IS NULL AND e."claimIds" && $1::uuid[]
        AND NOT EXISTS (SELECT 1 FROM unnest(e."claimIds") AS held(id)
              WHERE NOT EXISTS (SELECT 1 FROM "ClaimAnonymisation" a WHERE a."claimId" = held.id))`,
    [claimIds, asOf],
  );
  await client.query(
    `INSERT INTO "ResidentAnonymisation" ("residentId", "anonymisedOn", "eventId")
     SELECT unnest($1::uuid[]), $2::date, $3::bigint`,
    [residentIds, asOf, eventId],
  );
  return {
    claims: claimIds.length,
    residents: residentIds.length,
    files,
    eventId: BigInt(eventId),
  };
}

/**
 * Anonymises every closed claim past its creditor's retention period on `asOf`, in batches (one
 * transaction each, claims locked so two runs never take the same one). Each batch, and a run
 * that finds nothing, is one `retention.anonymised` event. Files are removed after their rows.
 */
export async function runRetention(opts: {
  asOf: IsoDate;
  actor: string;
  batchSize?: number;
}): Promise<RetentionRun> {
  const run: RetentionRun = {
    asOf: opts.asOf,
    claims: 0,
    residents: 0,
    attachments: 0,
    eventIds: [],
  };
  const limit = opts.batchSize ?? 500;
  for (;;) {
    const batch = await pgTransaction((client) =>
      anonymiseBatch(client, opts.asOf, opts.actor, limit),
    );
    run.claims += batch.claims;
    run.residents += batch.residents;
    run.attachments += batch.files.length;
    run.eventIds.push(batch.eventId);
    const dir = path.resolve(env().ATTACHMENTS_DIR);
    await Promise.all(
      batch.files
        .filter((k) => /^[0-9a-f]{64}$/.test(k))
        .map((k) => rm(path.join(dir, k), { force: true })),
    );
    if (batch.claims < limit) return run;
  }
}

/** Sets a creditor's retention period; refused below its country's accounting-law minimum. */
export async function setRetentionYears(input: {
  creditorSlug: string;
  years: number;
  asOf: IsoDate;
}): Promise<{ ok: true } | { ok: false; error: string }> {
  const creditor = await db().creditor.findUnique({ where: { slug: input.creditorSlug } });
  if (!creditor) return { ok: false, error: `No creditor with slug "${input.creditorSlug}".` };
  const minimum = await db().legalRate.findFirst({
    where: {
      jurisdiction: creditor.country,
      kind: "MIN_ACCOUNTING_RETENTION_YEARS",
      validFrom: { lte: dbDate(input.asOf) },
    },
    orderBy: { validFrom: "desc" },
  });
  if (!minimum)
    return { ok: false, error: "The legal figures are not loaded (npm start loads them)." };
  const refusal = checkRetentionYears(input.years, minimum.value);
  if (refusal?.reason === "belowLegalMinimum")
    return {
      ok: false,
      error: `${input.years} years is below the accounting-law minimum of ${minimum.value} years in ${creditor.country} (${minimum.source}).`,
    };
  if (refusal)
    return { ok: false, error: "--years must be a whole number of years (at most 100)." };
  await db().$transaction(async (tx) => {
    await tx.creditor.update({ where: { id: creditor.id }, data: { retentionYears: input.years } });
    await recordEvent(tx, {
      creditorId: creditor.id,
      type: "retention.policy_set",
      actor: "cli",
      on: input.asOf,
      data: { years: input.years, minimum: minimum.value },
    });
  });
  return { ok: true };
}
