import { jsonDate, jsonOptionalDate, sql } from "~/infra/sql.server";
import type { ClaimStateRow } from "./claim-state.server";
import { rowOrderSql } from "./row-order.server";

/*
 * A resident's claims with everything their statement and next step need: the same rows as
 * `findMany({ include: claimStateInclude })` (a test compares them), in one plain statement on
 * the pool instead of Prisma's thirteen (one per relation, each through its query interpreter).
 * The scope (the resident's id) is in the statement itself.
 */

type Row = ClaimStateRow;
type J<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

type Flat = Omit<
  Row,
  "creditor" | "claimType" | "policy" | "charges" | "payments" | "holds" | "steps" | "resident"
> & {
  cr_slug: string;
  cr_name: string;
  cr_country: Row["creditor"]["country"];
  cr_tz: string;
  cr_bank: string;
  ct_slug: string;
  ct_name: string;
  ct_names: Row["claimType"]["names"];
  r_name: string;
  r_email: string | null;
  r_language: string | null;
  r_flags: string[];
  j_policy: J<Row["policy"]>;
  j_charges: {
    c: J<Omit<Row["charges"][number], "causeEvent" | "causeEventId">>;
    e: string;
    t: string;
  }[];
  j_payments: {
    p: J<Omit<Row["payments"][number], "refunds" | "eventId">>;
    e: string;
    r: Row["payments"][number]["refunds"];
  }[];
  j_holds: J<Row["holds"][number]>[];
  j_steps: { s: J<Omit<Row["steps"][number], "eventId">>; e: string }[];
};

const COLUMNS = `
  c.*, cr.slug AS cr_slug, cr.name AS cr_name, cr.country::text AS cr_country,
         cr."timeZone" AS cr_tz, cr."bankAccount" AS cr_bank,
         ct.slug AS ct_slug, ct.name AS ct_name, ct.names AS ct_names,
         r.name AS r_name, r.email AS r_email, r.language AS r_language,
         ARRAY(SELECT f.id::text FROM "VulnerabilityFlag" f
               WHERE f."residentId" = c."residentId" AND f."resolvedAt" IS NULL) AS r_flags,
         to_json(p) AS j_policy,
         COALESCE((SELECT json_agg(json_build_object('c', to_json(ch), 'e', ch."causeEventId"::text,
                                                     't', e.type) ORDER BY ${rowOrderSql("charges", "ch")})
                   FROM "Charge" ch JOIN "Event" e ON e.id = ch."causeEventId"
                   WHERE ch."claimId" = c.id), '[]') AS j_charges,
         COALESCE((SELECT json_agg(json_build_object('p', to_json(pm), 'e', pm."eventId"::text,
                    'r', COALESCE((SELECT json_agg(json_build_object('amount', rf.amount,
                                                                     'allocations', rf.allocations)
                                                   ORDER BY ${rowOrderSql("recorded", "rf")})
                                   FROM "Refund" rf WHERE rf."paymentId" = pm.id), '[]'))
                    ORDER BY ${rowOrderSql("payments", "pm")})
                   FROM "Payment" pm WHERE pm."claimId" = c.id), '[]') AS j_payments,
         COALESCE((SELECT json_agg(to_json(h) ORDER BY ${rowOrderSql("holds", "h")})
                   FROM "Hold" h WHERE h."claimId" = c.id), '[]') AS j_holds,
         COALESCE((SELECT json_agg(json_build_object('s', to_json(s), 'e', s."eventId"::text)
                                   ORDER BY ${rowOrderSql("steps", "s")})
                   FROM "ClaimStep" s WHERE s."claimId" = c.id), '[]') AS j_steps`;
const FROM = `
  FROM "Claim" c
  JOIN "Creditor" cr ON cr.id = c."creditorId"
  JOIN "ClaimType" ct ON ct.id = c."claimTypeId"
  JOIN "Resident" r ON r.id = c."residentId"
  JOIN "Policy" p ON p.id = c."policyId"`;
const SELECT = `SELECT ${COLUMNS} ${FROM}`;

