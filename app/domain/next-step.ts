import {
  addDays,
  deadlineFrom,
  maxDate,
  nextBankDay,
  type Country,
  type IsoDate,
} from "./calendar-date";
import type { ChargeKind } from "./balance";

export type LadderStage =
  | "INVOICED"
  | "REMINDER"
  | "COLLECTION_NOTICE"
  | "PAYMENT_DEMAND"
  | "READY_FOR_ENFORCEMENT"
  | "FILED";

export type PolicyStep = {
  stage: Exclude<LadderStage, "INVOICED" | "FILED">;
  /** Calendar days after the previous step (or the due date) before this step may be taken. */
  daysAfter: number;
  fee?: { kind: ChargeKind; amount: number };
  notice: boolean;
  /** Days to pay that this step's notice gives. */
  deadlineDays?: number;
};

export type NextStep =
  | { kind: "closed" }
  | { kind: "paused"; holds: string[] }
  | { kind: "step"; stage: PolicyStep["stage"]; on: IsoDate; fee: PolicyStep["fee"] | null }
  | { kind: "below_minimum" }
  | { kind: "only_costs_remain" }
  | { kind: "awaiting_review" }
  | { kind: "filed" }
  | { kind: "end_of_ladder" };

/**
 * What happens next to a claim and when, as the resident is told it. Decided from the stage the
 * claim is at and the creditor's steps; a hold stops everything, and a claim never heads for
 * enforcement while its principal is under the policy's minimum.
 */
export function nextStep(input: {
  status: "OPEN" | "PAID" | "CANCELLED" | "WRITTEN_OFF";
  stage: LadderStage;
  stageEnteredOn: IsoDate;
  steps: PolicyStep[];
  activeHolds: string[];
  outstandingPrincipal: number;
  enforcementMinimum: number;
  country: Country;
  today: IsoDate;
}): NextStep {
  if (input.status !== "OPEN") return { kind: "closed" };
  if (input.activeHolds.length > 0) return { kind: "paused", holds: input.activeHolds };
  if (input.stage === "FILED") return { kind: "filed" };
  if (input.stage === "READY_FOR_ENFORCEMENT") return { kind: "awaiting_review" };

  const currentIndex = input.steps.findIndex((s) => s.stage === input.stage);
  // A stage the policy does not know (the policy changed under the claim) is not a reason to
  // start the ladder again: nothing happens until staff move the claim.
  if (currentIndex < 0 && input.stage !== "INVOICED") return { kind: "end_of_ladder" };
  const next = input.steps[currentIndex + 1];
  if (!next) return { kind: "end_of_ladder" };
  if (next.stage === "READY_FOR_ENFORCEMENT") {
    if (input.outstandingPrincipal <= 0) return { kind: "only_costs_remain" };
    if (input.outstandingPrincipal < input.enforcementMinimum) return { kind: "below_minimum" };
  }

  const current = currentIndex >= 0 ? input.steps[currentIndex] : undefined;
  let earliest = addDays(input.stageEnteredOn, next.daysAfter);
  // The next step comes only after the deadline the last notice gave has run out; a deadline
  // that falls on a weekend or holiday runs to the next bank day.
  if (current?.deadlineDays !== undefined) {
    const deadline = deadlineFrom(input.stageEnteredOn, current.deadlineDays, input.country);
    earliest = maxDate(earliest, addDays(deadline, 1));
  }
  const on = nextBankDay(maxDate(earliest, input.today), input.country);
  return { kind: "step", stage: next.stage, on, fee: next.fee ?? null };
}
