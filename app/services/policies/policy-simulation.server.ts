import { createHash } from "node:crypto";
import { Prisma } from "~/generated/prisma/client.ts";
import { todayIn, type Country, type IsoDate } from "~/domain/calendar-date";
import { canonicalJson } from "~/domain/canonical-json";
import { validatePolicy, type PolicyError } from "~/domain/policy";
import { contentOf, type DraftContent } from "~/domain/policy-form";
import {
  DEFAULT_ESTIMATE,
  MIN_HISTORY,
  PAY_STAGES,
  simulatePolicies,
  type PaymentEstimate,
  type SimulatedPolicy,
  type SimulationSummary,
} from "~/domain/policy-simulation";
import { db, pgPool } from "~/infra/db.server";
import { loadClaims } from "../claims/load-claims.server";
import { loadLawBook } from "../law/legal-figures.server";

/*
 * Runs a draft case flow and the current one side by side over the creditor's open claims of the
 * claim type (decision 0105) and stores the run: who, when, which draft, which current version,
 * and the comparison. The decisions are the engine's own (app/domain/policy-simulation.ts).
 */

export { DEFAULT_DAYS, MAX_DAYS } from "~/domain/policy-simulation";

/** A draft's fingerprint: adoption requires a simulation of exactly this content. */
export const draftHash = (content: DraftContent): string =>
  createHash("sha256").update(canonicalJson(content)).digest("hex");

/** Checks a draft against the law in force today, as `policy set` does, and postal days. */
export function checkDraft(
  raw: unknown,
  country: Country,
  law: Awaited<ReturnType<typeof loadLawBook>>,
  today: IsoDate,
): { ok: true; content: DraftContent } | { ok: false; errors: PolicyError[] } {
  const checked = validatePolicy(raw, country, law.figures(country, today));
  const postal = (raw as { postalDays?: unknown } | null)?.postalDays ?? 2;
  const postalOk = typeof postal === "number" && Number.isSafeInteger(postal) && postal >= 0 && postal <= 30; // prettier-ignore
  const postalError: PolicyError = {
    path: "postalDays",
    code: "days_in_range",
    params: { minimum: 0, maximum: 30 },
    message: "must be a whole number of days from 0 to 30",
  };
  const errors = [...(checked.ok ? [] : checked.errors), ...(postalOk ? [] : [postalError])];
  if (!checked.ok || !postalOk) return { ok: false, errors };
  return { ok: true, content: { ...checked.policy, postalDays: postal as number } };
}

/** Who paid at which stage, from the creditor's own decided claims; the default if too few. */
export async function paymentEstimate(creditorId: string): Promise<PaymentEstimate> {
  const { rows } = await pgPool().query<{
    stage: (typeof PAY_STAGES)[number];
    paid: number;
    moved: number;
    days: number | null;
  }>(
    `SELECT s.stage,
       (count(*) FILTER (WHERE c.status = 'PAID' AND c.stage::text = s.stage))::int AS paid,
       (count(*) FILTER (WHERE c.stage::text <> s.stage AND (s.stage = 'INVOICED' OR EXISTS (
          SELECT 1 FROM "ClaimStep" st WHERE st."claimId" = c.id AND st.key = s.stage))))::int AS moved,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY c."closedOn" - c."stageEnteredOn")
         FILTER (WHERE c.status = 'PAID' AND c.stage::text = s.stage) AS days
     FROM unnest($2::text[]) AS s(stage) CROSS JOIN "Claim" c
     WHERE c."creditorId" = $1::uuid
     GROUP BY s.stage`,
    [creditorId, [...PAY_STAGES]],
  );
  const invoiced = rows.find((r) => r.stage === "INVOICED");
  const observed = invoiced ? invoiced.paid + invoiced.moved : 0;
  if (observed < MIN_HISTORY) return DEFAULT_ESTIMATE;
  const estimate: PaymentEstimate = {
    source: "history",
    observed,
    paidShare: { ...DEFAULT_ESTIMATE.paidShare },
    paidAfterDays: { ...DEFAULT_ESTIMATE.paidAfterDays },
  };
  for (const r of rows) {
    const decided = r.paid + r.moved;
    if (decided === 0) continue;
    estimate.paidShare[r.stage] = Math.round((r.paid / decided) * 1000) / 1000;
    if (r.days !== null) estimate.paidAfterDays[r.stage] = Math.max(0, Number(r.days));
  }
  return estimate;
}

export type SimulationResult =
  { ok: true; id: string; summary: SimulationSummary } | { ok: false; errors: PolicyError[] };

/** Simulates the draft beside the claim type's current policy and stores the run. */
export async function runSimulation(input: {
  claimTypeId: string;
  draft: unknown;
  days: number;
  staffId: string | null;
  now: Date;
}): Promise<SimulationResult> {
  const claimType = await db().claimType.findUniqueOrThrow({
    where: { id: input.claimTypeId },
    include: { creditor: true, policies: { orderBy: { version: "desc" }, take: 1 } },
  });
  const latest = claimType.policies[0];
  if (!latest) return { ok: false, errors: [{ path: "", code: "no_policy_yet", message: "the claim type has no policy yet" }] }; // prettier-ignore
  const country = claimType.creditor.country as Country;
  const asOf = todayIn(claimType.creditor.timeZone, input.now);
  const law = await loadLawBook();
  const checked = checkDraft(input.draft, country, law, asOf);
  if (!checked.ok) return checked;
  const draft = checked.content;
  const current = contentOf(latest);

  const { rows } = await pgPool().query<{ id: string }>(
    `SELECT id::text FROM "Claim"
     WHERE "creditorId" = $1::uuid AND "claimTypeId" = $2::uuid AND status = 'OPEN' ORDER BY id`,
    [claimType.creditorId, claimType.id],
  );
  const claims = await loadClaims(undefined, { ids: rows.map((r) => r.id) });
  const estimate = await paymentEstimate(claimType.creditorId);
  const summary = simulatePolicies({
    claims,
    current: current as SimulatedPolicy,
    currentVersion: latest.version,
    draft,
    law,
    asOf,
    days: input.days,
    estimate,
  });
  const row = await db().policySimulation.create({
    data: {
      claimTypeId: claimType.id,
      staffId: input.staffId,
      draft: draft as unknown as Prisma.InputJsonValue,
      draftHash: draftHash(draft),
      currentVersion: latest.version,
      asOf: new Date(`${asOf}T00:00:00Z`),
      days: input.days,
      summary: summary as unknown as Prisma.InputJsonValue,
    },
  });
  return { ok: true, id: row.id, summary };
}
