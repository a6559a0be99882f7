import type { ChargeKind } from "~/domain/balance";
import type { IsoDate } from "~/domain/calendar-date";
import type { PostalAddress } from "~/domain/postal-address";

/*
 * An enforcement filing file, per jurisdiction: which authority a claim goes to (its route) and
 * the file's format for that authority. Neither Kronofogden's file service nor the Norwegian
 * enforcement officers' formats could be checked here, so each format is a CSV of our own, named
 * and versioned as such (`kravportal-enforcement-<route>-v1`), carrying every field a filing needs
 * (docs/decisions/0097). A real format for an authority is another EnforcementFormat.
 */

/**
 * Where a filing goes. Sweden: Kronofogden (a payment-order application). Norway: the
 * municipality itself as særnamsmann (water and sewage, waste, property tax, chimney sweeping),
 * or the ordinary enforcement officer (namsmannen) for every other claim.
 */
export const ENFORCEMENT_ROUTES = ["kronofogden", "saernamsmann", "namsmann"] as const;
export type EnforcementRoute = (typeof ENFORCEMENT_ROUTES)[number];

/** What a filing says about one claim: plain data, amounts in minor units. */
export type FilingClaim = {
  creditor: { name: string; orgNumber: string | null };
  externalId: string;
  paymentReference: string;
  /** The claim type in the creditor's own words. */
  claimTypeName: string;
  description: string;
  currency: string;
  issuedOn: IsoDate;
  dueOn: IsoDate;
  debtor: { name: string; nationalId: string; address: PostalAddress | null };
  /** What is owed on `asOf`, by category. */
  outstanding: { principal: number; fees: number; interest: number; total: number };
  /** The fees still owed, each by kind (payments to costs taken from the oldest fee first). */
  fees: { kind: ChargeKind; amount: number; chargedOn: IsoDate }[];
  /** The day interest runs from, or null when the claim bears none. */
  interestFrom: IsoDate | null;
  /** When the claim's letters left: the collection notice (inkassokrav/-varsel) and the payment demand. */
  collectionNoticeSentOn: IsoDate | null;
  paymentDemandSentOn: IsoDate | null;
  paymentDemandDeadline: IsoDate | null;
  /** The day a person approved filing it. */
  approvedOn: IsoDate;
  /** The day the amounts are counted on (the batch's day). */
  asOf: IsoDate;
};

/** A filing can not be written for this claim: a fact it needs is missing (a 4xx, nothing made). */
export class FilingDataError extends Error {
  constructor(
    readonly claimExternalId: string | null,
    readonly missing: string,
  ) {
    super(`a filing needs ${missing}${claimExternalId ? ` (claim ${claimExternalId})` : ""}`);
    this.name = "FilingDataError";
  }
}

/** One file format for one route. */
export interface EnforcementFormat {
  /** Names the format and its version, as the file names it. */
  readonly id: string;
  readonly route: EnforcementRoute;
  readonly contentType: string;
  readonly extension: string;
  /** The header line's column names, in order. */
  readonly columns: readonly string[];
  /** One claim's row, in column order; throws FilingDataError when the claim lacks a fact. */
  row(claim: FilingClaim): (string | number)[];
}

/** A jurisdiction's enforcement filing: its routes, how a claim finds its route, each route's format. */
export interface EnforcementJurisdiction {
  readonly country: "SE" | "NO";
  readonly routes: readonly EnforcementRoute[];
  routeOf(claimType: { ownEnforcement: boolean }): EnforcementRoute;
  format(route: EnforcementRoute): EnforcementFormat;
}

/** The authority a route goes to, as the texts name it (`authority.<key>`, as for a claim). */
export const ROUTE_AUTHORITY: Record<EnforcementRoute, "SE" | "NO" | "NO_OWN"> = {
  kronofogden: "SE",
  namsmann: "NO",
  saernamsmann: "NO_OWN",
};
