/**
 * Late-payment interest (dröjsmålsränta / forsinkelsesrente). Every krone must be explainable,
 * so the result lists each stretch of days with its rate and principal, and the total is
 * computed exactly and rounded once: rounding per period would make the parts disagree with
 * the whole by an öre depending on where a statement happened to split them.
 */
import { addDays, compareDates, daysBetween, parseIsoDate, type IsoDate } from "./calendar-date";

/** 12.5 % is 1250 basis points. A period lasts until the next one starts. */
export type RatePeriod = { validFrom: IsoDate; basisPoints: number; source?: string };

/** Outstanding principal (minor units) from `from` on, until the next segment. */
export type PrincipalSegment = { from: IsoDate; amount: number };

export type Fraction = { num: bigint; den: bigint };

export type InterestPeriod = {
  /** First day that accrues interest in this period (inclusive). */
  from: IsoDate;
  /** Last day that accrues interest in this period (inclusive). */
  to: IsoDate;
  days: number;
  basisPoints: number;
  principal: number;
  source?: string;
  exact: Fraction;
};

export type AccruedInterest = { total: number; exact: Fraction; periods: InterestPeriod[] };

export type AccruedInterestInput = {
  dueOn: IsoDate;
  asOf: IsoDate;
  principal: readonly PrincipalSegment[] | number;
  rates: readonly RatePeriod[];
  dayCountBasis?: number;
};

export class InterestRateMissingError extends Error {
  constructor(readonly date: IsoDate) {
    super(`no interest rate known for ${date}`);
    this.name = "InterestRateMissingError";
  }
}

/** Half-up rounding of a non-negative fraction to an integer. */
export function roundHalfUp({ num, den }: Fraction): number {
  return Number((2n * num + den) / (2n * den));
}

function assertDate(d: IsoDate, what: string): void {
  if (parseIsoDate(d) === null) throw new RangeError(`${what} is not a valid date: ${d}`);
}

function assertNonNegativeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
  }
}

/** Sorted copies; duplicates are refused because they make "the rate that day" ambiguous. */
function sortedByDate<T>(items: readonly T[], dateOf: (t: T) => IsoDate, what: string): T[] {
  const sorted = [...items].sort((a, b) => compareDates(dateOf(a), dateOf(b)));
  for (let i = 0; i < sorted.length; i++) {
    const current = sorted[i] as T;
    assertDate(dateOf(current), what);
    const previous = sorted[i - 1];
    if (previous !== undefined && dateOf(previous) === dateOf(current)) {
      throw new RangeError(`two ${what}s start on ${dateOf(current)}`);
    }
  }
  return sorted;
}

/** The last item starting on or before d. */
function inEffect<T>(sorted: readonly T[], dateOf: (t: T) => IsoDate, d: IsoDate): T | undefined {
  let found: T | undefined;
  for (const item of sorted) {
    if (compareDates(dateOf(item), d) > 0) break;
    found = item;
  }
  return found;
}

/**
 * Simple interest for every day after `dueOn` up to and including `asOf`:
 * principal that day × basisPoints / 10 000 / dayCountBasis. Days before the first principal
 * segment have no principal. Throws InterestRateMissingError for a day before the first rate.
 */
export function accruedInterest(input: AccruedInterestInput): AccruedInterest {
  const basis = input.dayCountBasis ?? 365;
  assertNonNegativeInteger(basis, "dayCountBasis");
  if (basis === 0) throw new RangeError("dayCountBasis must be positive");
  assertDate(input.dueOn, "dueOn");
  assertDate(input.asOf, "asOf");
  const den = 10_000n * BigInt(basis);

  const first = addDays(input.dueOn, 1);
  if (compareDates(first, input.asOf) > 0)
    return { total: 0, exact: { num: 0n, den }, periods: [] };

  const segments = sortedByDate(
    typeof input.principal === "number"
      ? [{ from: first, amount: input.principal }]
      : input.principal,
    (s) => s.from,
    "principal segment",
  );
  segments.forEach((s) => assertNonNegativeInteger(s.amount, "principal"));
  const rates = sortedByDate(input.rates, (r) => r.validFrom, "rate period");
  rates.forEach((r) => assertNonNegativeInteger(r.basisPoints, "basisPoints"));

  // Every date on which the rate or the principal may change starts a new period.
  const starts = new Set<IsoDate>([first]);
  for (const d of [...rates.map((r) => r.validFrom), ...segments.map((s) => s.from)]) {
    if (compareDates(d, first) > 0 && compareDates(d, input.asOf) <= 0) starts.add(d);
  }
  const ordered = [...starts].sort(compareDates);

  const periods: InterestPeriod[] = [];
  let num = 0n;
  ordered.forEach((from, i) => {
    const next = ordered[i + 1];
    const to = next === undefined ? input.asOf : addDays(next, -1);
    const rate = inEffect(rates, (r) => r.validFrom, from);
    if (!rate) throw new InterestRateMissingError(from);
    const principal = inEffect(segments, (s) => s.from, from)?.amount ?? 0;
    const days = daysBetween(from, to) + 1;
    const periodNum = BigInt(principal) * BigInt(rate.basisPoints) * BigInt(days);
    num += periodNum;
    periods.push({
      from,
      to,
      days,
      basisPoints: rate.basisPoints,
      principal,
      ...(rate.source === undefined ? {} : { source: rate.source }),
      exact: { num: periodNum, den },
    });
  });

  const exact = { num, den };
  return { total: roundHalfUp(exact), exact, periods };
}
