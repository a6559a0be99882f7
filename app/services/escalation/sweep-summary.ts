import type { IsoDate } from "~/domain/calendar-date";
import type { Action, Decision } from "~/domain/escalation";

export type SweepSummary = {
  asOf: IsoDate;
  creditor: string | null;
  dryRun: boolean;
  /** Claims whose next action was due and that this sweep looked at. */
  examined: number;
  /** Steps taken (or, in a dry run, that would be), by kind. */
  steps: Record<string, number>;
  fees: { count: number; byCurrency: Record<string, number> };
  notices: number;
  newlyReadyForEnforcement: number;
  /** Examined claims that did nothing, by the evaluator's reason. */
  nothingDone: Record<string, number>;
  /** Open claims not examined: their next action is on a later day. */
  notYetDue: number;
  /** Open claims with nothing automatic ahead (held, waiting for a person, at the end). */
  nothingAutomatic: number;
  /** Payment plans: missed instalments reminded, plans ended and completed (not in a dry run). */
  plans?: { reminded: number; ended: number; completed: number };
  /** Small balances written off by the policy, and put in the staff queue (decision 0106). */
  writeOffs?: { writtenOff: number; queued: number; byCurrency: Record<string, number> };
};

export function emptySummary(
  asOf: IsoDate,
  creditor: string | null,
  dryRun: boolean,
): SweepSummary {
  return {
    asOf,
    creditor,
    dryRun,
    examined: 0,
    steps: {},
    fees: { count: 0, byCurrency: {} },
    notices: 0,
    newlyReadyForEnforcement: 0,
    nothingDone: {},
    notYetDue: 0,
    nothingAutomatic: 0,
  };
}

const add = (counts: Record<string, number>, key: string, n = 1) => {
  counts[key] = (counts[key] ?? 0) + n;
};

export function summarise(
  summary: SweepSummary,
  claim: { currency: string },
  first: Decision,
  actions: Action[],
): void {
  summary.examined += 1;
  if (actions.length === 0) {
    add(summary.nothingDone, first.kind === "stop" ? first.reason : "not_due_yet");
    return;
  }
  for (const action of actions) {
    add(summary.steps, action.type === "step" ? action.stage : "FRESH_DEADLINE");
    if (action.type === "fresh_deadline" || action.notice) summary.notices += 1;
    if (action.type === "step" && action.stage === "READY_FOR_ENFORCEMENT") {
      summary.newlyReadyForEnforcement += 1;
    }
    if (action.type === "step" && action.fee) {
      summary.fees.count += 1;
      add(summary.fees.byCurrency, claim.currency, action.fee.amount);
    }
  }
}

/**
 * Small balances due today: written off (auto) or put in front of staff (queue). `queued`: the
 * tasks newly raised (a claim already in the queue is not counted again); in a dry run, every one.
 */
export function summariseWriteOffs(
  summary: SweepSummary,
  due: { claim: { currency: string }; small: { mode: "auto" | "queue"; amount: number } }[],
  queued: number | null,
): void {
  if (due.length === 0) return;
  const w = (summary.writeOffs ??= { writtenOff: 0, queued: 0, byCurrency: {} });
  w.queued += queued ?? due.filter((d) => d.small.mode === "queue").length;
  for (const { claim, small } of due) {
    summary.examined += 1;
    if (small.mode === "queue") continue;
    w.writtenOff += 1;
    add(w.byCurrency, claim.currency, small.amount);
  }
}

/** The summary as an operator reads it at the end of `kravportal escalate`. */
export function formatSummary(s: SweepSummary): string {
  const money = (minor: number) => (minor / 100).toFixed(2);
  const lines = [
    `Escalation sweep as of ${s.asOf}${s.creditor ? ` for ${s.creditor}` : ""}${s.dryRun ? " (dry run: nothing written)" : ""}`,
    `  claims examined:                 ${s.examined}`,
    `  steps taken:                     ${Object.values(s.steps).reduce((a, b) => a + b, 0)}`,
    ...Object.entries(s.steps)
      .sort()
      .map(([k, n]) => `    ${k.padEnd(30)} ${n}`),
    `  fees charged:                    ${s.fees.count}${Object.entries(s.fees.byCurrency)
      .map(([c, m]) => ` (${c} ${money(m)})`)
      .join("")}`,
    `  notices:                         ${s.notices}`,
    `  newly ready for enforcement:     ${s.newlyReadyForEnforcement} (each waits for a person)`,
    `  claims held:                     ${s.nothingDone.held ?? 0}`,
    `  examined, nothing done:`,
    ...Object.entries(s.nothingDone)
      .sort()
      .map(([k, n]) => `    ${k.padEnd(30)} ${n}`),
    `  open claims not yet due:         ${s.notYetDue}`,
    `  open claims with nothing automatic ahead: ${s.nothingAutomatic}`,
    ...(s.plans
      ? [
          `  payment plans: instalments reminded ${s.plans.reminded}, ended ${s.plans.ended}, completed ${s.plans.completed}`,
        ]
      : []),
    ...(s.writeOffs
      ? [
          `  small balances written off:      ${s.writeOffs.writtenOff}${Object.entries(
            s.writeOffs.byCurrency,
          )
            .map(([c, m]) => ` (${c} ${money(m)})`)
            .join("")}`,
          `  small balances queued for staff: ${s.writeOffs.queued}`,
        ]
      : []),
  ];
  return lines.join("\n");
}
