import type { ChargeKind } from "~/domain/balance";
import { dateOrEmpty, decimal } from "./csv";
import {
  FilingDataError,
  type EnforcementFormat,
  type EnforcementJurisdiction,
  type FilingClaim,
} from "./types";

/*
 * Sweden: every filing is an application for a payment order (betalningsföreläggande) to
 * Kronofogden. Kronofogden takes volume filers' files over its own file service (text or XML over
 * Skatteverket's e-transport, each file receipted, the filer known by an "intressentkod"); that
 * format could not be checked here, so this is our own CSV with what an application states:
 * the applicant, the debtor, what the claim is for, the principal, the interest with its basis and
 * start, each cost, and when the collection demand went out.
 */

const OWN_COSTS: Partial<Record<ChargeKind, "reminder_fee" | "collection_fee">> = {
  REMINDER_FEE: "reminder_fee",
  COLLECTION_FEE: "collection_fee",
};

const sum = (fees: FilingClaim["fees"], pick: (k: ChargeKind) => boolean) =>
  fees.filter((f) => pick(f.kind)).reduce((s, f) => s + f.amount, 0);

export const SE_PAYMENT_ORDER_V1: EnforcementFormat = {
  id: "kravportal-enforcement-se-v1",
  route: "kronofogden",
  contentType: "text/csv; charset=utf-8",
  extension: "csv",
  columns: [
    "applicant_name",
    "applicant_org_number",
    "claim_id",
    "payment_reference",
    "debtor_name",
    "debtor_personal_identity_number",
    "debtor_address",
    "claim_basis",
    "invoice_date",
    "due_date",
    "currency",
    "principal",
    "interest",
    "interest_from",
    "interest_basis",
    "reminder_fee",
    "collection_fee",
    "other_costs",
    "costs_basis",
    "total",
    "amounts_as_of",
    "collection_demand_sent_on",
    "approved_on",
  ],
  row(c) {
    if (!c.creditor.orgNumber)
      throw new FilingDataError(null, "the creditor's organisation number (the applicant)");
    if (!c.debtor.nationalId)
      throw new FilingDataError(c.externalId, "the debtor's identity number");
    const a = c.debtor.address;
    const costs = c.fees.reduce((s, f) => s + f.amount, 0);
    return [
      c.creditor.name,
      c.creditor.orgNumber,
      c.externalId,
      c.paymentReference,
      c.debtor.name,
      c.debtor.nationalId,
      a
        ? [...a.lines, `${a.postalCode} ${a.city}`, a.country === "SE" ? "" : a.country]
            .filter(Boolean)
            .join(", ")
        : "",
      `${c.claimTypeName}: ${c.description}`,
      c.issuedOn,
      c.dueOn,
      c.currency,
      decimal(c.outstanding.principal),
      decimal(c.outstanding.interest),
      dateOrEmpty(c.interestFrom),
      c.interestFrom ? "räntelagen (1975:635) 6 §" : "",
      decimal(sum(c.fees, (k) => k === "REMINDER_FEE")),
      decimal(sum(c.fees, (k) => k === "COLLECTION_FEE")),
      decimal(sum(c.fees, (k) => !OWN_COSTS[k])),
      costs > 0
        ? "lagen (1981:739) om ersättning för inkassokostnader m.m.; förordningen (1981:1057) 2 §"
        : "",
      decimal(c.outstanding.total),
      c.asOf,
      dateOrEmpty(c.collectionNoticeSentOn),
      c.approvedOn,
    ];
  },
};

export const SWEDEN: EnforcementJurisdiction = {
  country: "SE",
  routes: ["kronofogden"],
  routeOf: () => "kronofogden",
  format: (route) => {
    if (route !== "kronofogden") throw new RangeError(`Sweden has no enforcement route ${route}`);
    return SE_PAYMENT_ORDER_V1;
  },
};
