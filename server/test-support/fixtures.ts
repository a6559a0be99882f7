import { db } from "../../app/infra/db.server.ts";
import type { ApiCaller } from "../../app/services/api-keys.server.ts";
import { loadDemoData, loadLegalRates } from "../../prisma/seed.ts";

/** Legal figures and the demo creditors, residents and claims; idempotent, so every file may call it. */
export async function seedDemo(now = new Date()): Promise<void> {
  await loadLegalRates();
  await loadDemoData(now);
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
