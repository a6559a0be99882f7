import type { ChargeKind } from "./balance";
import type { Country } from "./calendar-date";

/**
 * The rule that allows a fee, as a key explained in plain words in every language
 * (locales/<lang>/legal.json). Norway's collection-warning fee is a COLLECTION_FEE kind with its
 * own rule, because the two countries name the step differently.
 */
const BASIS: Record<Country, Partial<Record<ChargeKind, string>>> = {
  SE: {
    PRINCIPAL: "principal.invoice",
    REMINDER_FEE: "se.reminder_fee",
    COLLECTION_FEE: "se.collection_fee",
    PLAN_FEE: "se.plan_fee",
    INTEREST: "se.late_interest",
  },
  NO: {
    PRINCIPAL: "principal.invoice",
    REMINDER_FEE: "no.reminder_fee",
    COLLECTION_FEE: "no.collection_warning_fee",
    PAYMENT_DEMAND_FEE: "no.payment_demand_fee",
    INTEREST: "no.late_interest",
  },
};

export function legalBasisFor(country: Country, kind: ChargeKind): string | null {
  return BASIS[country][kind] ?? null;
}

export const LEGAL_BASIS_KEYS: readonly string[] = [
  ...new Set(Object.values(BASIS).flatMap((m) => Object.values(m))),
];
