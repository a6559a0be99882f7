import { openPlanOfClaimSql } from "../plans/resident-plans.server";
import { openPlanOf } from "../plans/resident-plans.server";
import { planNextPayment } from "../plans/plan-amounts.server";
import { residentDisputesSql } from "../disputes/dispute-views.server";
import { residentDisputesOf } from "../disputes/dispute-views.server";
import { openHelpRequestSql } from "../disputes/help.server";
import { todayIn, type IsoDate } from "~/domain/calendar-date";
import type { NoticeChannel, NoticeKind, NoticeStatus } from "~/generated/prisma/client.ts";
import { isUuid } from "~/domain/ids";
import { groupByCurrency } from "~/domain/currency-groups";
import { activeHoldsOf, decisionOf, statementOf, type ClaimSnapshot } from "~/domain/claim";
import { writtenOffFeesOf } from "~/domain/write-off";
import { residentLetters, type PageNotice } from "~/domain/resident-letters";
import type { Decision } from "~/domain/escalation";
import { TIMELINE_EVENT_TYPES } from "~/domain/events";
import { loadClaim, loadClaims, type Loaded } from "../claims/load-claims.server";
import { cachedLawBook, loadLawBook, type LawBook } from "../law/legal-figures.server";
import {
  listPaidAndClosed,
  paidAndClosedSql,
  paymentHistoryOf,
  type ClosedClaim,
} from "./history.server";

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
    claimType: {
      name: c.claimType.name,
      names: c.claimType.names,
      ownEnforcement: c.claimType.ownEnforcement,
    },
    paused: c.holds.length > 0,
    total: c.statement.balance.total,
    next: c.next,
  };
}
export type ClaimCardData = ReturnType<typeof claimCardOf>;

function summarise(row: ClaimSnapshot, law: LawBook, now: Date) {
  const today = todayIn(row.creditor.timeZone, now);
  const statement = statementOf(row, law, today);
  const next: Decision = decisionOf(row, statement, law, today);
  return {
    id: row.id,
    externalId: row.externalId,
    description: row.description,
    currency: row.currency,
    issuedOn: row.issuedOn,
    dueOn: row.dueOn,
    paymentReference: row.paymentReference,
    status: row.status,
    stage: row.stage,
    closedOn: row.closedOn,
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
      names: row.claimType.names,
      ownEnforcement: row.claimType.ownEnforcement ?? false,
    },
    holds: activeHoldsOf(row, today).map((h) => ({
      kind: h.kind,
      reason: h.reason,
      startsOn: h.startsOn,
      endsOn: h.endsOn,
    })),
    statement,
    next,
    // Fees written off (decision 0106): shown to the resident as such, not as paid.
    writtenOffFees: writtenOffFeesOf(row),
  };
}

/**
 * Every open claim of one resident, across all creditors. Scoped by owner in the query itself:
 * one plain statement (the claim loader's), and the law book of the last minute.
 */
export async function listResidentClaims(residentId: string, now: Date) {
  const [rows, law] = await Promise.all([
    loadClaims(undefined, { residentId, open: true }),
    cachedLawBook(),
  ]);
  return rows.map((row) => summarise(row, law, now));
}

/**
 * *My claims*: the resident's open bills as cards, by currency (a payment has one currency, so
 * each currency's bills are chosen and paid on their own), each currency with its total.
 */
export async function residentClaimGroups(residentId: string, now: Date) {
  const cards = (await listResidentClaims(residentId, now)).map(claimCardOf);
  return groupByCurrency(cards, (c) => c.total);
}

/*
 * *Paid and closed*, in the open claims' statement: on the first row only (a CASE runs its
 * subquery only when taken), as of the statement's time on the database's clock.
 */
const PAID_AND_CLOSED_ONCE = `CASE WHEN row_number() OVER (ORDER BY c."dueOn", c.id) = 1
  THEN ${paidAndClosedSql('c."residentId"', "statement_timestamp()")} END`;

/**
 * The whole of *My claims*: the open bills by currency (`residentClaimGroups`) and the bills paid
 * or closed lately (`listPaidAndClosed`), in one statement where the resident has an open bill
 * (two ran one after the other; decision 0116), in a second only where they have none.
 */
export async function residentClaimsPage(residentId: string, now: Date) {
  const [rows, law] = await Promise.all([
    loadClaims(
      undefined,
      { residentId, open: true },
      { extra: { paidAndClosed: PAID_AND_CLOSED_ONCE } },
    ),
    cachedLawBook(),
  ]);
  const cards = rows.map((row) => claimCardOf(summarise(row, law, now)));
  const paidAndClosed = rows[0]
    ? (rows[0].extra.paidAndClosed as ClosedClaim[])
    : await listPaidAndClosed(residentId, now);
  return { groups: groupByCurrency(cards, (c) => c.total), paidAndClosed };
}

/** One claim of one resident, with its timeline and notices; null when it is not theirs. */
export async function getResidentClaim(residentId: string, claimId: string, now: Date) {
  return (await getResidentClaimPage(residentId, claimId, now))?.claim ?? null;
}

/**
 * What the claim page shows, in one plain statement scoped by the resident: the claim with its
 * timeline and notices, the resident's disputes on it, its open plan, and its letters as the
 * resident reads them (its own, and the letters of every plan it is or was in, which sit on the
 * plan's first claim), and the resident's open request for help. Null when the claim is not theirs
 * (or does not exist).
 */
