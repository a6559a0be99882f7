import { todayIn } from "~/domain/calendar-date";
import { BANDS, type Band } from "~/domain/amount-bands";
import {
  alertsFor,
  FIGURE_TABLES,
  PAID_STAGES,
  type FigureTable,
  type FigureTableId,
  monthsBefore,
  storedRules,
  type BandedCounts,
  type BandedFigure,
  type FigureAlert,
  type FigureAlertRule,
} from "~/domain/figures";
import { db } from "~/infra/db.server";
import { recordEvent } from "../events/events.server";
import { figureMonths, figuresCountedAt } from "./figures-queries.server";
import type { StaffContext } from "./queues.server";

/*
 * The figures page (docs/decisions/0104): per creditor and claim type (or all), by month in the
 * creditor's time zone, as counted by the materialized view "FigureMonth" (recounted hourly by the
 * worker and on demand: figures-queries.server.ts). Moves of a claim come from the event log:
 * received, reached the enforcement queue, filed, paid, written off (also a WRITTEN_OFF claim
 * without its event); a claim's amount band is that of its principal charge. Letters count on the
 * day they left (Notice.dispatchedOn), fees on the day they were charged (not while their letter
 * waits, not once cancelled), plans and objections from their own rows. Each table is rows of
 * numbers, shared by the page, its charts and the CSV download.
 */

const STAGE_GROUP: Record<string, (typeof PAID_STAGES)[number]> = {
  INVOICED: "invoiced",
  REMINDER: "reminder",
  COLLECTION_NOTICE: "collectionNotice",
  PAYMENT_DEMAND: "paymentDemand",
  READY_FOR_ENFORCEMENT: "enforcementQueue",
  ENFORCEMENT_APPROVED: "enforcementQueue",
  ENFORCEMENT_EXPORTED: "enforcementQueue",
  FILED: "filed",
};

export type FigureCreditor = {
  id: string;
  slug: string;
  name: string;
  currency: string;
  timeZone: string;
  rules: FigureAlertRule[];
  claimTypes: { id: string; name: string; names: Record<string, string> }[];
};

export type Figures = {
  creditor: FigureCreditor;
  claimTypeId: string | null;
  months: string[];
  tables: FigureTable[];
  /** The last whole month, checked against the same month a year before. */
  alertMonth: string;
  alerts: FigureAlert[];
  /** When the figures were last counted (ISO instant); null before the first count. */
  countedAt: string | null;
};

/** The staff member's creditors with their claim types, by name. */
export async function figureCreditors(staff: StaffContext): Promise<FigureCreditor[]> {
  const rows = await db().creditor.findMany({
    where: { id: { in: staff.creditorIds } },
    select: {
      id: true,
      slug: true,
      name: true,
      currency: true,
      timeZone: true,
      figureAlerts: true,
      claimTypes: { select: { id: true, name: true, names: true }, orderBy: { name: "asc" } },
    },
    orderBy: { name: "asc" },
  });
  return rows.map((c) => ({
    id: c.id,
    slug: c.slug,
    name: c.name,
    currency: c.currency,
    timeZone: c.timeZone,
    rules: storedRules(c.figureAlerts),
    claimTypes: c.claimTypes.map((t) => ({
      id: t.id,
      name: t.name,
      names: (t.names ?? {}) as Record<string, string>,
    })),
  }));
}

/** The months from `first` to `last`, both included. */
function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = last; m >= first; m = monthsBefore(m, 1)) out.unshift(m);
  return out;
}

const LETTER_COLUMN: Record<string, string> = {
  REMINDER: "reminders",
  COLLECTION_NOTICE: "collectionNotices",
  PAYMENT_DEMAND: "paymentDemands",
};

/**
 * The figures of one of the staff member's creditors (null when not theirs, or the claim type is
 * not the creditor's) for the last `months` months, the current one included, as last counted.
 */
