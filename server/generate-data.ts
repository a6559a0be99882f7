// Synthetic data at scale (`npx kravportal generate`, bench/portal.ts): residents who can log in,
// claims in every stage with the fees, steps, notices and events the engine would have left,
// payments (part and full) and holds. Bulk rows are written set-based (INSERT ... SELECT over
// generate_series and temporary tables); what only the app's own code can say is computed with it:
// identity numbers, their hash and cipher, payment references, the escalation ladder (the pure
// evaluator, replayed per claim type and due date) and the amount that pays a claim in full.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { type AllocationOrder } from "../app/domain/balance.ts";
import { addDays, type Country, type IsoDate } from "../app/domain/calendar-date.ts";
import { evaluate, type EvaluationInput } from "../app/domain/escalation.ts";
import { legalBasisFor } from "../app/domain/legal-basis.ts";
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer } from "../app/domain/national-id.ts";
import { referenceFor, type ReferenceScheme } from "../app/domain/payment-reference.ts";
import type { Policy, PolicyStep } from "../app/domain/policy.ts";
import { db, pgPool } from "../app/infra/db.server.ts";
import { encryptNationalId, nationalIdHash } from "../app/infra/pii.server.ts";
import { loadClaims } from "../app/services/claims/load-claims.server.ts";
import { nextActionOn, statementOf } from "../app/domain/claim.ts";
import { refreshNextActions } from "../app/services/claims/next-action.server.ts";
import { loadLawBook, type LawBook } from "../app/services/law/legal-figures.server.ts";
import { recordPayments, type PaymentInput } from "../app/services/payments/ledger.server.ts";
import { DEMO_CREDITORS, DEMO_RESIDENTS } from "../prisma/demo-data.ts";

export type GenerateOptions = {
  residents: number;
  claims: number;
  asOf: IsoDate;
  /** PII_ENCRYPTION_KEY and NATIONAL_ID_HASH_KEY of the web server that will read the data. */
  piiKey: string;
  hashKey: string;
  publicUrl: string;
  log?: (line: string) => void;
};

export type GenerateResult = {
  residents: number;
  claims: number;
  rows: number;
  seconds: number;
  /** A few generated residents' identity numbers, for logging in with the test eID. */
  sampleLogins: { country: Country; nationalId: string; name: string }[];
};

// Due dates lie up to this many days back and ahead of `asOf`.
const LOOKBACK = 330;
const AHEAD = 25;
const EXTERNAL_PREFIX = "GEN-";

const FIRST = {
  SE: ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Nils", "Sara", "Oskar", "Elsa"],
  NO: ["Ingrid", "Ole", "Kari", "Per", "Nora", "Jonas", "Emma", "Lars", "Sofie", "Henrik", "Ida"],
};
const LAST = {
  SE: ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Berg"],
  NO: ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg"],
};

/** Official test numbers only (Swedish serials 980–999, Norwegian synthetic), never a demo resident's. */
function* nationalIds(country: Country): Generator<string> {
  const demo = new Set<string>(DEMO_RESIDENTS.map((r) => r.nationalId));
  if (country === "SE") {
    for (let serial = 980; serial <= 999; serial++)
      for (let day = 0; day < 27_000; day++) {
        const id = makeSwedishPersonnummer(addDays("1930-01-01", day), serial);
        if (!demo.has(id)) yield id;
      }
  } else {
    for (let individual = 0; individual <= 499; individual++)
      for (let day = 0; day < 21_900; day++) {
        const id = makeNorwegianFodselsnummer(addDays("1940-01-01", day), individual, {
          synthetic: true,
        });
        if (id && !demo.has(id)) yield id;
      }
  }
}

type ClaimTypeRow = {
  k: number;
  type_id: string;
  creditor: string;
  policy_id: string;
  country: Country;
  currency: string;
  prefix: string;
  scheme: ReferenceScheme;
  steps: PolicyStep[];
  charges_interest: boolean;
  minimum: number;
  allocation: string[];
  resume_days: number;
};

type LadderStep = {
  key: string;
  on: IsoDate;
  deadline: IsoDate | null;
  fee_kind: string | null;
  fee: number | null;
  basis: string | null;
  notice: string | null;
  event: string;
};

/**
 * What the engine does to an unpaid claim without holds when the sweep runs every day until the
 * day before `asOf`: the steps with their dates, deadlines and fees, and the claim's next look.
 */
