import type { Prisma } from "~/generated/prisma/client.ts";
import { claimStatement, type ClaimStatement } from "~/domain/claim-statement";
import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { nextStep, type NextStep, type PolicyStep } from "~/domain/next-step";
import type { AllocationOrder, BalanceCategory } from "~/domain/balance";
import type { RatePeriod } from "~/domain/interest";
import { db } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import { lateInterestRates } from "./legal-rates.server";

const claimInclude = {
  creditor: {
    select: { slug: true, name: true, country: true, timeZone: true, bankAccount: true },
  },
  claimType: { select: { slug: true, name: true, names: true } },
  policy: true,
  charges: { include: { causeEvent: { select: { type: true } } }, orderBy: { chargedOn: "asc" } },
  payments: { orderBy: { receivedOn: "asc" } },
  holds: { where: { releasedAt: null } },
} satisfies Prisma.ClaimInclude;

type ClaimRow = Prisma.ClaimGetPayload<{ include: typeof claimInclude }>;

export type ClaimSummary = ReturnType<typeof summarise>;

function activeHolds(row: ClaimRow, today: IsoDate) {
  return row.holds.filter(
    (h) => isoOf(h.startsOn) <= today && (!h.endsOn || isoOf(h.endsOn) >= today),
  );
}

function summarise(row: ClaimRow, rates: Record<"SE" | "NO", RatePeriod[]>, now: Date) {
  const today = todayIn(row.creditor.timeZone, now);
  const statement: ClaimStatement = claimStatement({
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
    rates: rates[row.creditor.country],
    order: row.policy.allocationOrder as AllocationOrder,
  });
  const holds = activeHolds(row, today);
  const next: NextStep = nextStep({
    status: row.status,
    stage: row.stage,
    stageEnteredOn: isoOf(row.stageEnteredOn),
    steps: row.policy.steps as PolicyStep[],
    activeHolds: holds.map((h) => h.kind),
    outstandingPrincipal: statement.balance.principal,
    enforcementMinimum: row.policy.enforcementMinimum,
    country: row.creditor.country,
    today,
  });
  return {
    id: row.id,
    externalId: row.externalId,
    description: row.description,
    currency: row.currency,
    issuedOn: isoOf(row.issuedOn),
    dueOn: isoOf(row.dueOn),
    paymentReference: row.paymentReference,
    status: row.status,
    stage: row.stage,
    today,
    creditor: {
      slug: row.creditor.slug,
      name: row.creditor.name,
      bankAccount: row.creditor.bankAccount,
      country: row.creditor.country,
    },
    claimType: {
      slug: row.claimType.slug,
      name: row.claimType.name,
      names: row.claimType.names as Record<string, string>,
    },
    holds: holds.map((h) => ({
      kind: h.kind,
      reason: h.reason,
      startsOn: isoOf(h.startsOn),
      endsOn: h.endsOn ? isoOf(h.endsOn) : null,
    })),
    statement,
    next,
  };
}

/** Every open claim of one resident, across all creditors. Scoped by owner in the query itself. */
export async function listResidentClaims(residentId: string, now: Date) {
  const [rows, rates] = await Promise.all([
    db().claim.findMany({
      where: { residentId, status: "OPEN" },
      include: claimInclude,
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    }),
    lateInterestRates(),
  ]);
  return rows.map((row) => summarise(row, rates, now));
}

/** One claim of one resident, with its timeline; null when it is not theirs (or does not exist). */
export async function getResidentClaim(residentId: string, claimId: string, now: Date) {
  if (!isUuid(claimId)) return null;
  const [row, rates] = await Promise.all([
    db().claim.findFirst({ where: { id: claimId, residentId }, include: claimInclude }),
    lateInterestRates(),
  ]);
  if (!row) return null;
  return { ...summarise(row, rates, now), events: await claimEvents(row.id) };
}

/** A creditor's own claim by its external id, for the intake API. */
export async function getCreditorClaim(creditorId: string, externalId: string, now: Date) {
  const [row, rates] = await Promise.all([
    db().claim.findUnique({
      where: { creditorId_externalId: { creditorId, externalId } },
      include: claimInclude,
    }),
    lateInterestRates(),
  ]);
  if (!row) return null;
  return { ...summarise(row, rates, now), events: await claimEvents(row.id) };
}

async function claimEvents(claimId: string) {
  const events = await db().event.findMany({
    where: { claimId },
    orderBy: [{ occurredOn: "asc" }, { id: "asc" }],
    select: { type: true, occurredOn: true, createdAt: true, data: true, actor: true },
  });
  return events.map((e) => ({
    type: e.type,
    occurredOn: isoOf(e.occurredOn),
    at: e.createdAt.toISOString(),
    actor: e.actor.split(":")[0] ?? e.actor,
    data: e.data as Record<string, unknown>,
  }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(value: string): boolean {
  return UUID.test(value);
}