/** Every open claim of one resident, oldest due date first. */
export async function loadResidentOpenClaimStates(residentId: string): Promise<ClaimStateRow[]> {
  const rows = await sql<Flat>(
    `${SELECT} WHERE c."residentId" = $1::uuid AND c.status = 'OPEN' ORDER BY c."dueOn", c.id`,
    [residentId],
  );
  return rows.map(toRow);
}

/** One claim of one resident; null when there is none or it is someone else's. */
export async function loadResidentClaimState(
  residentId: string,
  claimId: string,
): Promise<ClaimStateRow | null> {
  return (await loadResidentClaimWith(residentId, claimId, {}))?.row ?? null;
}

/**
 * One claim of one resident and, in the same statement, more of what its page shows: `extra`
 * names SQL expressions over the claim row `c` (`$1` is the resident's id, `$2` the claim's).
 * Null when there is no such claim of theirs.
 */
export async function loadResidentClaimWith<K extends string>(
  residentId: string,
  claimId: string,
  extra: Record<K, string>,
): Promise<{ row: ClaimStateRow; extra: Record<K, unknown> } | null> {
  const names = Object.keys(extra) as K[];
  const columns = names.map((k, i) => `, ${extra[k]} AS x_${i}`).join("");
  const [flat] = await sql<Flat & Record<string, unknown>>(
    `SELECT ${COLUMNS}${columns} ${FROM} WHERE c.id = $2::uuid AND c."residentId" = $1::uuid`,
    [residentId, claimId],
  );
  if (!flat) return null;
  const values = {} as Record<K, unknown>;
  names.forEach((k, i) => {
    values[k] = flat[`x_${i}`];
    delete flat[`x_${i}`];
  });
  return { row: toRow(flat), extra: values };
}

function toRow(f: Flat): ClaimStateRow {
  const {
    cr_slug,
    cr_name,
    cr_country,
    cr_tz,
    cr_bank,
    ct_slug,
    ct_name,
    ct_names,
    r_name,
    r_email,
    r_language,
    r_flags,
    j_policy,
    j_charges,
    j_payments,
    j_holds,
    j_steps,
    ...claim
  } = f;
  return {
    ...claim,
    creditor: {
      id: f.creditorId,
      slug: cr_slug,
      name: cr_name,
      country: cr_country,
      timeZone: cr_tz,
      bankAccount: cr_bank,
    },
    claimType: { slug: ct_slug, name: ct_name, names: ct_names },
    policy: { ...j_policy, createdAt: new Date(j_policy.createdAt) },
    charges: j_charges.map(({ c, e, t }) => ({
      id: c.id,
      claimId: c.claimId,
      kind: c.kind,
      amount: c.amount,
      chargedOn: jsonDate(c.chargedOn),
      causeEventId: BigInt(e),
      legalBasis: c.legalBasis,
      cancelledOn: jsonOptionalDate(c.cancelledOn),
      cancelReason: c.cancelReason,
      createdAt: new Date(c.createdAt),
      causeEvent: { type: t },
    })),
    payments: j_payments.map(({ p, e, r }) => ({
      id: p.id,
      claimId: p.claimId,
      amount: p.amount,
      currency: p.currency,
      receivedOn: jsonDate(p.receivedOn),
      method: p.method,
      providerRef: p.providerRef,
      allocations: p.allocations,
      creditAmount: p.creditAmount,
      checkoutId: p.checkoutId,
      eventId: BigInt(e),
      createdAt: new Date(p.createdAt),
      refunds: r,
    })),
    holds: j_holds.map((h) => ({
      id: h.id,
      claimId: h.claimId,
      kind: h.kind,
      reason: h.reason,
      startsOn: jsonDate(h.startsOn),
      endsOn: jsonOptionalDate(h.endsOn),
      releasedOn: jsonOptionalDate(h.releasedOn),
      createdAt: new Date(h.createdAt),
    })),
    steps: j_steps.map(({ s, e }) => ({
      id: s.id,
      claimId: s.claimId,
      key: s.key,
      takenOn: jsonDate(s.takenOn),
      deadline: jsonOptionalDate(s.deadline),
      eventId: BigInt(e),
      createdAt: new Date(s.createdAt),
    })),
    resident: {
      name: r_name,
      email: r_email,
      language: r_language,
      flags: r_flags.map((id) => ({ id })),
    },
  };
}
