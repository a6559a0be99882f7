import { recordEvent } from "../events/events.server";
import { z } from "zod/v4";
import { todayIn } from "~/domain/calendar-date";
import { authorityKey } from "~/domain/claim-stages";
import type { ClaimSnapshot } from "~/domain/claim";
import { db } from "~/infra/db.server";
import { env } from "~/infra/env.server";
import { isUuid } from "~/domain/ids";
import type { FieldError } from "./attachments.server";
import { actorOf, text, zodErrors } from "./disputes.server";
import { loadClaims } from "../claims/load-claims.server";
import { refreshResidentNextActions } from "../claims/next-action.server";
import { loadLawBook } from "../law/legal-figures.server";
import { writeDecisionNotices } from "../letters/decision-notices.server";
import { flagLockKey } from "~/domain/vulnerability";

const HelpSchema = z.object({
  text: text(2000),
  consentToSocialServices: z.boolean(),
});

export type HelpResult =
  { ok: true; flagId: string; alreadyOpen: boolean } | { ok: false; errors: FieldError[] };

/**
 * A resident says they cannot pay. This raises a hardship flag for staff (one open at a time); while
 * it is open, none of their claims goes towards enforcement without a person looking first.
 *
 * The resident is told by letter that the request arrived (`HELP_RECEIVED`). Help is asked of
 * everyone the resident owes, but a letter belongs to a claim and comes from its creditor: so one
 * letter per creditor with open claims, from that creditor, on its oldest open claim (the first a
 * person there would look at). Only when a new flag is raised: asking again while one is open
 * writes nothing. A resident with no open claims gets no letter (there is no claim to put it on,
 * and no creditor to send it); the help page itself says the request arrived.
 */
export async function askForHelp(input: {
  residentId: string;
  text: string;
  consentToSocialServices: boolean;
  now: Date;
}): Promise<HelpResult> {
  const parsed = HelpSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: zodErrors(parsed.error).map((e) => ({
        ...e,
        message: e.message.replace(/^dispute\./, "help."),
      })),
    };
  }
  const law = await loadLawBook();
  return db().$transaction(async (tx) => {
    // Two posts at once must not raise two flags.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${flagLockKey(input.residentId)}))`;
    const open = await tx.vulnerabilityFlag.findFirst({
      where: { residentId: input.residentId, kind: "HARDSHIP", resolvedAt: null },
    });
    if (open) return { ok: true as const, flagId: open.id, alreadyOpen: true };
    const consent = parsed.data.consentToSocialServices;
    const flag = await tx.vulnerabilityFlag.create({
      data: {
        residentId: input.residentId,
        kind: "HARDSHIP",
        note: `${parsed.data.text}\n\nConsents to contact by social services: ${consent ? "yes" : "no"}`,
        raisedBy: actorOf(input.residentId),
        raisedAt: input.now,
      },
    });
    // Oldest due first: the first of each creditor is the one its letter goes on.
    const claims = await loadClaims(tx, { residentId: input.residentId, open: true });
    const oldest = new Map<string, ClaimSnapshot>();
    for (const c of claims) if (!oldest.has(c.creditorId)) oldest.set(c.creditorId, c);
    await writeDecisionNotices(
      tx,
      [...oldest.values()].map((claim) => ({
        claim,
        kind: "HELP_RECEIVED" as const,
        on: todayIn(claim.creditor.timeZone, input.now),
        publicUrl: env().PUBLIC_URL,
      })),
    );
    const today = todayIn("Europe/Stockholm", input.now);
    await recordEvent(tx, {
      residentId: input.residentId,
      type: "vulnerability.flagged",
      actor: actorOf(input.residentId),
      on: today,
      // The resident's words stay in the flag; the log records only that it happened.
      data: { flagId: flag.id, kind: "HARDSHIP", consentToSocialServices: consent },
    });
    await refreshResidentNextActions(tx, input.residentId, law, input.now);
    return { ok: true as const, flagId: flag.id, alreadyOpen: false };
  });
}

/**
 * Whether `flagId` is a request for help this resident sent and that is still open: the help
 * page thanks the resident only for a request that was really stored, and is theirs (the id in
 * the address after sending; a hand-typed or someone else's id thanks no one).
 */
export async function isOwnOpenHelpRequest(residentId: string, flagId: string): Promise<boolean> {
  if (!isUuid(flagId)) return false;
  const n = await db().vulnerabilityFlag.count({
    where: {
      id: flagId,
      residentId,
      kind: "HARDSHIP",
      resolvedAt: null,
      raisedBy: actorOf(residentId),
    },
  });
  return n > 0;
}

/**
 * The resident's open request for help (a hardship flag they raised themselves, not one staff
 * raised) as an SQL expression over a claim row, for the claim
 * page's one statement: `{ id, raisedAt }` of the latest open hardship flag, or null. A request
 * is the resident's, not one bill's (it holds back every bill from enforcement), so every bill's
 * page shows it.
 */
export function openHelpRequestSql(residentIdCol: string): string {
  return `(SELECT json_build_object('id', v.id, 'raisedAt', v."raisedAt")
    FROM "VulnerabilityFlag" v
    WHERE v."residentId" = ${residentIdCol} AND v.kind = 'HARDSHIP' AND v."resolvedAt" IS NULL
      AND v."raisedBy" = 'resident:' || ${residentIdCol}
    ORDER BY v."raisedAt" DESC, v.id LIMIT 1)`;
}

/** Whether the resident already has an open hardship flag (the help page says so). */
export async function hasOpenHelpRequest(residentId: string): Promise<boolean> {
  const n = await db().vulnerabilityFlag.count({
    where: { residentId, kind: "HARDSHIP", resolvedAt: null, raisedBy: actorOf(residentId) },
  });
  return n > 0;
}

/**
 * The enforcement authorities the resident's open bills would go to, for the help page to name:
 * by the creditor's country and, in Norway, whether the municipality enforces the claim type
 * itself (særnamsmann), as each bill's page names it. One small read, not the bills' statements.
 */
export async function authoritiesOfOpenBills(residentId: string): Promise<string[]> {
  const rows = await db().$queryRaw<{ country: string; own: boolean }[]>`
    SELECT DISTINCT cr.country::text AS country, ct."ownEnforcement" AS own
    FROM "Claim" c
    JOIN "Creditor" cr ON cr.id = c."creditorId"
    JOIN "ClaimType" ct ON ct.id = c."claimTypeId"
    WHERE c."residentId" = ${residentId}::uuid AND c.status = 'OPEN'`;
  return [...new Set(rows.map((r) => authorityKey(r.country, r.own)))].sort();
}
