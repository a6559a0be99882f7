import type { IsoDate } from "~/domain/calendar-date";
import { retentionYears } from "~/domain/retention";
import { db } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";

/**
 * How a resident reaches a creditor. The phone, email, postal address, web site and opening
 * hours are not stored yet (they arrive on Creditor with the letters); until then they are null
 * and the contact page says the bill has them. Fill them in here when the columns exist.
 */
export type CreditorContact = {
  slug: string;
  name: string;
  country: "SE" | "NO";
  bankAccount: string;
  phone: string | null;
  email: string | null;
  postalAddress: string | null;
  web: string | null;
  openingHours: string | null;
};

export async function creditorContacts(): Promise<CreditorContact[]> {
  const creditors = await db().creditor.findMany({ orderBy: { name: "asc" } });
  return creditors.map((c) => ({
    slug: c.slug,
    name: c.name,
    country: c.country,
    bankAccount: c.bankAccount,
    phone: null,
    email: null,
    postalAddress: null,
    web: null,
    openingHours: null,
  }));
}

/** Each creditor's retention period in force on `asOf` (its own, or its country's minimum). */
export async function retentionPeriods(asOf: IsoDate): Promise<{ name: string; years: number }[]> {
  const [creditors, minimums] = await Promise.all([
    db().creditor.findMany({ orderBy: { name: "asc" } }),
    db().legalRate.findMany({
      where: { kind: "MIN_ACCOUNTING_RETENTION_YEARS", validFrom: { lte: dbDate(asOf) } },
      orderBy: { validFrom: "desc" },
    }),
  ]);
  return creditors.flatMap((c) => {
    const minimum = minimums.find((m) => m.jurisdiction === c.country)?.value;
    return minimum === undefined
      ? []
      : [{ name: c.name, years: Math.max(retentionYears(c.retentionYears, minimum), minimum) }];
  });
}
