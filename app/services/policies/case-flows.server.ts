import { Prisma } from "~/generated/prisma/client.ts";
import { todayIn, type Country } from "~/domain/calendar-date";
import { canonicalJson } from "~/domain/canonical-json";
import type { PolicyError } from "~/domain/policy";
import { contentOf, type DraftContent } from "~/domain/policy-form";
import type { SimulationSummary } from "~/domain/policy-simulation";
import { db } from "~/infra/db.server";
import { recordEvent } from "../events/events.server";
import { loadLawBook } from "../law/legal-figures.server";
import { checkDraft, draftHash } from "./policy-simulation.server";

/*
 * The Case flows page (decision 0105): each claim type's policy versions and its draft, scoped to
 * the staff member's creditors. A draft is stored only once it keeps the law (as `policy set`
 * checks it); the engine never reads it. Adopting it requires a stored simulation of exactly that
 * content against the current version, and makes it the next Policy version for new claims.
 */

/** The staff member asking (as the back office's StaffContext): scope and role. */
export type StaffContext = { staffId: string; role: string; creditorIds: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every claim type of the staff member's creditors, with its current version. */
export async function listCaseFlows(staff: StaffContext) {
  const types = await db().claimType.findMany({
    where: { creditorId: { in: staff.creditorIds } },
    include: {
      creditor: { select: { name: true } },
      policies: { orderBy: { version: "desc" }, take: 1, select: { version: true } },
      policyDrafts: { select: { id: true } },
    },
    orderBy: [{ creditor: { name: "asc" } }, { name: "asc" }],
  });
  return types.map((t) => ({
    id: t.id,
    name: t.name,
    names: t.names as Record<string, string>,
    creditor: t.creditor.name,
    version: t.policies[0]?.version ?? null,
    hasDraft: t.policyDrafts.length > 0,
  }));
}

async function visibleClaimType(staff: StaffContext, claimTypeId: string) {
  if (!UUID.test(claimTypeId)) return null;
  const t = await db().claimType.findUnique({
    where: { id: claimTypeId },
    include: { creditor: true },
  });
  return t && staff.creditorIds.includes(t.creditorId) ? t : null;
}

const staffNames = async (ids: (string | null)[]) => {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  const rows = await db().staff.findMany({
    where: { id: { in: wanted } },
    select: { id: true, name: true },
  });
  return new Map(rows.map((r) => [r.id, r.name]));
};

/** One claim type's case flow as the page shows it; null if the staff member may not see it. */
export async function caseFlow(staff: StaffContext, claimTypeId: string, now: Date) {
  const t = await visibleClaimType(staff, claimTypeId);
  if (!t) return null;
  const [policies, draft, simulations] = await Promise.all([
    db().policy.findMany({ where: { claimTypeId: t.id }, orderBy: { version: "desc" } }),
    db().policyDraft.findUnique({ where: { claimTypeId: t.id } }),
    db().policySimulation.findMany({
      where: { claimTypeId: t.id },
      orderBy: { createdAt: "desc" },
      take: 5,
    }),
  ]);
  const names = await staffNames([
    ...policies.map((p) => p.adoptedByStaffId),
    draft?.updatedByStaffId ?? null,
    ...simulations.map((s) => s.staffId),
  ]);
  const country = t.creditor.country as Country;
  const today = todayIn(t.creditor.timeZone, now);
  const law = await loadLawBook();
  const draftContent = draft ? (draft.content as unknown as DraftContent) : null;
  const hash = draftContent ? draftHash(draftContent) : null;
  const current = policies[0];
  return {
    claimType: { id: t.id, slug: t.slug, name: t.name, names: t.names as Record<string, string> },
    creditor: {
      name: t.creditor.name,
      country,
      timeZone: t.creditor.timeZone,
      currency: t.creditor.currency,
    },
    figures: law.figures(country, today),
    versions: policies.map((p) => ({
      version: p.version,
      createdAt: p.createdAt.toISOString(),
      content: contentOf(p),
      adoptedBy: p.adoptedByStaffId ? (names.get(p.adoptedByStaffId) ?? null) : null,
      adoptedSimulationId: p.adoptedSimulationId,
    })),
    draft:
      draft && draftContent
        ? {
            content: draftContent,
            baseVersion: draft.baseVersion,
            updatedAt: draft.updatedAt.toISOString(),
            updatedBy: names.get(draft.updatedByStaffId) ?? null,
          }
        : null,
    simulations: simulations.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      by: s.staffId ? (names.get(s.staffId) ?? null) : null,
      days: s.days,
      currentVersion: s.currentVersion,
      summary: s.summary as unknown as SimulationSummary,
      // Only a run of exactly the draft as it stands, against the version in force, can adopt it.
      adoptable: hash !== null && s.draftHash === hash && s.currentVersion === current?.version,
    })),
  };
}

export type CaseFlow = NonNullable<Awaited<ReturnType<typeof caseFlow>>>;

