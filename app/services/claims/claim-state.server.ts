import type { Prisma } from "~/generated/prisma/client.ts";
import type { AllocationOrder, BalanceCategory } from "~/domain/balance";
import type { IsoDate } from "~/domain/calendar-date";
import { claimStatement, type ClaimStatement } from "~/domain/claim-statement";
import { evaluate, isHoldActive, type Decision, type EvaluationHold } from "~/domain/escalation";
import type { Policy, PolicyStep } from "~/domain/policy";
import { isoOf } from "~/infra/db-dates.server";
import type { LawBook } from "../law/legal-figures.server";
import { recordedOrder, rowOrder } from "./row-order.server";

/** Everything the statement and the escalation decision of a claim need, in one Prisma include. */
export const claimStateInclude = {
  creditor: {
    select: { id: true, slug: true, name: true, country: true, timeZone: true, bankAccount: true },
  },
  claimType: { select: { slug: true, name: true, names: true } },
  policy: true,
  charges: {
    include: { causeEvent: { select: { type: true } } },
    orderBy: rowOrder("charges"),
  },
  payments: {
    orderBy: rowOrder("payments"),
    include: {
      refunds: {
        select: { amount: true, allocations: true },
        orderBy: recordedOrder(),
      },
    },
  },
  holds: { orderBy: rowOrder("holds") },
  steps: { orderBy: rowOrder("steps") },
  resident: {
    select: {
      name: true,
      email: true,
      language: true,
      flags: { where: { resolvedAt: null }, select: { id: true } },
    },
  },
} satisfies Prisma.ClaimInclude;

export type ClaimStateRow = Prisma.ClaimGetPayload<{ include: typeof claimStateInclude }>;

export function policyOf(row: ClaimStateRow): Policy {
  return {
    steps: row.policy.steps as unknown as PolicyStep[],
    enforcementMinimum: row.policy.enforcementMinimum,
    chargesInterest: row.policy.chargesInterest,
    allocationOrder: row.policy.allocationOrder as unknown as AllocationOrder,
    resumeDeadlineDays: row.policy.resumeDeadlineDays,
  };
}

export function holdsOf(row: ClaimStateRow): EvaluationHold[] {
  return row.holds.map((h) => ({
    id: h.id,
    kind: h.kind,
    startsOn: isoOf(h.startsOn),
    endsOn: h.endsOn ? isoOf(h.endsOn) : null,
    releasedOn: h.releasedOn ? isoOf(h.releasedOn) : null,
  }));
}

export function statementOf(row: ClaimStateRow, law: LawBook, today: IsoDate): ClaimStatement {
  return claimStatement({
    country: row.creditor.country,
    dueOn: isoOf(row.dueOn),
    today,
    chargesInterest: row.policy.chargesInterest,
    // A cancelled charge (an upheld dispute) is owed by no one; it stays on record, not in sums.
    charges: row.charges
      .filter((c) => !c.cancelledOn)
      .map((c) => ({
        kind: c.kind,
        amount: c.amount,
        chargedOn: isoOf(c.chargedOn),
        causeType: c.causeEvent.type,
        legalBasis: c.legalBasis,
      })),
    payments: row.payments.map(netOfRefunds),
    rates: law.interest[row.creditor.country],
    order: row.policy.allocationOrder as unknown as AllocationOrder,
  });
}

/**
 * The escalation decision for a claim on a day: the one the engine acts on and the resident is
 * shown. `statement` must be the claim's statement on the same day; passed as a function, it is
 * computed only if the decision needs the balance (only the step to enforcement does).
 */
export function decisionOf(
  row: ClaimStateRow,
  statement: ClaimStatement | (() => ClaimStatement),
  law: LawBook,
  today: IsoDate,
): Decision {
  let known = typeof statement === "function" ? undefined : statement;
  const balance = () => (known ??= (statement as () => ClaimStatement)()).balance;
  return evaluate({
    status: row.status,
    stage: row.stage,
    dueOn: isoOf(row.dueOn),
    country: row.creditor.country,
    policy: policyOf(row),
    figures: (date) => law.figures(row.creditor.country, date),
    outstanding: {
      get principal() {
        return balance().principal;
      },
      get fees() {
        return balance().fees;
      },
      get interest() {
        return balance().interest;
      },
    },
    holds: holdsOf(row),
    stepsTaken: row.steps.map((s) => ({
      key: s.key,
      takenOn: isoOf(s.takenOn),
      deadline: s.deadline ? isoOf(s.deadline) : null,
    })),
    vulnerable: row.resident.flags.length > 0,
    today,
  });
}

/** When the sweep must look at the claim again: the decision's own date, or never by itself. */
export function nextActionOn(decision: Decision, today: IsoDate): IsoDate | null {
  // The day the action fell due, not today: a sweep run for a past date (catching up, or a
  // replay) must still find it.
  if (decision.kind === "act") return decision.since < today ? decision.since : today;
  if (decision.kind === "wait") return decision.on;
  return decision.resumesOn ?? null;
}

export function activeHoldsOf(row: ClaimStateRow, today: IsoDate) {
  const holds = holdsOf(row);
  return row.holds.filter((_, i) => isHoldActive(holds[i]!, today));
}

type Allocations = Partial<Record<BalanceCategory, number>>;

/**
 * A payment as it stands after its refunds: what was given back no longer pays anything. Credit
 * (the part no charge absorbed) is never in a statement, so neither is a refund of credit.
 */
export function netOfRefunds(p: ClaimStateRow["payments"][number]) {
  const allocations: Allocations = { ...(p.allocations as Allocations) };
  let reversed = 0;
  for (const r of p.refunds) {
    for (const [k, v] of Object.entries(r.allocations as Record<string, number>)) {
      if (k === "credit") continue;
      const key = k as BalanceCategory;
      allocations[key] = (allocations[key] ?? 0) - v;
      reversed += v;
    }
  }
  return {
    amount: p.amount - p.creditAmount - reversed,
    receivedOn: isoOf(p.receivedOn),
    method: p.method,
    allocations,
  };
}