function ladder(t: ClaimTypeRow, law: LawBook, dueOn: IsoDate, principal: number, asOf: IsoDate) {
  const policy: Policy = {
    steps: t.steps,
    enforcementMinimum: t.minimum,
    chargesInterest: t.charges_interest,
    allocationOrder: t.allocation as unknown as AllocationOrder,
    resumeDeadlineDays: t.resume_days,
  };
  let stage: EvaluationInput["stage"] = "INVOICED";
  const taken: EvaluationInput["stepsTaken"] = [];
  const steps: LadderStep[] = [];
  const input = (today: IsoDate): EvaluationInput => ({
    status: "OPEN",
    stage,
    dueOn,
    country: t.country,
    policy,
    figures: (d) => law.figures(t.country, d),
    outstanding: { principal, fees: 0, interest: 0 },
    holds: [],
    stepsTaken: taken,
    vulnerable: false,
    today,
  });
  const yesterday = addDays(asOf, -1);
  for (let guard = 0; guard < 8; guard++) {
    const due = evaluate(input(yesterday));
    if (due.kind !== "act") break;
    // The action as the sweep of the day it fell due took it (deadline counted from that day).
    const then = evaluate(input(due.since));
    if (then.kind !== "act" || then.action.type !== "step") break;
    const a = then.action;
    taken.push({ key: a.stage, takenOn: due.since, deadline: a.deadline });
    steps.push({
      key: a.stage,
      on: due.since,
      deadline: a.deadline,
      fee_kind: a.fee?.kind ?? null,
      fee: a.fee?.amount ?? null,
      basis: a.fee ? (legalBasisFor(t.country, a.fee.kind) ?? "unknown") : null,
      notice: a.notice ? a.stage : null,
      event:
        a.stage === "READY_FOR_ENFORCEMENT"
          ? "enforcement.queued"
          : `${a.stage.toLowerCase()}.sent`,
    });
    stage = a.stage;
  }
  return { steps, next: nextActionOn(evaluate(input(asOf)), asOf) };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Generates `residents` residents and `claims` claims on DATABASE_URL. The demo creditors, claim
 * types and policies must exist (the CLI loads them when missing). Refuses to run twice on one
 * database: generated external ids would collide.
 */
export async function generateData(opts: GenerateOptions): Promise<GenerateResult> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  let rows = 0;
  const phase = async (what: string, work: () => Promise<number>) => {
    const start = performance.now();
    const n = await work();
    rows += n;
    const s = (performance.now() - start) / 1000;
    log(`  ${what}: ${fmt(n)} rows in ${s.toFixed(1)} s (${fmt(n / Math.max(s, 0.001))} rows/s)`);
  };
  const client: pg.PoolClient = await pgPool().connect();
  try {
    const exists = await client.query(
      `SELECT 1 FROM "Claim" WHERE "externalId" LIKE '${EXTERNAL_PREFIX}%' LIMIT 1`,
    );
    if (exists.rowCount) throw new Error("this database already holds generated claims");
    await client.query("SET synchronous_commit = off");
    await client.query("SET work_mem = '256MB'");
    await client.query("SELECT setseed(0.42)");
    const law = await loadLawBook();

    const types = (
      await client.query<ClaimTypeRow>(
        `
        SELECT (row_number() OVER (ORDER BY cr.slug, t.slug) - 1)::int AS k, t.id AS type_id,
               cr.id AS creditor, p.id AS policy_id, cr.country::text AS country, cr.currency,
               cr."referencePrefix" AS prefix, cr."referenceScheme"::text AS scheme, p.steps,
               p."chargesInterest" AS charges_interest, p."enforcementMinimum" AS minimum,
               p."allocationOrder" AS allocation, p."resumeDeadlineDays" AS resume_days
        FROM "ClaimType" t JOIN "Creditor" cr ON cr.id = t."creditorId"
        JOIN LATERAL (SELECT * FROM "Policy" p WHERE p."claimTypeId" = t.id
                      ORDER BY version DESC LIMIT 1) p ON true
        WHERE cr.slug = ANY($1::text[])`,
        [DEMO_CREDITORS.map((c) => c.slug)],
      )
    ).rows;
    if (types.length === 0) throw new Error("no demo creditors with policies in this database");

    // Residents: identity numbers, hash and cipher as the app makes them, in batches.
    const sampleLogins: GenerateResult["sampleLogins"] = [];
    await client.query(`CREATE TEMP TABLE gen_res (k int, kc int, id uuid, country text,
      cipher text, hash text, name text, email text, language text)`);
    await phase("residents", async () => {
      const ids = { SE: nationalIds("SE"), NO: nationalIds("NO") };
      const kc = { SE: 0, NO: 0 };
      const BATCH = 10_000;
      for (let from = 0; from < opts.residents; from += BATCH) {
        const cols = {
          k: [] as number[],
          kc: [] as number[],
          id: [] as string[],
          country: [] as string[],
          cipher: [] as string[],
          hash: [] as string[],
          name: [] as string[],
          email: [] as (string | null)[],
          language: [] as (string | null)[],
        };
        for (let k = from; k < Math.min(opts.residents, from + BATCH); k++) {
          const country: Country = k % 2 === 0 ? "NO" : "SE";
          const next = ids[country].next();
          if (next.done) throw new Error(`ran out of ${country} test identity numbers`);
          const nationalId = next.value;
          const name = `${FIRST[country][k % 11]} ${LAST[country][(k >> 3) % 8]}`;
          if (k < 4) sampleLogins.push({ country, nationalId, name });
          cols.k.push(k);
          cols.kc.push(kc[country]++);
          cols.id.push(randomUUID());
          cols.country.push(country);
          cols.cipher.push(encryptNationalId(nationalId, opts.piiKey));
          cols.hash.push(nationalIdHash(country, nationalId, opts.hashKey));
          cols.name.push(name);
          cols.email.push(k % 5 < 3 ? `resident${k}@example.org` : null);
          cols.language.push(k % 10 === 0 ? "en" : null);
        }
        await client.query(
          `INSERT INTO gen_res SELECT * FROM unnest($1::int[], $2::int[], $3::uuid[], $4::text[],
             $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
          Object.values(cols),
        );
      }
      const r = await client.query(`
        INSERT INTO "Resident" (id, country, "nationalIdCipher", "nationalIdHash", name, email,
                                language, "updatedAt")
        SELECT id, country::"Country", cipher, hash, name, email, language, now() FROM gen_res`);
      await client.query(`CREATE INDEX ON gen_res (country, kc)`);
      await client.query(`ANALYZE gen_res`);
      return r.rowCount ?? 0;
    });

    // The ladder per claim type, due date and side of the enforcement minimum.
    await client.query(`CREATE TEMP TABLE gen_ladder (k int, due_on date, below boolean,
      next date, steps jsonb, PRIMARY KEY (k, due_on, below))`);
    {
      const cols = { k: [] as number[], due: [] as string[], below: [] as boolean[] };
      const next: (string | null)[] = [];
      const steps: string[] = [];
      for (const t of types)
        for (let off = -LOOKBACK - 10; off <= AHEAD; off++)
          for (const below of [false, true]) {
            const dueOn = addDays(opts.asOf, off);
            const l = ladder(t, law, dueOn, below ? t.minimum - 1 : t.minimum, opts.asOf);
            cols.k.push(t.k);
            cols.due.push(dueOn);
            cols.below.push(below);
            next.push(l.next);
            steps.push(JSON.stringify(l.steps));
          }
      await client.query(
        `INSERT INTO gen_ladder SELECT * FROM unnest($1::int[], $2::date[], $3::boolean[],
           $4::date[], $5::jsonb[])`,
        [cols.k, cols.due, cols.below, next, steps],
      );
    }
    await client.query(
      `CREATE TEMP TABLE gen_types AS SELECT * FROM unnest($1::int[], $2::uuid[], $3::uuid[],
         $4::uuid[], $5::text[], $6::text[], $7::int[], $8::boolean[])
       AS t(k, type_id, creditor, policy_id, country, currency, minimum, charges_interest)`,
      [
        types.map((t) => t.k),
        types.map((t) => t.type_id),
        types.map((t) => t.creditor),
        types.map((t) => t.policy_id),
        types.map((t) => t.country),
        types.map((t) => t.currency),
        types.map((t) => t.minimum),
        types.map((t) => t.charges_interest),
      ],
    );

    // Payment references from a block of claim_reference_seq, made by the app's own function.
    const [{ last }] = (
      await client.query<{ last: string }>(
        `SELECT setval('claim_reference_seq', nextval('claim_reference_seq') + $1::int - 1) AS last`,
        [opts.claims],
      )
    ).rows as [{ last: string }];
    const firstSeq = Number(last) - opts.claims + 1;
    await client.query(`CREATE TEMP TABLE gen_refs (i int PRIMARY KEY, ref text)`);
    for (let from = 1; from <= opts.claims; from += 200_000) {
      const is: number[] = [];
      const refs: string[] = [];
      for (let i = from; i < Math.min(opts.claims + 1, from + 200_000); i++) {
        const t = types[i % types.length]!;
        is.push(i);
        refs.push(referenceFor(t.scheme, firstSeq + i - 1, t.prefix));
      }
      await client.query(`INSERT INTO gen_refs SELECT * FROM unnest($1::int[], $2::text[])`, [
        is,
        refs,
      ]);
    }

    // Per claim: type, resident (mostly of the creditor's country; a few residents have many
    // claims), a log-normal-ish principal (many small claims, a few large), a due date (recent
    // ones more often), and its fate: open, part-paid before the due date, paid in full, held.
    const counts = (
      await client.query<{ country: string; n: number }>(
        `SELECT country, count(*)::int AS n FROM gen_res GROUP BY country`,
      )
    ).rows;
    const perCountry = Object.fromEntries(counts.map((c) => [c.country, c.n]));
    await phase("claims (plan)", async () => {
      await client.query(
        `CREATE TEMP TABLE gen_claims AS
         WITH base AS (
           SELECT i, i % $2::int AS k, random() AS u1, random() AS u2, random() AS u3,
                  random() AS u4, random() AS u5, random() AS u6, random() AS u7
           FROM generate_series(1, $1::int) i),
         shaped AS (
           SELECT b.*, t.type_id, t.creditor, t.policy_id, t.currency, t.minimum,
                  CASE WHEN b.u6 < 0.05 THEN (CASE t.country WHEN 'SE' THEN 'NO' ELSE 'SE' END)
                       ELSE t.country END AS res_country,
                  least(1000000000, (1500 * exp(power(b.u1, 1.4) * 7.5))::int
                        * CASE WHEN b.u1 > 0.995 THEN 10 ELSE 1 END) AS principal,
                  -- Ages roughly exponential: most claims are recent, a long tail is old.
                  $3::date + ${AHEAD} - 5 - least(${LOOKBACK}, (-ln(1 - b.u2) * 35)::int) AS due_on,
                  CASE WHEN b.u3 < 0.15 THEN 'paid' WHEN b.u3 < 0.25 THEN 'part'
                       WHEN b.u3 < 0.28 THEN 'hold' ELSE 'open' END AS fate
           FROM base b JOIN gen_types t ON t.k = b.k)
         SELECT s.*, gen_random_uuid() AS id,
                nextval(pg_get_serial_sequence('"Event"', 'id')) AS event_id,
                CASE WHEN s.fate = 'part' THEN greatest(1, (s.principal * (0.2 + 0.6 * s.u5))::int)
                     ELSE 0 END AS part_amount,
                CASE WHEN s.fate = 'part' THEN least(s.due_on - 1 - (s.u4 * 10)::int, $3::date - 1)
                     WHEN s.fate IN ('paid', 'hold') THEN
                       CASE WHEN s.due_on >= $3::date
                            THEN greatest(s.due_on - 29, $3::date - 1 - (s.u4 * 10)::int)
                            ELSE s.due_on - 5 + (s.u4 * ($3::date - s.due_on + 4))::int END
                END AS act_on
         FROM shaped s`,
        [opts.claims, types.length, opts.asOf],
      );
      await client.query(
        `ALTER TABLE gen_claims ADD COLUMN resident_id uuid, ADD COLUMN below boolean,
                                ADD COLUMN cutoff date`,
      );
      await client.query(
        `UPDATE gen_claims c SET
           resident_id = r.id,
           below = (c.principal - c.part_amount) < c.minimum,
           cutoff = CASE WHEN c.fate IN ('paid', 'hold') THEN c.act_on ELSE $1::date END
         FROM gen_res r
         WHERE r.country = c.res_country
           AND r.kc = (power(c.u7, 1.5) * (CASE c.res_country WHEN 'SE' THEN $2::int ELSE $3::int END))::int
                      % (CASE c.res_country WHEN 'SE' THEN $2::int ELSE $3::int END)`,
        [opts.asOf, perCountry.SE ?? 1, perCountry.NO ?? 1],
      );
      // A country without residents (a tiny run): anyone will do.
      await client.query(
        `UPDATE gen_claims c SET resident_id = (SELECT id FROM gen_res ORDER BY k LIMIT 1),
           below = (c.principal - c.part_amount) < c.minimum,
           cutoff = CASE WHEN c.fate IN ('paid', 'hold') THEN c.act_on ELSE $1::date END
         WHERE resident_id IS NULL`,
        [opts.asOf],
      );
      await client.query(`CREATE UNIQUE INDEX ON gen_claims (id)`);
      await client.query(`ANALYZE gen_claims`);
      return 0;
    });

    // The steps the engine took before each claim's cutoff (payment day, hold, or asOf).
    await phase("claims (steps planned)", async () => {
      await client.query(
        `CREATE TEMP TABLE gen_steps AS
         SELECT c.id AS claim, c.resident_id, c.creditor, s.ord::int AS ord,
                s.v->>'key' AS key, (s.v->>'on')::date AS taken_on,
                (s.v->>'deadline')::date AS deadline, s.v->>'fee_kind' AS fee_kind,
                (s.v->>'fee')::int AS fee, s.v->>'basis' AS basis, s.v->>'notice' AS notice,
                s.v->>'event' AS event_type,
                nextval(pg_get_serial_sequence('"Event"', 'id')) AS event_id,
                gen_random_uuid() AS step_id, gen_random_uuid() AS notice_id
         FROM gen_claims c
         JOIN gen_ladder l ON l.k = c.k AND l.due_on = c.due_on AND l.below = c.below
         CROSS JOIN LATERAL jsonb_array_elements(l.steps) WITH ORDINALITY AS s(v, ord)
         WHERE (s.v->>'on')::date < c.cutoff
         ORDER BY c.id, s.ord`,
      );
      await client.query(`CREATE INDEX ON gen_steps (claim, ord)`);
      await client.query(`ANALYZE gen_steps`);
      return 0;
    });

    await phase("claims", async () => {
      // Some claims ready for enforcement were approved by a person a week later and filed: they
      // are created in that stage (synthetic data is created where it stands, never moved).
      await client.query(
        `CREATE TEMP TABLE gen_filed AS
         SELECT c.id, c.resident_id, c.creditor, s.taken_on + 7 AS filed_on
         FROM gen_claims c JOIN gen_steps s ON s.claim = c.id AND s.key = 'READY_FOR_ENFORCEMENT'
         WHERE c.fate = 'open' AND c.u5 < 0.3 AND s.taken_on + 7 < $1::date`,
        [opts.asOf],
      );
      const r = await client.query(
        `INSERT INTO "Claim" (id, "creditorId", "claimTypeId", "residentId", "policyId",
            "externalId", "intakeFingerprint", description, currency, "issuedOn", "dueOn",
            "paymentReference", stage, "stageEnteredOn", "nextActionOn", "updatedAt")
         SELECT c.id, c.creditor, c.type_id, c.resident_id, c.policy_id, '${EXTERNAL_PREFIX}' || c.i,
                md5('gen' || c.i), 'Invoice ' || c.i, c.currency, c.due_on - 30, c.due_on,
                ref.ref,
                CASE WHEN f.id IS NULL THEN coalesce(last.key, 'INVOICED') ELSE 'FILED' END::"ClaimStage",
                coalesce(f.filed_on, last.taken_on, c.due_on),
                CASE WHEN f.id IS NULL THEN l.next END, now()
         FROM gen_claims c
         JOIN gen_refs ref ON ref.i = c.i
         LEFT JOIN gen_filed f ON f.id = c.id
         JOIN gen_ladder l ON l.k = c.k AND l.due_on = c.due_on AND l.below = c.below
         LEFT JOIN LATERAL (SELECT key, taken_on FROM gen_steps s WHERE s.claim = c.id
                            ORDER BY ord DESC LIMIT 1) last ON true`,
      );
      return r.rowCount ?? 0;
    });

    await phase("events", async () => {
      let n = 0;
      n +=
        (
          await client.query(
            `INSERT INTO "Event" (id, "claimId", "residentId", "creditorId", type, actor, data,
                                  "occurredOn")
             SELECT event_id, id, resident_id, creditor, 'claim.received', 'creditor-api:generated',
                    jsonb_build_object('principal', principal, 'currency', currency,
                                       'dueOn', due_on, 'policyVersion', 1), due_on - 29
             FROM gen_claims`,
          )
        ).rowCount ?? 0;
      n +=
        (
          await client.query(
            `INSERT INTO "Event" (id, "claimId", "residentId", "creditorId", type, actor, data,
                                  "occurredOn")
             SELECT event_id, claim, resident_id, creditor, event_type, 'system',
                    jsonb_build_object('step', key, 'deadline', deadline, 'fee',
                      CASE WHEN fee_kind IS NULL THEN NULL
                           ELSE jsonb_build_object('kind', fee_kind, 'amount', fee) END),
                    taken_on
             FROM gen_steps`,
          )
        ).rowCount ?? 0;
      return n;
    });

    await phase("charges", async () => {
      let n = 0;
      n +=
        (
          await client.query(
            `INSERT INTO "Charge" (id, "claimId", kind, amount, "chargedOn", "causeEventId",
                                   "causeType", "legalBasis")
             SELECT gen_random_uuid(), id, 'PRINCIPAL', principal, due_on - 30, event_id,
                    'claim.received', 'principal.invoice'
             FROM gen_claims`,
          )
        ).rowCount ?? 0;
      n +=
        (
          await client.query(
            `INSERT INTO "Charge" (id, "claimId", kind, amount, "chargedOn", "causeEventId",
                                   "causeType", "legalBasis")
             SELECT gen_random_uuid(), claim, fee_kind::"ChargeKind", fee, taken_on, event_id,
                    event_type, basis
             FROM gen_steps WHERE fee_kind IS NOT NULL`,
          )
        ).rowCount ?? 0;
      return n;
    });

    await phase("steps", async () => {
      const r = await client.query(
        `INSERT INTO "ClaimStep" (id, "claimId", key, "takenOn", deadline, "eventId")
         SELECT step_id, claim, key, taken_on, deadline, event_id FROM gen_steps`,
      );
      return r.rowCount ?? 0;
    });

    // Notices as sent (dispatched the day they were written: by email where the resident has an
    // address, else on paper): lines are the principal and the fees charged so far (interest, which the
    // engine also lists, is left out of generated notices); the outbox shows them delivered.
    await phase("notices and mail", async () => {
      let n = 0;
      n +=
        (
          await client.query(
            `INSERT INTO "Notice" (id, "claimId", "stepId", kind, "sentOn", deadline, language,
                                   status, "dispatchedOn", "deadlineDays", channel,
                                   "channelReason", provider, content)
             SELECT s.notice_id, s.claim, s.step_id, s.notice::"NoticeKind", s.taken_on, s.deadline,
                    x.lang, 'DISPATCHED', s.taken_on, s.deadline - s.taken_on,
                    (CASE WHEN r.email IS NULL THEN 'PRINT' ELSE 'EMAIL' END)::"NoticeChannel",
                    'generated history', CASE WHEN r.email IS NULL THEN 'print' ELSE 'smtp' END,
                    jsonb_build_object(
                      'kind', s.notice, 'country', cr.country, 'language', x.lang,
                      'residentName', r.name, 'creditorName', cr.name,
                      'claimTypeName', coalesce(ct.names->>x.lang, ct.name),
                      'description', 'Invoice ' || c.i, 'currency', c.currency,
                      'sentOn', s.taken_on, 'deadline', s.deadline,
                      'lines', jsonb_build_array(jsonb_build_object('kind', 'PRINCIPAL',
                                 'amount', c.principal, 'date', c.due_on - 30,
                                 'causeType', 'claim.received', 'legalBasis', 'principal.invoice'))
                               || f.lines,
                      'payments', CASE WHEN c.part_amount > 0 THEN jsonb_build_array(
                                    jsonb_build_object('amount', c.part_amount, 'receivedOn', c.act_on))
                                  ELSE '[]'::jsonb END,
                      'balance', jsonb_build_object('principal', c.principal - c.part_amount,
                                   'fees', f.fees, 'interest', 0,
                                   'total', c.principal - c.part_amount + f.fees),
                      'fee', CASE WHEN s.fee_kind IS NULL THEN NULL
                                  ELSE jsonb_build_object('kind', s.fee_kind, 'amount', s.fee) END,
                      'paymentReference', ref.ref, 'bankAccount', cr."bankAccount",
                      'claimUrl', $1::text || '/claims/' || c.id)
             FROM gen_steps s
             JOIN gen_claims c ON c.id = s.claim
             JOIN gen_refs ref ON ref.i = c.i
             JOIN gen_res r ON r.id = s.resident_id
             JOIN "Creditor" cr ON cr.id = s.creditor
             JOIN "ClaimType" ct ON ct.id = c.type_id
             CROSS JOIN LATERAL (SELECT coalesce(r.language,
                                   CASE cr.country WHEN 'SE' THEN 'sv' ELSE 'nb' END) AS lang) x
             CROSS JOIN LATERAL (
               SELECT coalesce(jsonb_agg(jsonb_build_object('kind', p.fee_kind, 'amount', p.fee,
                        'date', p.taken_on, 'causeType', p.event_type, 'legalBasis', p.basis)
                        ORDER BY p.ord), '[]'::jsonb) AS lines,
                      coalesce(sum(p.fee), 0)::int AS fees
               FROM gen_steps p WHERE p.claim = s.claim AND p.ord <= s.ord
                 AND p.fee_kind IS NOT NULL) f
             WHERE s.notice IS NOT NULL`,
            [opts.publicUrl.replace(/\/$/, "")],
          )
        ).rowCount ?? 0;
      n +=
        (
          await client.query(
            `INSERT INTO "Outbox" (id, "noticeId", "to", status, attempts, "nextAttemptAt",
                                   "sentAt", "createdAt")
             SELECT gen_random_uuid(), s.notice_id, r.email, 'SENT', 1,
                    s.taken_on + interval '6 hours', s.taken_on + interval '6 hours',
                    s.taken_on + interval '6 hours'
             FROM gen_steps s JOIN gen_res r ON r.id = s.resident_id
             WHERE s.notice IS NOT NULL AND r.email IS NOT NULL`,
          )
        ).rowCount ?? 0;
      return n;
    });

    // Part payments, made before the due date: no fee or interest yet, so all of it is principal.
    await phase("part payments", async () => {
      const r = await client.query(
        `WITH e AS (
           INSERT INTO "Event" ("claimId", "residentId", "creditorId", type, actor, data,
                                "occurredOn")
           SELECT id, resident_id, creditor, 'payment.received', 'system',
                  jsonb_build_object('amount', part_amount, 'method', 'bank_transfer',
                    'allocated', jsonb_build_object('costs', 0, 'interest', 0,
                                                    'principal', part_amount), 'credit', 0),
                  act_on
           FROM gen_claims WHERE fate = 'part'
           RETURNING id, "claimId")
         INSERT INTO "Payment" (id, "claimId", amount, currency, "receivedOn", method,
                                "providerRef", allocations, "eventId")
         SELECT gen_random_uuid(), c.id, c.part_amount, c.currency, c.act_on, 'bank_transfer',
                'generated:' || c.id, jsonb_build_object('costs', 0, 'interest', 0,
                                                         'principal', c.part_amount), e.id
         FROM e JOIN gen_claims c ON c.id = e."claimId"`,
      );
      return 2 * (r.rowCount ?? 0);
    });

    // Holds placed after the last step: some open-ended, some with an end date ahead.
    await phase("holds", async () => {
      const r = await client.query(
        `WITH h AS (
           INSERT INTO "Hold" (id, "claimId", kind, reason, "startsOn", "endsOn")
           SELECT gen_random_uuid(), id,
                  (ARRAY['MANUAL', 'HARDSHIP', 'DEFERRAL', 'DEBT_RESPITE'])[1 + (u5 * 4)::int % 4]::"HoldKind",
                  'Generated hold', act_on,
                  CASE WHEN u5 >= 0.5 THEN $1::date + 10 + (u4 * 50)::int END
           FROM gen_claims WHERE fate = 'hold'
           RETURNING id, "claimId", kind, "startsOn", "endsOn")
         INSERT INTO "Event" ("claimId", "residentId", "creditorId", type, actor, data, "occurredOn")
         SELECT c.id, c.resident_id, c.creditor, 'hold.placed', 'staff:generated',
                jsonb_build_object('holdId', h.id, 'kind', h.kind, 'endsOn', h."endsOn"),
                h."startsOn"
         FROM h JOIN gen_claims c ON c.id = h."claimId"`,
        [opts.asOf],
      );
      return 2 * (r.rowCount ?? 0);
    });

    // The filed claims' approvals and export batches: one batch per creditor, its receipt
    // recorded (a generated file of one line stands in for the real one).
    await phase("filings", async () => {
      const b = await client.query(
        `WITH body AS (SELECT convert_to('generated batch' || E'\\r\\n', 'UTF8') AS content)
         INSERT INTO "EnforcementExport" (id, "creditorId", format, "fileName", "contentType",
             content, sha256, size, claims, total, currency, status, "createdBy", "createdAt",
             receipt, "receiptBy", "receiptAt")
         SELECT md5('gen-export:' || g.creditor)::uuid, g.creditor,
                CASE WHEN cr.country = 'SE' THEN 'kravportal-enforcement-se-v1'
                     ELSE 'kravportal-enforcement-no-namsmann-v1' END,
                'generated-' || cr.slug || '.csv', 'text/csv; charset=utf-8', body.content,
                encode(sha256(body.content), 'hex'), octet_length(body.content), count(*), 0,
                cr.currency, 'FILED', 'staff:generated', min(g.filed_on), 'generated',
                'staff:generated', min(g.filed_on) + interval '1 day'
         FROM gen_filed g JOIN "Creditor" cr ON cr.id = g.creditor CROSS JOIN body
         GROUP BY g.creditor, cr.country, cr.slug, cr.currency, body.content`,
      );
      const f = await client.query(
        `INSERT INTO "EnforcementFiling" (id, "claimId", "approvedBy", "approvedAt", "exportId",
                                          "exportedAt")
         SELECT gen_random_uuid(), id, '00000000-0000-4000-8000-000000000001', filed_on,
                md5('gen-export:' || creditor)::uuid, filed_on + interval '1 hour'
         FROM gen_filed`,
      );
      const e = await client.query(
        `INSERT INTO "Event" ("claimId", "residentId", "creditorId", type, actor, data, "occurredOn")
         SELECT id, resident_id, creditor, t, 'staff:generated', '{}'::jsonb, filed_on
         FROM gen_filed
         CROSS JOIN unnest(ARRAY['enforcement.approved', 'enforcement.exported',
                                 'enforcement.filed']) t`,
      );
      return (b.rowCount ?? 0) + (f.rowCount ?? 0) + (e.rowCount ?? 0);
    });

    // Paid in full: the amount is what the claim's statement said on the day (interest
    // included), allocated as the ledger allocates; held claims get the evaluator's next look.
    const settle = (
      await client.query<{ id: string; fate: string; act_on: string }>(
        `SELECT id::text, fate, act_on::text FROM gen_claims WHERE fate IN ('paid', 'hold')
         ORDER BY id`,
      )
    ).rows;
    await phase("full payments and holds' next look", () => settleClaims(settle, law, opts.asOf));

    // Committed synchronously, so the WAL is on disk up to here and VACUUM below can set the
    // rows' hint bits and visibility (it cannot for a commit not yet on disk; with data
    // checksums, the first read that sets them would write each page to the WAL instead).
    await client.query("RESET synchronous_commit");
    await client.query(
      `DROP TABLE gen_claims, gen_steps, gen_ladder, gen_refs, gen_res, gen_types, gen_filed`,
    );
    const v0 = performance.now();
    await client.query(
      `VACUUM ANALYZE "Resident", "Claim", "Event", "Charge", "ClaimStep", "Notice", "Outbox",
                      "Payment", "Hold", "EnforcementFiling"`,
    );
    log(`  vacuum analyze: ${((performance.now() - v0) / 1000).toFixed(1)} s`);
    const seconds = (performance.now() - t0) / 1000;
    return {
      residents: opts.residents,
      claims: opts.claims,
      rows,
      seconds,
      sampleLogins,
    };
  } finally {
    client.release();
  }
}

async function settleClaims(
  claims: { id: string; fate: string; act_on: string }[],
  law: LawBook,
  asOf: IsoDate,
): Promise<number> {
  let rows = 0;
  const BATCH = 1000;
  for (let from = 0; from < claims.length; from += BATCH) {
    const batch = claims.slice(from, from + BATCH);
    const payOn = new Map(batch.map((c) => [c.id, c.act_on as IsoDate]));
    const paid = new Set(batch.filter((c) => c.fate === "paid").map((c) => c.id));
    rows += await db().$transaction(
      async (tx) => {
        const states = await loadClaims(tx, { ids: batch.map((c) => c.id) }, { lock: "update" });
        // Paid in full by bank transfer on their day, booked by the ledger itself.
        const payments: PaymentInput[] = states
          .filter((row) => paid.has(row.id))
          .map((row) => {
            const on = payOn.get(row.id)!;
            return {
              claimId: row.id,
              amount: statementOf(row, law, on).balance.total,
              currency: row.currency,
              receivedOn: on,
              method: "bank_transfer" as const,
              providerRef: `generated:${row.id}`,
              actor: "system",
            };
          })
          .filter((p) => p.amount > 0);
        await recordPayments(tx, law, payments, { deferRefresh: true });
        const n = 3 * payments.length;
        const held = states.filter((row) => !paid.has(row.id));
        await refreshNextActions(
          tx,
          held.map((r) => r.id),
          law,
          asOf,
          held,
        );
        return n;
      },
      { timeout: 120_000 },
    );
  }
  return rows;
}
