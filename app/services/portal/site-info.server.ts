import type { IsoDate } from "~/domain/calendar-date";
import { isUsableAddress, type PostalAddress } from "~/domain/postal-address";
import { retentionYears } from "~/domain/retention";
import { db } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";

/**
 * How a resident reaches a creditor's office, for the public contact page: what the Creditor row
 * has (the same details every letter prints), in the reader's language. A detail the operator
 * left empty is null, and the page leaves it out.
 */
export type CreditorContact = {
  slug: string;
  name: string;
  country: "SE" | "NO";
  orgNumber: string | null;
  phone: string | null;
  email: string | null;
  postalAddress: PostalAddress | null;
  web: string | null;
  /** In the reader's language, else English, else whichever the creditor gave. */
  openingHours: string | null;
  /** The account (NO) or bankgiro (SE) residents pay to at home. */
  bankAccount: string;
  /** For paying from abroad. */
  iban: string | null;
  bic: string | null;
};

const filled = (value: string | null | undefined) => {
  const v = value?.trim();
  return v ? v : null;
};

/** The creditor's opening hours in `language`, else in English, else in any it gave. */
export function openingHoursIn(hours: unknown, language: string): string | null {
  if (!hours || typeof hours !== "object") return null;
  const texts = hours as Record<string, unknown>;
  const pick = [texts[language], texts.en, ...Object.values(texts)];
  return pick.map((v) => (typeof v === "string" ? filled(v) : null)).find((v) => v) ?? null;
}

function postalAddressOf(value: unknown, country: string): PostalAddress | null {
  if (!value || typeof value !== "object") return null;
  const a = value as Partial<PostalAddress>;
  const address = {
    lines: Array.isArray(a.lines) ? a.lines.filter((l) => typeof l === "string" && l.trim()) : [],
    postalCode: typeof a.postalCode === "string" ? a.postalCode : "",
    city: typeof a.city === "string" ? a.city : "",
    country: typeof a.country === "string" && a.country ? a.country : country,
  };
  return isUsableAddress(address) ? address : null;
}

/** Every creditor, by name, with how to reach its office in the reader's `language`. */
export async function creditorContacts(language: string): Promise<CreditorContact[]> {
  // A merged creditor's office is the one it merged into (decision 0107).
  const creditors = await db().creditor.findMany({
    where: { mergedAt: null },
    orderBy: { name: "asc" },
  });
  return creditors.map((c) => ({
    slug: c.slug,
    name: c.name,
    country: c.country,
    orgNumber: filled(c.orgNumber),
    phone: filled(c.phone),
    email: filled(c.email),
    postalAddress: postalAddressOf(c.postalAddress, c.country),
    web: filled(c.web),
    openingHours: openingHoursIn(c.openingHours, language),
    bankAccount: c.bankAccount,
    iban: filled(c.iban),
    bic: filled(c.bic),
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
