import { OPEN_PLAN_STATUSES } from "./plan-core.server";
import type { IsoDate } from "~/domain/calendar-date";
import {
  addMonths,
  checkRules,
  proposeSchedule,
  strictestRules,
  validatePlanRules,
  type PlanBy,
  type PlanRules,
  type RuleCheck,
  type Schedule,
} from "~/domain/payment-plan";
import { isWithEnforcement } from "~/domain/claim-stages";
import { capFor } from "~/domain/policy";
import type { Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import { statementOf, type ClaimSnapshot } from "~/domain/claim";
import { loadClaims } from "../claims/load-claims.server";
import { deferralAtLedger } from "./plan-amounts.server";
import type { LawBook } from "../law/legal-figures.server";

export type PlanBasis = {
  rows: ClaimSnapshot[];
  creditorId: string;
  country: "SE" | "NO";
  currency: string;
  rules: PlanRules | null;
  owed: number;
  schedule: Schedule;
  check: RuleCheck;
};

export type BasisError =
  /** No bill chosen: the resident unticked them all. */
  | "no_claims"
  | "not_found"
  | "mixed_creditors"
  | "nothing_owed"
  | "already_in_plan"
  | "bad_request"
  | "with_enforcement"
  | "claim_closed";

/**
 * The plan rules claims of these types are judged by: the strictest of each type's latest policy
 * (a creditor that changes its rules wants new requests judged by them); null when a type has
 * none, and staff decide every plan.
 */
export async function planRulesOf(
  tx: Tx,
  rows: readonly { claimTypeId: string }[],
): Promise<PlanRules | null> {
  const typeIds = [...new Set(rows.map((r) => r.claimTypeId))];
  const latest = await Promise.all(
    typeIds.map((claimTypeId) =>
      tx.policy.findFirst({ where: { claimTypeId }, orderBy: { version: "desc" } }),
    ),
  );
  const ruleList = latest.map((p) => {
    if (!p?.planRules) return null;
    const checked = validatePlanRules(p.planRules, Number.MAX_SAFE_INTEGER);
    return checked.ok ? checked.rules : null;
  });
  return ruleList.every((r) => r !== null) ? strictestRules(ruleList) : null;
}

/** The rate in force on `today`: interest during the plan is projected at it. */
function rateOn(law: LawBook, country: "SE" | "NO", today: IsoDate): number {
  let bp = 0;
  for (const r of law.interest[country]) if (r.validFrom <= today) bp = r.basisPoints;
  return bp;
}

/**
 * Everything a plan over these claims rests on: the resident's own open claims of one creditor,
 * what they owe today, the strictest plan rules of their claim types (each type's latest policy:
 * a creditor that changes its rules wants new requests judged by them), the schedule asked for
 * and whether it stays within the rules.
 */
export async function planBasis(
  tx: Tx,
  law: LawBook,
  input: {
    residentId: string;
    claimIds: string[];
    by: PlanBy;
    today: IsoDate;
    /** A plan being changed by staff: its own claims are not "already in a plan". */
    replacing?: { planId: string; chargeFee: boolean };
  },
): Promise<{ ok: true; basis: PlanBasis } | { ok: false; error: BasisError }> {
  const ids = [...new Set(input.claimIds)];
  if (ids.length === 0) return { ok: false, error: "no_claims" };
  const rows = await loadClaims(tx, { residentId: input.residentId, claimIds: ids, open: true });
  if (rows.length !== ids.length) {
    // The resident's own bill, paid or closed meanwhile: say so (issue 15), rather than "not found".
    const closed = await tx.claim.count({
      where: { id: { in: ids }, residentId: input.residentId, status: { not: "OPEN" } },
    });
    return { ok: false, error: closed > 0 ? "claim_closed" : "not_found" };
  }
  // A bill sent to the enforcement authority (or on its way) is no longer ours to plan.
  if (rows.some((r) => isWithEnforcement(r.stage))) return { ok: false, error: "with_enforcement" };
  const first = rows[0]!;
  if (rows.some((r) => r.creditorId !== first.creditorId || r.currency !== first.currency))
    return { ok: false, error: "mixed_creditors" };
  const inPlan = await tx.planClaim.count({
    where: {
      claimId: { in: ids },
      plan: { status: { in: [...OPEN_PLAN_STATUSES] } },
      ...(input.replacing ? { planId: { not: input.replacing.planId } } : {}),
    },
  });
  if (inPlan > 0) return { ok: false, error: "already_in_plan" };

  const country = first.creditor.country;
  const today = input.today;
  const statements = rows.map((r) => statementOf(r, law, today));
  const owed = statements.reduce((s, st) => s + st.balance.total, 0);
  if (owed <= 0) return { ok: false, error: "nothing_owed" };
  const interestBearing = rows.reduce(
    (s, r, i) => s + (r.policy.chargesInterest ? statements[i]!.balance.principal : 0),
    0,
  );

  const rules = await planRulesOf(tx, rows);
  const cap = capFor(law.figures(country, today), "PLAN_FEE");
  // The law in force today wins over a fee set under older law.
  const fee = rules && (input.replacing?.chargeFee ?? true) ? Math.min(rules.planFee, cap) : 0;

  let schedule: Schedule;
  try {
    schedule = proposeSchedule({
      owed,
      interestBearingPrincipal: interestBearing,
      interestBasisPoints: interestBearing > 0 ? rateOn(law, country, today) : 0,
      fee,
      by: input.by,
      today,
      firstDueDays: rules?.firstDueDays ?? 14,
      minInstalment: rules?.minInstalment ?? 1,
      country,
    });
  } catch {
    return { ok: false, error: "bad_request" };
  }
  // A deferral's one payment is what the ledger will say is owed on its day (decision 0100).
  schedule = deferralAtLedger(schedule, rows, law);
  const windowStart = addMonths(today, -(rules?.plansWindowMonths ?? 12));
  const plansInWindow = await tx.paymentPlan.count({
    where: {
      residentId: input.residentId,
      creditorId: first.creditorId,
      status: { in: ["ACTIVE", "COMPLETED", "ENDED"] },
      ...(input.replacing ? { id: { not: input.replacing.planId } } : {}),
      requestedOn: { gte: dbDate(windowStart) },
    },
  });
  const check = checkRules({
    rules,
    schedule,
    ...("deferMonths" in input.by ? { deferMonths: input.by.deferMonths } : {}),
    stages: rows.map((r) => r.stage),
    plansInWindow,
  });
  return {
    ok: true,
    basis: {
      rows,
      creditorId: first.creditorId,
      country,
      currency: first.currency,
      rules,
      owed,
      schedule,
      check,
    },
  };
}