export async function getResidentClaimPage(residentId: string, claimId: string, now: Date) {
  if (!isUuid(claimId)) return null;
  const [found, law] = await Promise.all([
    loadClaim(
      undefined,
      { residentId, claimId },
      {
        extra: {
          events: EVENTS_SQL,
          notices: NOTICES_SQL,
          disputes: residentDisputesSql("c.id", 'c."residentId"'),
          plan: openPlanOfClaimSql("c.id", 'c."residentId"'),
          // For a payer whose bank is abroad.
          abroad: `json_build_object('iban', cr.iban, 'bic', cr.bic)`,
          letters: LETTERS_SQL,
          // The resident's open request for help: theirs, not this bill's, so on every bill.
          help: openHelpRequestSql('c."residentId"'),
        },
      },
    ),
    cachedLawBook(),
  ]);
  if (!found) return null;
  const { extra, ...row } = found;
  const plan = openPlanOf(extra.plan);
  const summary = summarise(row, law, now);
  // A deferral's one amount, as its plan page, letter and calendar give it (decision 0100).
  const deferralDue =
    plan?.deferral && plan.status === "ACTIVE"
      ? await planNextPayment(undefined, law, plan.id, summary.today)
      : null;
  return {
    claim: { ...summary, ...historyOf(extra.events, extra.notices) },
    /** The creditor's account for a payer whose bank is abroad. */
    bankAbroad: extra.abroad as { iban: string | null; bic: string | null },
    disputes: residentDisputesOf(extra.disputes),
    plan: plan ? { ...plan, deferralDue } : null,
    letters: residentLetters(extra.letters as PageNotice[], row.creditor.country),
    /** Its payments, each with a receipt. */
    payments: paymentHistoryOf(row),
    /** The resident's open request for help, with the day it came (the creditor's day). */
    helpRequest: helpRequestOf(extra.help, row.creditor.timeZone),
  };
}

function helpRequestOf(json: unknown, timeZone: string) {
  if (!json) return null;
  const { id, raisedAt } = json as { id: string; raisedAt: string };
  return { id, receivedOn: todayIn(timeZone, new Date(raisedAt)) };
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
  channel: string | null;
  status: string;
  dispatchedOn: string | null;
  deliveredOn: string | null;
};

/*
 * `history` as SQL expressions over the claim row `c`, for the claim page's one statement: the
 * same events and notices in the same order, each notice with how and when it left.
 */
// The event types a claim's timeline shows (the catalogue's), as an SQL array of constants.
const TIMELINE_TYPES = `ARRAY[${TIMELINE_EVENT_TYPES.map((t) => `'${t}'`).join(", ")}]`;

const EVENTS_SQL = `COALESCE((SELECT json_agg(json_build_object('type', e.type,
    'occurredOn', e."occurredOn", 'createdAt', e."createdAt", 'data', e.data, 'actor', e.actor)
    ORDER BY e."occurredOn", e.id)
  FROM "Event" e WHERE e."claimId" = c.id AND e.type = ANY(${TIMELINE_TYPES})), '[]')`;
const NOTICES_SQL = `COALESCE((SELECT json_agg(json_build_object('id', n.id, 'kind', n.kind,
    'sentOn', n."sentOn", 'deadline', n.deadline, 'channel', n.channel, 'status', n.status,
    'dispatchedOn', n."dispatchedOn", 'deliveredOn', n."deliveredOn")
    ORDER BY n."sentOn", n."createdAt", n.id)
  FROM "Notice" n WHERE n."claimId" = c.id), '[]')`;

/*
 * The claim page's letters: the claim's own notices, and those of every plan the claim is or was
 * in (a plan's letter is written once, on its first claim, and belongs to all of its claims), in
 * the snapshot's order. The plan is the resident's, so are all its claims and letters.
 */
const LETTERS_SQL = `COALESCE((SELECT json_agg(json_build_object('id', n.id, 'kind', n.kind,
    'status', n.status, 'stepId', n."stepId", 'channel', n.channel,
    'dispatchedOn', n."dispatchedOn", 'deadline', n.deadline, 'deadlineDays', n."deadlineDays",
    'elsewhere', n."claimId" <> c.id)
    ORDER BY n."sentOn", n."createdAt", n.id)
  FROM "Notice" n
  -- A UNION, not an OR: each side on its own index (claimId, planId). With OR PostgreSQL read
  -- every notice (a sequential scan: half a second at 100,000 claims, bench/explain.ts).
  WHERE n.id IN (SELECT n1.id FROM "Notice" n1 WHERE n1."claimId" = c.id
                 UNION
                 SELECT n2.id FROM "Notice" n2 JOIN "PlanClaim" pc ON pc."planId" = n2."planId"
                  WHERE pc."claimId" = c.id)), '[]')`;

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
      channel: n.channel as NoticeChannel | null,
      status: n.status as NoticeStatus,
      dispatchedOn: n.dispatchedOn as IsoDate | null,
      deliveredOn: n.deliveredOn as IsoDate | null,
    })),
  };
}

/** The timeline and letters of a claim, as SQL for the loader's `extra`. */
export const HISTORY_SQL = { events: EVENTS_SQL, notices: NOTICES_SQL };

/** A claim as the creditor and staff see it: the resident's view plus its timeline and letters. */
export function claimWithHistory(found: Loaded<keyof typeof HISTORY_SQL>, law: LawBook, now: Date) {
  const { extra, ...row } = found;
  return { ...summarise(row, law, now), ...historyOf(extra.events, extra.notices) };
}

/** A creditor's own claim by its external id, for the intake API: one statement. */
export async function getCreditorClaim(creditorId: string, externalId: string, now: Date) {
  const [found, law] = await Promise.all([
    loadClaim(undefined, { creditorId, externalId }, { extra: HISTORY_SQL }),
    loadLawBook(),
  ]);
  return found ? claimWithHistory(found, law, now) : null;
}
