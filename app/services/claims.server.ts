import { todayIn } from "~/domain/calendar-date";
import { isUuid } from "~/domain/ids";
import type { Decision } from "~/domain/escalation";
import { db } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";
import {
  activeHoldsOf,
  claimStateInclude,
  decisionOf,
  statementOf,
  type ClaimStateRow,
} from "./claim-state.server";
import { loadLawBook, type LawBook } from "./legal-figures.server";

export type ClaimSummary = ReturnType<typeof summarise>;

function summarise(row: ClaimStateRow, law: LawBook, now: Date) {
  const today = todayIn(row.creditor.timeZone, now);
  const statement = statementOf(row, law, today);
  const next: Decision = decisionOf(row, statement, law, today);
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
    holds: activeHoldsOf(row, today).map((h) => ({
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
  const [rows, law] = await Promise.all([
    db().claim.findMany({
      where: { residentId, status: "OPEN" },
      include: claimStateInclude,
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    }),
    loadLawBook(),
  ]);
  return rows.map((row) => summarise(row, law, now));
}

/** One claim of one resident, with its timeline and notices; null when it is not theirs. */
export async function getResidentClaim(residentId: string, claimId: string, now: Date) {
  if (!isUuid(claimId)) return null;
  const [row, law] = await Promise.all([
    db().claim.findFirst({ where: { id: claimId, residentId }, include: claimStateInclude }),
    loadLawBook(),
  ]);
  if (!row) return null;
  return { ...summarise(row, law, now), ...(await history(row.id)) };
}

/** A creditor's own claim by its external id, for the intake API. */
export async function getCreditorClaim(creditorId: string, externalId: string, now: Date) {
  const [row, law] = await Promise.all([
    db().claim.findUnique({
      where: { creditorId_externalId: { creditorId, externalId } },
      include: claimStateInclude,
    }),
    loadLawBook(),
  ]);
  if (!row) return null;
  return { ...summarise(row, law, now), ...(await history(row.id)) };
}

async function history(claimId: string) {
  const [events, notices] = await Promise.all([
    db().event.findMany({
      // Staff reads are in the audit log for auditors; the claim's story is what happened to it.
      where: { claimId, NOT: { type: { startsWith: "staff." } } },
      orderBy: [{ occurredOn: "asc" }, { id: "asc" }],
      select: { type: true, occurredOn: true, createdAt: true, data: true, actor: true },
    }),
    db().notice.findMany({
      where: { claimId },
      orderBy: [{ sentOn: "asc" }, { createdAt: "asc" }],
      include: { outbox: { select: { status: true, sentAt: true } } },
    }),
  ]);
  return {
    events: events.map((e) => ({
      type: e.type,
      occurredOn: isoOf(e.occurredOn),
      at: e.createdAt.toISOString(),
      actor: e.actor.split(":")[0] ?? e.actor,
      data: e.data as Record<string, unknown>,
    })),
    notices: notices.map((n) => ({
      id: n.id,
      kind: n.kind,
      sentOn: isoOf(n.sentOn),
      deadline: n.deadline ? isoOf(n.deadline) : null,
      channel: n.channel,
      delivery: n.outbox[0]?.status ?? null,
    })),
  };
}
