/*
 * The amount bands of a claim's principal, one vocabulary for the figures page (decision 0104:
 * counts and alerts per band, also in its materialized view's SQL) and the case-flow simulation
 * (decision 0105: claims reaching the enforcement queue per band): under 200, 200 up to 500,
 * 500 up to 1,000, 1,000 up to 5,000, and 5,000 or more, in the currency's main unit.
 */

/** Upper bounds of the amount bands in the currency's main unit; the last band has none. */
export const BAND_LIMITS = [200, 500, 1_000, 5_000] as const;
export const BANDS = ["b0", "b1", "b2", "b3", "b4"] as const;
export type Band = (typeof BANDS)[number];

/** Every currency the portal writes (NOK, SEK, EUR) has 100 minor units to the main unit. */
const MINOR_PER_MAIN = 100;

/** The band of a principal in minor units (each band includes its lower bound). */
export function bandOf(principalMinor: number): Band {
  const i = BAND_LIMITS.findIndex((limit) => principalMinor < limit * MINOR_PER_MAIN);
  return BANDS[i < 0 ? BANDS.length - 1 : i]!;
}
