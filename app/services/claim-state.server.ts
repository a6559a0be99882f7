import type { Prisma } from "~/generated/prisma/client.ts";
import type { AllocationOrder, BalanceCategory } from "~/domain/balance";
import type { IsoDate } from "~/domain/calendar-date";
import { claimStatement, type ClaimStatement } from "~/domain/claim-statement";
import { evaluate, isHoldActive, type Decision, type EvaluationHold } from "~/domain/escalation";
import type { Policy, PolicyStep } from "~/domain/policy";
import { isoOf } from "~/infra/db-dates.server";
import type { LawBook } from "./legal-figures.server";

/** Everything the statement and the escalation decision of a claim need, in one Prisma include. */
export const claimStateInclude = {
  creditor: {
    select: { id: true, slug: true, name: true, country: true, timeZone: true, bankAccount: true },
  },
  claimType: { select: { slug: true, name: true, names: true } },
  policy: true,
  charges: { include: { causeEvent: { select: { type: true } } }, orderBy: { chargedOn: "asc" } },
  payments: { orderBy: { receivedOn: "asc" } },
  holds: { orderBy: { startsOn: "asc" } },
  steps: { orderBy: { takenOn: "asc" } },
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
    charges: row.charges.map((c) => ({
      kind: c.kind,
      amount: c.amount,
      chargedOn: isoOf(c.chargedOn),
      causeType: c.causeEvent.type,
      legalBasis: c.legalBasis,
    })),
    payments: row.payments.map((p) => ({
      amount: p.amount,
      receivedOn: isoOf(p.receivedOn),
      method: p.method,
      allocations: p.allocations as Partial<Record<BalanceCategory, number>>,
    })),
    rates: law.interest[row.creditor.country],
    order: row.policy.allocationOrder as unknown as AllocationOrder,
  });
}

/**
 * The escalation decision for a claim on a day: the one the engine acts on and the resident is
 * shown. `statement` must be the claim's statement on the same day.
 */
export function decisionOf(
  row: ClaimStateRow,
  statement: ClaimStatement,
  law: LawBook,
  today: IsoDate,
): Decision {
  return evaluate({
    status: row.status,
    stage: row.stage,
    dueOn: isoOf(row.dueOn),
    country: row.creditor.country,
    policy: policyOf(row),
    figures: (date) => law.figures(row.creditor.country, date),
    outstanding: {
      principal: statement.balance.principal,
      fees: statement.balance.fees,
      interest: statement.balance.interest,
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
  if (decision.kind === "act") return today;
  if (decision.kind === "wait") return decision.on;
  return decision.resumesOn ?? null;
}

export function activeHoldsOf(row: ClaimStateRow, today: IsoDate) {
  const holds = holdsOf(row);
  return row.holds.filter((_, i) => isHoldActive(holds[i]!, today));
}
