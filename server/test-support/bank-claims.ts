// Many open claims at once, written with set-based SQL as intake writes them (claim, its
// `claim.received` event and PRINCIPAL charge), and a camt.054 file paying them, produced piece
// by piece: for the big bank-file tests and bench/bank-files.ts, where going through the intake
// service one claim at a time would take longer than what is measured.

/** Runs one SQL statement with positional parameters ($1, $2, ...). */
export type Exec = (sql: string, params: unknown[]) => Promise<unknown>;

/** The principal of generated claim `i` (minor units): varied, never zero. */
export const principalOf = (i: number) => 10_000 + (i % 997) * 13;

/** The payment reference of generated claim `i`. */
export const referenceOf = (prefix: string, i: number) => `${prefix}${String(i).padStart(8, "0")}`;

/**
 * `n` OPEN, INVOICED claims (i = 0..n-1) of the creditor's claim type `water` under its latest
 * policy, one resident per claim, principal `principalOf(i)`, reference `referenceOf(prefix, i)`,
 * issued and due on the days given (due after the payments: no interest, so a payment of the
 * principal pays a claim in full). Must run in a transaction (its work table lasts until commit).
 */
export async function insertOpenClaims(
  exec: Exec,
  opts: {
    creditorId: string;
    n: number;
    prefix: string;
    issuedOn: string;
    dueOn: string;
    country: "NO" | "SE";
  },
): Promise<void> {
  const { creditorId, n, prefix, issuedOn, dueOn, country } = opts;
  await exec(
    `CREATE TEMP TABLE bank_claims ON COMMIT DROP AS
     SELECT i, gen_random_uuid() AS id, gen_random_uuid() AS resident_id,
            nextval(pg_get_serial_sequence('"Event"', 'id')) AS event_id,
            (10000 + (i % 997) * 13)::int AS principal
     FROM generate_series(0, $1::int - 1) i`,
    [n],
  );
  await exec(
    `INSERT INTO "Resident" (id, country, "nationalIdCipher", "nationalIdHash", name, "updatedAt")
     SELECT resident_id, $2::"Country", 'v1:bench:bench:' || i, 'bank-' || $1 || '-' || i,
            'Resident ' || i, now()
     FROM bank_claims`,
    [prefix, country],
  );
  await exec(
    `INSERT INTO "Claim" (id, "creditorId", "claimTypeId", "residentId", "policyId", "externalId",
        "intakeFingerprint", description, currency, "issuedOn", "dueOn", "paymentReference",
        "stageEnteredOn", "nextActionOn", "updatedAt")
     SELECT b.id, c.id, t.id, b.resident_id, p.id, 'BANK-' || $2 || '-' || b.i, md5(b.i::text),
            'Bank file claim ' || b.i, c.currency, $3::date, $4::date,
            $2 || lpad(b.i::text, 8, '0'), $4::date, $4::date, now()
     FROM bank_claims b
     JOIN "Creditor" c ON c.id = $1::uuid
     JOIN "ClaimType" t ON t."creditorId" = c.id AND t.slug = 'water'
     JOIN LATERAL (SELECT id FROM "Policy" WHERE "claimTypeId" = t.id
                   ORDER BY version DESC LIMIT 1) p ON true`,
    [creditorId, prefix, issuedOn, dueOn],
  );
  await exec(
    `INSERT INTO "Event" (id, "claimId", "residentId", "creditorId", type, actor, data, "occurredOn")
     SELECT b.event_id, b.id, b.resident_id, $1::uuid, 'claim.received', 'test',
            jsonb_build_object('principal', b.principal, 'currency', c.currency, 'dueOn', $3::date,
                               'policyVersion', 1), $2::date
     FROM bank_claims b JOIN "Creditor" c ON c.id = $1::uuid`,
    [creditorId, issuedOn, dueOn],
  );
  await exec(
    `INSERT INTO "Charge" (id, "claimId", kind, amount, "chargedOn", "causeEventId", "causeType",
                           "legalBasis")
     SELECT gen_random_uuid(), id, 'PRINCIPAL', principal, $1::date, event_id, 'claim.received',
            'principal.invoice'
     FROM bank_claims`,
    [issuedOn],
  );
}

export type BigEntry = { reference: string; amount: number; bookedOn: string; ref: string };

/**
 * A camt.054 (.08) notification for `entries`, one credit entry each with its own AcctSvcrRef
 * (`ref`: the bank's reference, the same whichever file carries the entry again), yielded in
 * pieces so a file of any size is never one string. Entry i's Ntry starts on line 6 + 4i.
 * Entries given as an iterable (generated as written) need their count and sum in `totals`.
 */
export function* camt054Pieces(
  msgId: string,
  entries: Iterable<BigEntry>,
  totals?: { count: number; total: number },
): Generator<string> {
  const major = (minor: number) => (minor / 100).toFixed(2);
  const list = Array.isArray(entries) ? (entries as BigEntry[]) : undefined;
  const count = totals?.count ?? list!.length;
  const total = totals?.total ?? list!.reduce((s, e) => s + e.amount, 0);
  const currency = "NOK";
  yield `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>${msgId}</MsgId><CreDtTm>2026-03-05T06:00:00+01:00</CreDtTm></GrpHdr>
<Ntfctn><Id>${msgId}-N</Id><Acct><Id><IBAN>NO9386011117947</IBAN></Id><Ccy>${currency}</Ccy></Acct>
<TxsSummry><TtlCdtNtries><NbOfNtries>${count}</NbOfNtries><Sum>${major(total)}</Sum></TtlCdtNtries></TxsSummry>
`;
  let piece = "";
  for (const e of entries) {
    piece += `<Ntry><AcctSvcrRef>${e.ref}</AcctSvcrRef><Amt Ccy="${currency}">${major(e.amount)}</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${e.bookedOn}</Dt></BookgDt>
<NtryDtls><TxDtls><Amt Ccy="${currency}">${major(e.amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<RmtInf><Strd><CdtrRefInf><Ref>${e.reference}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
`;
    if (piece.length > 64_000) {
      yield piece;
      piece = "";
    }
  }
  yield `${piece}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n`;
}
