import { z } from "zod/v4";
import { BANDS, type Band } from "./amount-bands";

/*
 * The figures page's words (docs/decisions/0104): the figures a creditor can set an alert on, by
 * amount band of a claim's principal (amount-bands.ts), and the check of a month against the
 * same month a year before. Pure: the SQL lives in app/services/backoffice/figures.server.ts.
 */

/** Figures counted by amount band: an alert can watch one of them. */
export const BANDED_FIGURES = ["received", "queued", "filed", "writtenOff"] as const;
export type BandedFigure = (typeof BANDED_FIGURES)[number];

/** An alert's amount range: every band, or every band up to and including one ("under 500"). */
export const ALERT_RANGES = ["all", "upTo:b0", "upTo:b1", "upTo:b2", "upTo:b3", "only:b4"] as const;
export type AlertRange = (typeof ALERT_RANGES)[number];

export const FigureAlertRule = z.object({
  figure: z.enum(BANDED_FIGURES),
  range: z.enum(ALERT_RANGES),
  // More than this much up on the same month last year raises the alert.
  risePercent: z.coerce.number().int().min(1).max(10_000),
});
export type FigureAlertRule = z.infer<typeof FigureAlertRule>;

export const MAX_ALERT_RULES = 10;
export const FigureAlertRules = z.array(FigureAlertRule).max(MAX_ALERT_RULES);

/** The rules stored on a creditor; anything that no longer fits the schema is left out. */
export function storedRules(json: unknown): FigureAlertRule[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((r) => {
    const parsed = FigureAlertRule.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The bands a range covers. */
export function bandsOf(range: AlertRange): Band[] {
  if (range === "all") return [...BANDS];
  if (range === "only:b4") return ["b4"];
  const last = BANDS.indexOf(range.slice(5) as Band);
  return BANDS.slice(0, last + 1);
}

/** Counts of one banded figure: month (YYYY-MM) → band → count. */
export type BandedCounts = Record<string, Partial<Record<Band, number>>>;

export type FigureAlert = {
  rule: FigureAlertRule;
  month: string;
  lastYearMonth: string;
  count: number;
  lastYear: number;
  /** The rise in whole percent; null when last year's month had none (any rise is beyond). */
  risePercent: number | null;
};

/** YYYY-MM a number of months before another. */
export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/**
 * The alerts a month raises: for each rule, the figure's count in the rule's bands that month
 * against the same month a year before. Beyond the threshold: more than `risePercent` up; when
 * last year had none, any count at all is beyond it.
 */
export function alertsFor(
  rules: FigureAlertRule[],
  figures: Record<BandedFigure, BandedCounts>,
  month: string,
): FigureAlert[] {
  const lastYearMonth = monthsBefore(month, 12);
  const sum = (counts: BandedCounts, m: string, bands: Band[]) =>
    bands.reduce((n, b) => n + (counts[m]?.[b] ?? 0), 0);
  return rules.flatMap((rule): FigureAlert[] => {
    const bands = bandsOf(rule.range);
    const count = sum(figures[rule.figure], month, bands);
    const lastYear = sum(figures[rule.figure], lastYearMonth, bands);
    if (lastYear === 0) {
      return count > 0 ? [{ rule, month, lastYearMonth, count, lastYear, risePercent: null }] : [];
    }
    const rise = Math.round(((count - lastYear) / lastYear) * 100);
    return rise > rule.risePercent
      ? [{ rule, month, lastYearMonth, count, lastYear, risePercent: rise }]
      : [];
  });
}

export const PAID_STAGES = [
  "invoiced",
  "reminder",
  "collectionNotice",
  "paymentDemand",
  "enforcementQueue",
  "filed",
] as const;

/** Each table's columns; every value is a count unless the column says otherwise. */
export const FIGURE_TABLES = {
  received: ["claims", "principal", ...BANDS],
  letters: ["reminders", "collectionNotices", "paymentDemands"],
  queued: [...BANDS, "total"],
  filed: [...BANDS, "total"],
  fees: ["fees", "principal", "share"],
  paid: [...PAID_STAGES, "total", "medianDays"],
  plans: ["granted", "kept", "broken"],
  objections: ["objected", "upheld", "rejected"],
  writtenOff: [...BANDS, "total"],
} as const;
export type FigureTableId = keyof typeof FIGURE_TABLES;
export const FIGURE_TABLE_IDS = Object.keys(FIGURE_TABLES) as FigureTableId[];

/** Columns holding money (minor units) or a share (basis points) or days, not counts. */
export const MONEY_COLUMNS = new Set(["principal", "fees"]);
export const SHARE_COLUMNS = new Set(["share"]);

export type FigureTable = {
  id: FigureTableId;
  columns: readonly string[];
  /** Month (YYYY-MM), oldest first; a value is null where there is nothing to say (a median). */
  rows: { month: string; values: (number | null)[] }[];
};