export type DraftResult =
  { ok: true } | { ok: false; errors: PolicyError[] } | { ok: false; notFound: true };

/** Stores a lawful draft (replacing the claim type's draft), with an event; else every reason. */
export async function saveDraft(
  staff: StaffContext,
  claimTypeId: string,
  raw: unknown,
  now: Date,
): Promise<DraftResult> {
  const t = await visibleClaimType(staff, claimTypeId);
  if (!t) return { ok: false, notFound: true };
  const today = todayIn(t.creditor.timeZone, now);
  const checked = checkDraft(raw, t.creditor.country as Country, await loadLawBook(), today);
  if (!checked.ok) return checked;
  const latest = await db().policy.findFirst({
    where: { claimTypeId: t.id },
    orderBy: { version: "desc" },
  });
  const content = checked.content as unknown as Prisma.InputJsonValue;
  await db().$transaction(async (tx) => {
    await tx.policyDraft.upsert({
      where: { claimTypeId: t.id },
      create: {
        claimTypeId: t.id,
        content,
        baseVersion: latest?.version ?? 0,
        updatedByStaffId: staff.staffId,
        updatedAt: now,
      },
      update: { content, updatedByStaffId: staff.staffId, updatedAt: now },
    });
    await recordEvent(tx, {
      creditorId: t.creditorId,
      type: "policy.draft_saved",
      actor: `staff:${staff.staffId}`,
      on: today,
      data: { claimType: t.slug, baseVersion: latest?.version ?? 0 },
    });
  });
  return { ok: true };
}

export type AdoptError = "no_draft" | "simulation_needed" | "unchanged" | "unlawful";
export type AdoptResult =
  | { ok: true; version: number }
  | { ok: false; error: AdoptError; errors?: PolicyError[] }
  | { ok: false; notFound: true };

/**
 * Makes the draft the claim type's next policy version, recording who adopted it after seeing
 * which simulation. Claims keep the version they started under: only new claims get this one.
 */
export async function adoptDraft(
  staff: StaffContext,
  claimTypeId: string,
  simulationId: string,
  now: Date,
): Promise<AdoptResult> {
  const t = await visibleClaimType(staff, claimTypeId);
  if (!t) return { ok: false, notFound: true };
  const today = todayIn(t.creditor.timeZone, now);
  return db().$transaction(async (tx) => {
    // One adoption at a time per claim type: the draft row is the lock.
    const [draft] = await tx.$queryRaw<{ id: string; content: unknown }[]>`
      SELECT id::text, content FROM "PolicyDraft" WHERE "claimTypeId" = ${t.id}::uuid FOR UPDATE`;
    if (!draft) return { ok: false, error: "no_draft" } as const;
    const checked = checkDraft(draft.content, t.creditor.country as Country, await loadLawBook(), today); // prettier-ignore
    if (!checked.ok) return { ok: false, error: "unlawful", errors: checked.errors } as const;
    const latest = await tx.policy.findFirst({
      where: { claimTypeId: t.id },
      orderBy: { version: "desc" },
    });
    const simulation = UUID.test(simulationId)
      ? await tx.policySimulation.findUnique({ where: { id: simulationId } })
      : null;
    if (
      !simulation ||
      simulation.claimTypeId !== t.id ||
      simulation.draftHash !== draftHash(checked.content) ||
      simulation.currentVersion !== (latest?.version ?? 0) ||
      (await tx.policy.findUnique({ where: { adoptedSimulationId: simulation.id } }))
    )
      return { ok: false, error: "simulation_needed" } as const;
    const p = checked.content;
    if (latest && canonicalJson(contentOf(latest)) === canonicalJson(p))
      return { ok: false, error: "unchanged" } as const;
    const version = (latest?.version ?? 0) + 1;
    await tx.policy.create({
      data: {
        creditorId: t.creditorId,
        claimTypeId: t.id,
        version,
        chargesInterest: p.chargesInterest,
        enforcementMinimum: p.enforcementMinimum,
        allocationOrder: [...p.allocationOrder],
        steps: p.steps as unknown as Prisma.InputJsonValue,
        resumeDeadlineDays: p.resumeDeadlineDays,
        postalDays: p.postalDays,
        planRules: (p.planRules as unknown as Prisma.InputJsonValue) ?? Prisma.DbNull,
        writeOff: (p.writeOff as unknown as Prisma.InputJsonValue) ?? Prisma.DbNull,
        adoptedByStaffId: staff.staffId,
        adoptedSimulationId: simulation.id,
      },
    });
    await tx.policyDraft.delete({ where: { claimTypeId: t.id } });
    await recordEvent(tx, {
      creditorId: t.creditorId,
      type: "policy.adopted",
      actor: `staff:${staff.staffId}`,
      on: today,
      data: { claimType: t.slug, version, simulationId: simulation.id },
    });
    return { ok: true, version } as const;
  });
}
