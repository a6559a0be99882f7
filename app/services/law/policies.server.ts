import { recordEvent } from "../events/events.server";
import { Prisma } from "~/generated/prisma/client.ts";
import { todayIn } from "~/domain/calendar-date";
import { canonicalJson } from "~/domain/canonical-json";
import { validatePolicy, type PolicyError } from "~/domain/policy";
import { db } from "~/infra/db.server";
import { loadLawBook } from "./legal-figures.server";

export type PolicySaveResult =
  { ok: true; version: number; unchanged: boolean } | { ok: false; errors: PolicyError[] };

/**
 * Saves a creditor's case flow for one claim type as a new version, after checking it against
 * the law in force today: a fee above its cap or a deadline shorter than the legal minimum is
 * refused, with every problem named. Claims keep the version they started under.
 */
export async function savePolicy(input: {
  creditorSlug: string;
  claimTypeSlug: string;
  policy: unknown;
  actor: string;
  now: Date;
}): Promise<PolicySaveResult> {
  const claimType = await db().claimType.findFirst({
    where: { slug: input.claimTypeSlug, creditor: { slug: input.creditorSlug } },
    include: { creditor: true, policies: { orderBy: { version: "desc" }, take: 1 } },
  });
  if (!claimType) {
    return {
      ok: false,
      errors: [
        {
          path: "claimType",
          code: "unknown_claim_type",
          params: { claimType: input.claimTypeSlug },
          message: `${input.creditorSlug} has no claim type "${input.claimTypeSlug}"`,
        },
      ],
    };
  }
  const country = claimType.creditor.country;
  const today = todayIn(claimType.creditor.timeZone, input.now);
  const law = await loadLawBook();
  const checked = validatePolicy(input.policy, country, law.figures(country, today));
  if (!checked.ok) return checked;

  const p = checked.policy;
  const latest = claimType.policies[0];
  const data = {
    chargesInterest: p.chargesInterest,
    enforcementMinimum: p.enforcementMinimum,
    allocationOrder: [...p.allocationOrder],
    steps: p.steps as unknown as Prisma.InputJsonValue,
    resumeDeadlineDays: p.resumeDeadlineDays,
    planRules: (p.planRules ?? null) as Prisma.InputJsonValue | null,
    writeOff: (p.writeOff ?? null) as Prisma.InputJsonValue | null,
  };
  if (latest && canonicalJson(comparable(latest)) === canonicalJson(data)) {
    return { ok: true, version: latest.version, unchanged: true };
  }
  const version = (latest?.version ?? 0) + 1;
  await db().$transaction(async (tx) => {
    await tx.policy.create({
      data: {
        creditorId: claimType.creditorId,
        claimTypeId: claimType.id,
        version,
        ...data,
        planRules: data.planRules ?? Prisma.DbNull,
        writeOff: data.writeOff ?? Prisma.DbNull,
      },
    });
    await recordEvent(tx, {
      creditorId: claimType.creditorId,
      type: "policy.saved",
      actor: input.actor,
      on: today,
      data: { claimType: claimType.slug, version },
    });
  });
  return { ok: true, version, unchanged: false };
}

function comparable(p: {
  chargesInterest: boolean;
  enforcementMinimum: number;
  allocationOrder: string[];
  steps: unknown;
  resumeDeadlineDays: number;
  planRules: unknown;
  writeOff: unknown;
}) {
  return {
    chargesInterest: p.chargesInterest,
    enforcementMinimum: p.enforcementMinimum,
    allocationOrder: p.allocationOrder,
    steps: p.steps,
    resumeDeadlineDays: p.resumeDeadlineDays,
    planRules: p.planRules ?? null,
    writeOff: p.writeOff ?? null,
  };
}
