import type { ChargeKind } from "~/domain/balance";
import { dateOrEmpty, decimal } from "./csv";
import {
  FilingDataError,
  type EnforcementFormat,
  type EnforcementJurisdiction,
  type EnforcementRoute,
} from "./types";

/*
 * Norway: for water and sewage, waste, property tax and chimney sweeping the municipality is its
 * own enforcement officer (særnamsmann) and may order wage deductions itself; every other claim
 * needs the ordinary enforcement officer (namsmannen) and an enforcement basis. The two never
 * share a file: they go to different desks, and each batch gets its own receipt. From 2026 the
 * collection act expects requests system-to-system (Skatteetaten's "utleggsbegjæring" API, in
 * beta); that could not be checked here, so these are our own CSV files with what a request
 * states: the creditor, the debtor, the claim and its legal ground, amounts with interest and
 * each fee, and when the payment demand (betalingsoppfordring) went out and ran out.
 */

const FEE_NAMES: Partial<Record<ChargeKind, string>> = {
  REMINDER_FEE: "purregebyr",
  COLLECTION_FEE: "inkassovarsel",
  PAYMENT_DEMAND_FEE: "betalingsoppfordring",
  PLAN_FEE: "gebyr for nedbetalingsplan",
  ENFORCEMENT_FEE: "tvangsinnfordringsgebyr",
};

const COLUMNS = [
  "creditor_name",
  "creditor_org_number",
  "claim_id",
  "kid",
  "debtor_name",
  "debtor_national_identity_number",
  "debtor_address",
  "claim_type",
  "description",
  "invoice_date",
  "due_date",
  "currency",
  "principal",
  "interest",
  "interest_from",
  "interest_basis",
  "fees",
  "fees_specified",
  "fees_basis",
  "total",
  "amounts_as_of",
  "payment_demand_sent_on",
  "payment_demand_deadline",
  "approved_on",
] as const;

function norwegianFormat(id: string, route: EnforcementRoute): EnforcementFormat {
  return {
    id,
    route,
    contentType: "text/csv; charset=utf-8",
    extension: "csv",
    columns: COLUMNS,
    row(c) {
      if (!c.creditor.orgNumber)
        throw new FilingDataError(null, "the creditor's organisation number");
      if (!c.debtor.nationalId)
        throw new FilingDataError(c.externalId, "the debtor's identity number");
      const a = c.debtor.address;
      const fees = c.fees.reduce((s, f) => s + f.amount, 0);
      return [
        c.creditor.name,
        c.creditor.orgNumber,
        c.externalId,
        c.paymentReference,
        c.debtor.name,
        c.debtor.nationalId,
        a
          ? [...a.lines, `${a.postalCode} ${a.city}`, a.country === "NO" ? "" : a.country]
              .filter(Boolean)
              .join(", ")
          : "",
        c.claimTypeName,
        c.description,
        c.issuedOn,
        c.dueOn,
        c.currency,
        decimal(c.outstanding.principal),
        decimal(c.outstanding.interest),
        dateOrEmpty(c.interestFrom),
        c.interestFrom ? "forsinkelsesrenteloven § 3" : "",
        decimal(fees),
        c.fees
          .map(
            (f) =>
              `${FEE_NAMES[f.kind] ?? f.kind.toLowerCase()} ${decimal(f.amount)} (${f.chargedOn})`,
          )
          .join("; "),
        fees > 0 ? "inkassoloven §§ 9, 10 og 17; inkassoforskriften § 1-2" : "",
        decimal(c.outstanding.total),
        c.asOf,
        dateOrEmpty(c.paymentDemandSentOn),
        dateOrEmpty(c.paymentDemandDeadline),
        c.approvedOn,
      ];
    },
  };
}

/** Claims the municipality enforces itself, as særnamsmann. */
export const NO_SAERNAMSMANN_V1 = norwegianFormat(
  "kravportal-enforcement-no-saernamsmann-v1",
  "saernamsmann",
);
/** Claims for the ordinary enforcement officer. */
export const NO_NAMSMANN_V1 = norwegianFormat("kravportal-enforcement-no-namsmann-v1", "namsmann");

export const NORWAY: EnforcementJurisdiction = {
  country: "NO",
  routes: ["saernamsmann", "namsmann"],
  routeOf: (claimType) => (claimType.ownEnforcement ? "saernamsmann" : "namsmann"),
  format: (route) => {
    if (route === "saernamsmann") return NO_SAERNAMSMANN_V1;
    if (route === "namsmann") return NO_NAMSMANN_V1;
    throw new RangeError(`Norway has no enforcement route ${route}`);
  },
};
