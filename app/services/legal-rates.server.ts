import type { Country, LegalRateKind } from "~/generated/prisma/client.ts";
import type { RatePeriod } from "~/domain/interest";
import { db } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";

/** Dated legal figures of one kind for a jurisdiction, oldest first. */
export async function ratePeriods(
  jurisdiction: Country,
  kind: LegalRateKind,
): Promise<RatePeriod[]> {
  const rows = await db().legalRate.findMany({
    where: { jurisdiction, kind },
    orderBy: { validFrom: "asc" },
  });
  return rows.map((r) => ({
    validFrom: isoOf(r.validFrom),
    basisPoints: r.value,
    source: r.source,
  }));
}

export async function lateInterestRates(): Promise<Record<Country, RatePeriod[]>> {
  const [SE, NO] = await Promise.all([
    ratePeriods("SE", "LATE_INTEREST_RATE"),
    ratePeriods("NO", "LATE_INTEREST_RATE"),
  ]);
  return { SE, NO };
}
