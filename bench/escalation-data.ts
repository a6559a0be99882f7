// Generates the benchmark's open claims with set-based SQL: a million claims through the intake
// service would take hours and measure intake, not the sweep.
import type pg from "pg";
import { addDays, nextBankDay, type IsoDate } from "../app/domain/calendar-date.ts";
import { DEMO_CREDITORS } from "../prisma/demo-data.ts";

/** Share of claims whose first step (REMINDER) is due on the benchmark's day. */
export const DUE_SHARE = 0.1;

/**
 * Residents (one per three claims), then claims over both demo creditors and their claim types,
 * each with its `claim.received` event and PRINCIPAL charge, as intake writes them. Every claim
 * is INVOICED; `nextActionOn` is what the evaluator says for such a claim: the first step's
 * `daysAfter` past the due date, moved to the next bank day. About DUE_SHARE of them are due.
 */
export async function generateClaims(client: pg.Client, n: number, asOf: IsoDate) {
  const residents = Math.max(1, Math.ceil(n / 3));
  await client.query("SET synchronous_commit = off");
  await client.query("SELECT setseed(0.42)");

  // The evaluator's answer per (creditor, due date), computed here with the app's own calendar.
  const creditors = await client.query<{ id: string; slug: string; prefix: string }>(
    `SELECT id, slug, "referencePrefix" AS prefix FROM "Creditor" ORDER BY slug`,
  );
  const cal: { creditor: string; dueOn: string; next: string }[] = [];
  for (const c of creditors.rows) {
    const demo = DEMO_CREDITORS.find((d) => d.slug === c.slug)!;
    const daysAfter = demo.claimTypes[0].steps[0]!.daysAfter;
    for (let off = -120; off <= 120; off++) {
      const dueOn = addDays(asOf, off);
      cal.push({
        creditor: c.id,
        dueOn,
        next: nextBankDay(addDays(dueOn, daysAfter), demo.country),
      });
    }
  }
  await client.query(
    `CREATE TEMP TABLE bench_cal AS
     SELECT * FROM unnest($1::uuid[], $2::date[], $3::date[]) AS t(creditor, "dueOn", next)`,
    [cal.map((c) => c.creditor), cal.map((c) => c.dueOn), cal.map((c) => c.next)],
  );
  // One row per (creditor, claim type) with the version-1 policy and the first step's daysAfter.
  await client.query(`
    CREATE TEMP TABLE bench_types AS
    SELECT row_number() OVER (ORDER BY t.id) - 1 AS k, t.id AS type_id, t."creditorId" AS creditor,
           p.id AS policy_id, c.currency, c."referencePrefix" AS prefix,
           (p.steps->0->>'daysAfter')::int AS days_after
    FROM "ClaimType" t JOIN "Creditor" c ON c.id = t."creditorId"
    JOIN "Policy" p ON p."claimTypeId" = t.id AND p.version = 1`);

  await client.query(
    `INSERT INTO "Resident" (id, country, "nationalIdCipher", "nationalIdHash", name, email,
                             language, "updatedAt")
     SELECT gen_random_uuid(), CASE WHEN i % 2 = 0 THEN 'NO' ELSE 'SE' END::"Country",
            'v1:bench:bench:' || i, 'bench-' || md5(i::text), 'Resident ' || i,
            CASE WHEN i % 5 < 3 THEN 'r' || i || '@example.org' END,
            CASE WHEN i % 10 = 0 THEN 'en' END, now()
     FROM generate_series(1, $1::int) i`,
    [residents],
  );
  await client.query(`CREATE TEMP TABLE bench_res AS
    SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM "Resident"`);
  await client.query(`CREATE INDEX ON bench_res (k)`);

  // Per claim: its type, resident, a log-uniform principal (many small claims, a few large),
  // and a due date: DUE_SHARE of them far enough back for the reminder to be due today.
  await client.query(
    `CREATE TEMP TABLE bench_claims AS
     SELECT i, gen_random_uuid() AS id,
            nextval(pg_get_serial_sequence('"Event"', 'id')) AS event_id,
            t.type_id, t.creditor, t.policy_id, t.currency, t.prefix, r.id AS resident_id,
            (5000 * exp(random() * 5))::int AS principal,
            CASE WHEN random() < $3
                 THEN $2::date - t.days_after - (random() * 30)::int
                 ELSE $2::date - t.days_after + 1 + (random() * 60)::int END AS due_on
     FROM generate_series(1, $1::int) i
     JOIN bench_types t ON t.k = i % (SELECT count(*) FROM bench_types)
     JOIN bench_res r ON r.k = i % $4`,
    [n, asOf, DUE_SHARE, residents],
  );
  await client.query(
    `INSERT INTO "Claim" (id, "creditorId", "claimTypeId", "residentId", "policyId", "externalId",
        "intakeFingerprint", description, currency, "issuedOn", "dueOn", "paymentReference",
        "stageEnteredOn", "nextActionOn", "updatedAt")
     SELECT b.id, b.creditor, b.type_id, b.resident_id, b.policy_id, 'BENCH-' || b.i,
            md5(b.i::text), 'Benchmark claim ' || b.i, b.currency, b.due_on - 30, b.due_on,
            b.prefix || lpad(b.i::text, 10, '0'), b.due_on, cal.next, now()
     FROM bench_claims b JOIN bench_cal cal ON cal.creditor = b.creditor AND cal."dueOn" = b.due_on`,
  );
  await client.query(
    `INSERT INTO "Event" (id, "claimId", "residentId", "creditorId", type, actor, data, "occurredOn")
     SELECT event_id, id, resident_id, creditor, 'claim.received', 'bench',
            jsonb_build_object('principal', principal, 'currency', currency, 'dueOn', due_on,
                               'policyVersion', 1), due_on + 1
     FROM bench_claims`,
  );
  await client.query(
    `INSERT INTO "Charge" (id, "claimId", kind, amount, "chargedOn", "causeEventId", "causeType",
                           "legalBasis")
     SELECT gen_random_uuid(), id, 'PRINCIPAL', principal, due_on - 30, event_id, 'claim.received',
            'principal.invoice'
     FROM bench_claims`,
  );
  // Committed synchronously, so the WAL is on disk up to here: VACUUM does not set the hint
  // bits and visibility of rows whose commit has not reached disk yet, and with data checksums
  // (initdb's default since PostgreSQL 18) the first read that sets a page's hint bits after a
  // checkpoint writes the whole page to the WAL. Without this the sweep's first reads wrote
  // every fee page to the WAL (134 MiB at a million claims), or did not if autovacuum came first.
  await client.query("RESET synchronous_commit");
  await client.query("DROP TABLE bench_claims, bench_res, bench_types, bench_cal");
  // A database that has run for a while has its statistics and visibility map up to date.
  await client.query(`VACUUM ANALYZE "Resident", "Claim", "Event", "Charge"`);
  return { residents, rows: residents + 3 * n };
}
