import { inject } from "vitest";
import { db } from "../../app/infra/db.server.ts";
import type { WriteOffRule } from "../../app/domain/write-off.ts";
import type { ApiCaller } from "../../app/services/identity/api-keys.server.ts";
import { loadDemoData, loadLegalRates } from "../../prisma/seed.ts";
import { DEMO_PLAN_RULES, NO_STEPS, SE_STEPS } from "../../prisma/demo-data.ts";
import { savePolicy } from "../../app/services/law/policies.server.ts";

/**
 * Legal figures and the demo creditors, residents and claims; idempotent, so every file may call
 * it. The demo claims are dated from one day for the whole run (global-setup.ts's `demoAsOf`, the
 * run's start): they are written once, by whichever file comes first, and a file that asked for
 * its own day would get that day's data only when it happened to come first, so which tests passed
 * depended on the order the files ran in.
 */
export async function seedDemo(): Promise<void> {
  await loadLegalRates();
  await loadDemoData(new Date(inject("demoAsOf")));
}

export async function callerFor(slug: "elvdal" | "vastkust"): Promise<ApiCaller> {
  const c = await db().creditor.findUniqueOrThrow({ where: { slug } });
  return {
    creditorId: c.id,
    keyId: "test",
    country: c.country,
    currency: c.currency,
    timeZone: c.timeZone,
  };
}

let counter = 0;
/** An intake body for Elvdal that no other test uses. */
export function elvdalClaim(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    externalId: `T-${process.pid}-${Date.now().toString(36)}-${counter}`,
    claimType: "water",
    resident: { nationalId: "14876810183", name: "Per Olsen" },
    description: "Vann og avløp",
    currency: "NOK",
    principal: 250_000,
    issuedOn: "2026-08-01",
    dueOn: "2026-09-01",
    ...overrides,
  };
}

export async function rowCounts() {
  const [claims, residents, charges, events] = await Promise.all([
    db().claim.count(),
    db().resident.count(),
    db().charge.count(),
    db().event.count(),
  ]);
  return { claims, residents, charges, events };
}

let prefixCounter = 0;

/** A fresh Norwegian creditor with the demo case flow, for tests that need claims of their own. */
export async function createTestCreditor(slug: string, country: "NO" | "SE" = "NO") {
  prefixCounter += 1;
  const prefix = String(900 + ((process.pid + prefixCounter * 7) % 99)) + String(prefixCounter);
  const creditor = await db().creditor.create({
    data: {
      slug,
      name: `Test ${slug}`,
      country,
      currency: country === "NO" ? "NOK" : "SEK",
      timeZone: country === "NO" ? "Europe/Oslo" : "Europe/Stockholm",
      bankAccount: country === "NO" ? "1503.00.00000" : "5050-1055",
      referenceScheme: country === "NO" ? "KID_MOD10" : "OCR_LENGTH",
      referencePrefix: `${prefix}${Date.now().toString().slice(-4)}`,
    },
  });
  await db().claimType.create({ data: { creditorId: creditor.id, slug: "water", name: "Vann" } });
  const saved = await savePolicy({
    creditorSlug: slug,
    claimTypeSlug: "water",
    policy: {
      steps: country === "NO" ? NO_STEPS : SE_STEPS,
      enforcementMinimum: 20_000,
      chargesInterest: true,
      allocationOrder: ["costs", "interest", "principal"],
      resumeDeadlineDays: 14,
      planRules: DEMO_PLAN_RULES[country],
    },
    actor: "test",
    now: new Date("2026-01-01T12:00:00Z"),
  });
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  const caller: ApiCaller = {
    creditorId: creditor.id,
    keyId: "test",
    country,
    currency: country === "NO" ? "NOK" : "SEK",
    timeZone: country === "NO" ? "Europe/Oslo" : "Europe/Stockholm",
  };
  return { creditor, caller };
}

/**
 * A fresh Norwegian creditor (`createTestCreditor`) whose demo policy (reminder 35 kr after 14
 * days) carries a write-off rule, or none: the policy's next version, as a case-flow change saves it.
 */
export async function createWriteOffCreditor(slug: string, writeOff: WriteOffRule | null) {
  const { caller, creditor } = await createTestCreditor(slug, "NO");
  const current = await db().policy.findFirstOrThrow({
    where: { creditorId: creditor.id },
    orderBy: { version: "desc" },
  });
  const saved = await savePolicy({
    creditorSlug: slug,
    claimTypeSlug: "water",
    policy: {
      steps: current.steps,
      enforcementMinimum: current.enforcementMinimum,
      chargesInterest: current.chargesInterest,
      allocationOrder: current.allocationOrder,
      resumeDeadlineDays: current.resumeDeadlineDays,
      planRules: current.planRules,
      writeOff,
    },
    actor: "test",
    now: new Date("2026-10-01T10:00:00Z"),
  });
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  return { caller, creditor };
}
