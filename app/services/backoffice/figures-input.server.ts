import {
  FIGURE_TABLE_IDS,
  FigureAlertRules,
  MAX_ALERT_RULES,
  type FigureAlertRule,
  type FigureTableId,
} from "~/domain/figures";
import type { FigureCreditor } from "./figures.server";

/*
 * What the figures page and its CSV download accept: the chooser's query (creditor, claim type,
 * months, table) and the alert-threshold form. Anything else is a 400 (malformed) or a 404 (a
 * creditor or claim type that is not the staff member's), and nothing is read or changed.
 */

export type FigureQuery = {
  creditorId: string;
  claimTypeId: string | null;
  months: 12 | 24;
  table: FigureTableId | null;
};

type Refusal = { ok: false; status: 400 | 404 };

export function parseFigureQuery(
  params: URLSearchParams,
  creditors: FigureCreditor[],
): { ok: true; value: FigureQuery } | Refusal {
  const months = params.get("months") ?? "12";
  if (months !== "12" && months !== "24") return { ok: false, status: 400 };
  const table = params.get("table");
  if (table !== null && !(FIGURE_TABLE_IDS as string[]).includes(table))
    return { ok: false, status: 400 };
  const creditorId = params.get("creditor") ?? creditors[0]?.id;
  const creditor = creditors.find((c) => c.id === creditorId);
  if (!creditor) return { ok: false, status: 404 };
  const type = params.get("type") ?? "all";
  if (type !== "all" && !creditor.claimTypes.some((t) => t.id === type))
    return { ok: false, status: 404 };
  return {
    ok: true,
    value: {
      creditorId: creditor.id,
      claimTypeId: type === "all" ? null : type,
      months: months === "12" ? 12 : 24,
      table: table as FigureTableId | null,
    },
  };
}

/**
 * The threshold form: rows rule-<i>-figure, rule-<i>-range, rule-<i>-percent; a row whose percent
 * is left empty is dropped (that is how a rule is removed). Errors name the row (1-based) and field.
 */
export function parseAlertForm(
  form: FormData,
): { ok: true; rules: FigureAlertRule[] } | { ok: false; errors: string[] } {
  const rows: unknown[] = [];
  for (let i = 0; i < MAX_ALERT_RULES + 1; i++) {
    const percent = String(form.get(`rule-${i}-percent`) ?? "").trim();
    if (percent === "") continue;
    rows.push({
      figure: String(form.get(`rule-${i}-figure`) ?? ""),
      range: String(form.get(`rule-${i}-range`) ?? ""),
      risePercent: /^\d{1,6}$/.test(percent) ? percent : Number.NaN,
    });
  }
  const parsed = FigureAlertRules.safeParse(rows);
  if (parsed.success) return { ok: true, rules: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) =>
      issue.path.length >= 2 ? `${Number(issue.path[0]) + 1}:${String(issue.path[1])}` : "rules",
    ),
  };
}