export async function loadFigures(
  staff: StaffContext,
  input: { creditorId: string; claimTypeId: string | null; months: 12 | 24 },
  now: Date,
): Promise<Figures | null> {
  if (!staff.creditorIds.includes(input.creditorId)) return null;
  const creditor = (await figureCreditors(staff)).find((c) => c.id === input.creditorId);
  if (!creditor) return null;
  if (input.claimTypeId && !creditor.claimTypes.some((t) => t.id === input.claimTypeId))
    return null;
  const current = todayIn(creditor.timeZone, now).slice(0, 7);
  const first = monthsBefore(current, input.months - 1);
  const alertMonth = monthsBefore(current, 1);
  // Far enough back for the alert's month a year before.
  const from = monthsBefore(current, Math.max(input.months - 1, 13));
  const [rows, countedAt] = await Promise.all([
    figureMonths(creditor.id, input.claimTypeId, from),
    figuresCountedAt(),
  ]);

  const banded: Record<BandedFigure, BandedCounts> = {
    received: {},
    queued: {},
    filed: {},
    writtenOff: {},
  };
  const receivedPrincipal: Record<string, number> = {};
  const by: Record<string, Record<string, Record<string, number>>> = {};
  const feeBy: Record<string, { fees: number; principal: number }> = {};
  const medianBy: Record<string, number | null> = {};
  for (const r of rows) {
    if (r.figure in banded) {
      const month = (banded[r.figure as BandedFigure][r.month] ??= {});
      month[r.key as Band] = r.n;
      if (r.figure === "received")
        receivedPrincipal[r.month] = (receivedPrincipal[r.month] ?? 0) + Number(r.amount);
    } else if (r.figure === "fees") {
      feeBy[r.month] = { fees: Number(r.amount), principal: Number(r.base) };
    } else if (r.figure === "paidAll") {
      medianBy[r.month] = r.median === null ? null : Number(r.median);
    } else {
      const key =
        r.figure === "letters"
          ? LETTER_COLUMN[r.key]!
          : r.figure === "paid"
            ? STAGE_GROUP[r.key]!
            : r.key;
      const month = ((by[r.figure] ??= {})[r.month] ??= {});
      month[key] = (month[key] ?? 0) + r.n;
    }
  }
  const letterBy = by.letters ?? {};
  const planBy = by.plans ?? {};
  const objectionBy = by.objections ?? {};
  const paidBy = by.paid ?? {};
  const months = monthRange(first, current);
  const sumBands = (c: Partial<Record<Band, number>> | undefined) =>
    BANDS.reduce((n, b) => n + (c?.[b] ?? 0), 0);
  const bandRow = (figure: BandedFigure) => (m: string) => [
    ...BANDS.map((b) => banded[figure][m]?.[b] ?? 0),
    sumBands(banded[figure][m]),
  ];
  const table = (id: FigureTableId, row: (m: string) => (number | null)[]): FigureTable => ({
    id,
    columns: FIGURE_TABLES[id],
    rows: months.map((month) => ({ month, values: row(month) })),
  });
  const tables: FigureTable[] = [
    table("received", (m) => [
      sumBands(banded.received[m]),
      receivedPrincipal[m] ?? 0,
      ...BANDS.map((b) => banded.received[m]?.[b] ?? 0),
    ]),
    table("letters", (m) => FIGURE_TABLES.letters.map((k) => letterBy[m]?.[k] ?? 0)),
    table("queued", bandRow("queued")),
    table("filed", bandRow("filed")),
    table("fees", (m) => {
      const feeSum = feeBy[m]?.fees ?? 0;
      const principal = feeBy[m]?.principal ?? 0;
      return [feeSum, principal, principal > 0 ? Math.round((feeSum / principal) * 10_000) : null];
    }),
    table("paid", (m) => {
      const counts = PAID_STAGES.map((s) => paidBy[m]?.[s] ?? 0);
      return [...counts, counts.reduce((a, b) => a + b, 0), medianBy[m] ?? null];
    }),
    table("plans", (m) => FIGURE_TABLES.plans.map((k) => planBy[m]?.[k] ?? 0)),
    table("objections", (m) => FIGURE_TABLES.objections.map((k) => objectionBy[m]?.[k] ?? 0)),
    table("writtenOff", bandRow("writtenOff")),
  ];
  return {
    creditor,
    claimTypeId: input.claimTypeId,
    months,
    tables,
    alertMonth,
    alerts: alertsFor(creditor.rules, banded, alertMonth),
    countedAt: countedAt ? countedAt.toISOString() : null,
  };
}

/**
 * Saves a creditor's alert thresholds (already checked against FigureAlertRules) and records who
 * changed them. False when the creditor is not the staff member's.
 */
export async function saveFigureAlerts(
  staff: StaffContext,
  creditorId: string,
  rules: FigureAlertRule[],
  now: Date,
): Promise<boolean> {
  if (!staff.creditorIds.includes(creditorId)) return false;
  return db().$transaction(async (tx) => {
    const creditor = await tx.creditor.update({
      where: { id: creditorId },
      data: { figureAlerts: rules },
      select: { timeZone: true },
    });
    await recordEvent(tx, {
      type: "figures.alerts_set",
      actor: `staff:${staff.staffId}`,
      creditorId,
      on: todayIn(creditor.timeZone, now),
      data: { rules },
    });
    return true;
  });
}
