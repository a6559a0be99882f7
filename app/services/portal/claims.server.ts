import { todayIn, type IsoDate } from "~/domain/calendar-date";
import type { NoticeKind, OutboxStatus } from "~/generated/prisma/client.ts";
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
} from "../claims/claim-state.server";
import { cachedLawBook, loadLawBook, type LawBook } from "../law/legal-figures.server";
import { residentDisputesOf, residentDisputesSql } from "../disputes/disputes.server";
import { openPlanOf, openPlanOfClaimSql } from "../plans/plans.server";
import {
  loadResidentClaimWith,
  loadResidentOpenClaimStates,
} from "../claims/resident-claim-state.server";
import { rowOrder, rowOrderSql } from "../claims/row-order.server";

export type ClaimSummary = ReturnType<typeof summarise>;

/**
 * What a claim's card on *My claims* shows, and no more: the page's loader data is serialised
 * for every request (Remix encodes it even for a page that does not hydrate), so the card gets
 * its total, not the whole statement.
 */
export function claimCardOf(c: ClaimSummary) {
  return {
    id: c.id,
    description: c.description,
    currency: c.currency,
    stage: c.stage,
    today: c.today,
    creditor: { name: c.creditor.name, country: c.creditor.country },
    claimType: { name: c.claimType.name, names: c.claimType.names },
    paused: c.holds.length > 0,
    total: c.statement.balance.total,
    next: c.next,
  };
}
export type ClaimCardData = ReturnType<typeof claimCardOf>;

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

/**
 * Every open claim of one resident, across all creditors. Scoped by owner in the query itself:
 * one plain statement (see resident-claim-state.server.ts), and the law book of the last minute.
 */
export async function listResidentClaims(residentId: string, now: Date) {
  const [rows, law] = await Promise.all([loadResidentOpenClaimStates(residentId), cachedLawBook()]);
  return rows.map((row) => summarise(row, law, now));
}

/** One claim of one resident, with its timeline and notices; null when it is not theirs. */
export async function getResidentClaim(residentId: string, claimId: string, now: Date) {
  return (await getResidentClaimPage(residentId, claimId, now))?.claim ?? null;
}

/**
 * What the claim page shows, in one plain statement scoped by the resident: the claim with its
 * timeline and notices, the resident's disputes on it, and its open plan. Null when the claim is
 * not theirs (or does not exist).
 */
export async function getResidentClaimPage(residentId: string, claimId: string, now: Date) {
  if (!isUuid(claimId)) return null;
  const [found, law] = await Promise.all([
    loadResidentClaimWith(residentId, claimId, {
      events: EVENTS_SQL,
      notices: NOTICES_SQL,
      disputes: residentDisputesSql("c.id", 'c."residentId"'),
      plan: openPlanOfClaimSql("c.id", 'c."residentId"'),
    }),
    cachedLawBook(),
  ]);
  if (!found) return null;
  const { row, extra } = found;
  return {
    claim: { ...summarise(row, law, now), ...historyOf(extra.events, extra.notices) },
    disputes: residentDisputesOf(extra.disputes),
    plan: openPlanOf(extra.plan),
  };
}

type EventJson = {
  type: string;
  occurredOn: string;
  createdAt: string;
  data: unknown;
  actor: string;
};
type NoticeJson = {
  id: string;
  kind: string;
  sentOn: string;
  deadline: string | null;
  channel: string;
  delivery: string | null;
};

/*
 * `history` as SQL expressions over the claim row `c`, for the claim page's one statement: the
 * same events and notices in the same order. A notice's delivery is that of its first outbox row.
 */
const EVENTS_SQL = `COALESCE((SELECT json_agg(json_build_object('type', e.type,
    'occurredOn', e."occurredOn", 'createdAt', e."createdAt", 'data', e.data, 'actor', e.actor)
    ORDER BY e."occurredOn", e.id)
  FROM "Event" e WHERE e."claimId" = c.id AND e.type NOT LIKE 'staff.%'), '[]')`;
const NOTICES_SQL = `COALESCE((SELECT json_agg(json_build_object('id', n.id, 'kind', n.kind,
    'sentOn', n."sentOn", 'deadline', n.deadline, 'channel', n.channel,
    'delivery', (SELECT o.status FROM "Outbox" o WHERE o."noticeId" = n.id
                 ORDER BY o."createdAt", o.id LIMIT 1))
    ORDER BY ${rowOrderSql("notices", "n")})
  FROM "Notice" n WHERE n."claimId" = c.id), '[]')`;

function historyOf(eventsJson: unknown, noticesJson: unknown) {
  return {
    events: (eventsJson as EventJson[]).map((e) => ({
      type: e.type,
      occurredOn: e.occurredOn as IsoDate,
      at: new Date(e.createdAt).toISOString(),
      actor: e.actor.split(":")[0] ?? e.actor,
      data: e.data as Record<string, unknown>,
    })),
    notices: (noticesJson as NoticeJson[]).map((n) => ({
      ...n,
      kind: n.kind as NoticeKind,
      sentOn: n.sentOn as IsoDate,
      deadline: n.deadline as IsoDate | null,
      delivery: n.delivery as OutboxStatus | null,
    })),
  };
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
      orderBy: rowOrder("notices"),
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
