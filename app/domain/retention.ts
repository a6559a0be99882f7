import { makeDate, type IsoDate } from "./calendar-date";

/**
 * Personal data on a closed claim is kept while accounting law keeps the records it belongs to:
 * both Sweden (Bokföringslagen 7 kap. 2 §) and Norway (bokføringsloven § 13) count the years
 * from the end of the year the records close. So a claim closed on any day of year Y, kept N
 * years, may be anonymised from 1 January of Y + N + 1.
 */
export function personalDataExpiresOn(closedOn: IsoDate, years: number): IsoDate {
  return makeDate(Number(closedOn.slice(0, 4)) + years + 1, 1, 1);
}

/** The years in force for a creditor: its own choice, or the legal minimum when it has none. */
export function retentionYears(chosen: number | null, legalMinimum: number): number {
  return chosen ?? legalMinimum;
}

export type RetentionRefusal =
  { reason: "belowLegalMinimum"; minimum: number } | { reason: "notWhole" };

/** A creditor's retention period may be longer than the law's minimum, never shorter. */
export function checkRetentionYears(years: number, legalMinimum: number): RetentionRefusal | null {
  if (!Number.isInteger(years) || years > 100) return { reason: "notWhole" };
  if (years < legalMinimum) return { reason: "belowLegalMinimum", minimum: legalMinimum };
  return null;
}
