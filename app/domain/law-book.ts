import type { Country, IsoDate } from "./calendar-date";
import type { RatePeriod } from "./interest";
import type { LegalFigures } from "./policy";

/** The law in force, as the services read it from the dated `LegalRate` rows. */
export type LawBook = {
  /** Caps and minimum deadlines in force in a country on a date. */
  figures(country: Country, date: IsoDate): LegalFigures;
  /** Late-payment interest rate periods of a country. */
  interest: Record<Country, RatePeriod[]>;
};
