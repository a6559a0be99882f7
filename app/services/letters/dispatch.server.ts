import { todayIn, type IsoDate } from "~/domain/calendar-date";
import { chooseChannel, dispatchDeadline, type Channel } from "~/domain/letters";
import type { LawBook } from "~/domain/law-book";
import { RecipientUnreachableError, RequestRejectedError } from "~/integrations/http/errors";
import {
  letterIntegrations,
  type LetterIntegrations,
} from "~/integrations/digital-mail/configured.server";
import { renderLetterPdf } from "~/integrations/letters/pdf.server";
import { buildLetterView } from "~/integrations/letters/letter-view.server";
import { db, type Tx } from "~/infra/db.server";
import { log } from "~/infra/log.server";
import { query } from "~/infra/sql.server";
import { revealNationalId } from "../identity/residents.server";
import { loadLawBook } from "../law/legal-figures.server";
import { contactFacts, mailboxFor } from "./contacts.server";
import { letterOf, noticesForLetters, type NoticeForLetter } from "./letter-of.server";
import { markDispatched, markUndelivered } from "./notice-moves.server";

/*
 * Every pending notice goes out by the channel chosen for it, and the reason is recorded: the
 * resident's digital mailbox where the register names one (and they have not reserved
 * themselves), email where they agreed to notices by email, otherwise paper to their postal
 * address. Digital letters are sent here; email goes through the outbox (dispatched when the SMTP
 * server takes it); paper waits for the day's print batch. A notice with no way to reach the
 * resident fails at once and goes to staff. Services that are down are survived: the notice
 * waits and is tried again with back-off, and after a day on paper instead.
 */

export type DispatchSummary = {
  digital: number;
  email: number;
  print: number;
  failed: number;
  waiting: number;
};

/** A mailbox service down this long: the letter goes on paper instead of waiting longer. */
const GIVE_UP_DIGITAL_AFTER = 12;
const retryMinutes = (attempts: number) => Math.min(2 ** attempts, 120);

type Candidate = {
  id: string;
  channel: Channel | null;
  channelReason: string | null;
  attempts: number;
  timeZone: string;
  residentId: string;
  country: "SE" | "NO";
  email: string | null;
  emailNotices: boolean;
  hasAddress: boolean;
  orgNumber: string | null;
  nationalIdCipher: string;
};

/** Claims up to `limit` pending notices due for a try, leased for ten minutes. */
async function claimBatch(limit: number, creditorId: string | null): Promise<Candidate[]> {
  return db().$transaction(async (tx) =>
    query<Candidate>(
      tx,
      `WITH due AS (
         SELECT n.id FROM "Notice" n JOIN "Claim" c ON c.id = n."claimId"
         WHERE n.status = 'PENDING' AND (n.channel IS NULL OR n.channel = 'DIGITAL_MAILBOX')
           AND n."nextAttemptAt" <= now()
           AND ($2::uuid IS NULL OR c."creditorId" = $2::uuid)
         ORDER BY n."nextAttemptAt", n.id LIMIT $1 FOR UPDATE OF n SKIP LOCKED
       ),
       leased AS (
         UPDATE "Notice" n SET "nextAttemptAt" = now() + interval '10 minutes'
         FROM due WHERE n.id = due.id RETURNING n.*
       )
       SELECT l.id::text, l.channel::text, l."channelReason", l.attempts, cr."timeZone", r.id::text AS "residentId",
              r.country::text, r.email, r."emailNotices", (r."addressCipher" IS NOT NULL) AS "hasAddress",
              cr."orgNumber", r."nationalIdCipher"
       FROM leased l JOIN "Claim" c ON c.id = l."claimId"
       JOIN "Resident" r ON r.id = c."residentId" JOIN "Creditor" cr ON cr.id = c."creditorId"`,
      [limit, creditorId],
    ),
  );
}

/**
 * Sends what is pending. `asOf` is the day the letters count as sent (today in each creditor's
 * time zone, unless a replay of past days gives one).
 */
export async function dispatchLetters(
  opts: {
    asOf?: IsoDate;
    creditorId?: string | null;
    now?: Date;
    limit?: number;
    integrations?: LetterIntegrations;
  } = {},
): Promise<DispatchSummary> {
  const integrations = opts.integrations ?? letterIntegrations();
  const summary: DispatchSummary = { digital: 0, email: 0, print: 0, failed: 0, waiting: 0 };
  const law = await loadLawBook();
  const seen = new Set<string>();
  for (;;) {
    const batch = (await claimBatch(opts.limit ?? 100, opts.creditorId ?? null)).filter(
      (c) => !seen.has(c.id),
    );
    if (batch.length === 0) break;
    for (const c of batch) seen.add(c.id);
    const contacts = await contactFacts(
      undefined,
      batch.map((c) => ({
        id: c.residentId,
        country: c.country,
        nationalId: revealNationalId(c.nationalIdCipher),
        senderOrgNumber: c.orgNumber,
      })),
      integrations,
    );
    for (const c of batch) {
      const asOf = opts.asOf ?? todayIn(c.timeZone, opts.now ?? new Date());
      if (!contacts.has(c.residentId)) {
        summary.waiting += 1; // the register did not answer: tried again after the lease
        continue;
      }
      // A mailbox chosen by staff for a re-send is kept (or, where it cannot be used, the
      // letter fails and goes back to them); otherwise the channel is chosen afresh.
      const forced = isStaffChoice(c.channelReason) ? c.channel : null;
      const choice = chooseChannel({
        contact: contacts.get(c.residentId) ?? null,
        mailboxService: mailboxFor(integrations, c.country) !== null,
        emailConsent: c.emailNotices,
        email: c.email,
        hasAddress: c.hasAddress,
        forced,
      });
      const routed = forced && choice.channel ? { ...choice, why: c.channelReason! } : choice;
      await route(c, routed, asOf, law, integrations, summary);
    }
  }
  return summary;
}

async function route(
  c: Candidate,
  choice: ReturnType<typeof chooseChannel>,
  asOf: IsoDate,
  law: LawBook,
  integrations: LetterIntegrations,
  summary: DispatchSummary,
) {
  if (choice.channel === null) {
    await db().$transaction((tx) =>
      markUndelivered(tx, law, { noticeId: c.id, move: "fail", reason: choice.why, on: asOf }),
    );
    summary.failed += 1;
    return;
  }
  if (choice.channel === "DIGITAL_MAILBOX") {
    await sendDigital(c, choice.why, asOf, law, integrations, summary);
    return;
  }
  await db().$transaction((tx) => assignChannel(tx, c, choice.channel!, choice.why));
  summary[choice.channel === "EMAIL" ? "email" : "print"] += 1;
}

/** How the reason of a channel chosen by staff (a re-send) begins. */
export const STAFF_CHOICE = "chosen by staff";
export const isStaffChoice = (why: string | null) => !!why?.startsWith(STAFF_CHOICE);

/**
 * A pending notice's channel: email through the outbox (to `c.email`), paper to the resident's
 * address on record (kept on the notice, encrypted), or the digital mailbox (sent by the next
 * dispatch round). Also used by staff's re-send with a channel of their choosing.
 */
export async function assignChannel(
  tx: Tx,
  c: { id: string; email: string | null },
  channel: Channel,
  why: string,
) {
  await query(
    tx,
    `UPDATE "Notice" n SET channel = $2::"NoticeChannel", "channelReason" = $3,
            "addressCipher" = CASE WHEN $2 = 'PRINT' THEN r."addressCipher" END,
            "nextAttemptAt" = now()
     FROM "Claim" c JOIN "Resident" r ON r.id = c."residentId"
     WHERE n.id = $1::uuid AND c.id = n."claimId" AND n.status = 'PENDING'`,
    [c.id, channel, why],
  );
  if (channel === "EMAIL")
    await query(
      tx,
      `INSERT INTO "Outbox" (id, "noticeId", "to") VALUES (gen_random_uuid(), $1::uuid, $2)`,
      [c.id, c.email],
    );
}

async function sendDigital(
  c: Candidate,
  why: string,
  asOf: IsoDate,
  law: LawBook,
  integrations: LetterIntegrations,
  summary: DispatchSummary,
) {
  const mailbox = mailboxFor(integrations, c.country)!;
  const [notice] = await noticesForLetters(undefined, [c.id]);
  if (!notice) return;
  const deadline = deadlineOn(notice, asOf, "DIGITAL_MAILBOX");
  try {
    const letter = letterOf(notice, asOf, deadline);
    const pdf = await renderLetterPdf(letter);
    const sent = await mailbox.send({
      id: notice.id,
      recipientNationalId: revealNationalId(c.nationalIdCipher),
      title: buildLetterView(letter).title,
      language: notice.language,
      pdf,
      senderOrgNumber: notice.creditor.orgNumber ?? "",
      isDecision: !["REMINDER", "COLLECTION_NOTICE", "PAYMENT_DEMAND"].includes(notice.kind),
      print: null,
    });
    await db().$transaction((tx) =>
      markDispatched(tx, law, [
        {
          noticeId: notice.id,
          on: asOf,
          channel: "DIGITAL_MAILBOX",
          why,
          provider: sent.provider,
          providerMessageId: sent.providerMessageId,
          deliveredOn: sent.deliveredAt ? asOf : null,
        },
      ]),
    );
    summary.digital += 1;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unreachable = error instanceof RecipientUnreachableError;
    const rejected = error instanceof RequestRejectedError;
    const givenUp = !unreachable && !rejected && c.attempts + 1 >= GIVE_UP_DIGITAL_AFTER;
    if (unreachable || givenUp) {
      // The mailbox cannot take it (or has been down for hours): paper, if there is an address.
      const fallback = `paper: the digital mailbox ${unreachable ? "could not take it" : "was unavailable"} (${message.slice(0, 120)})`;
      if (c.hasAddress) {
        await db().$transaction((tx) => assignChannel(tx, c, "PRINT", fallback));
        summary.print += 1;
      } else {
        await db().$transaction((tx) =>
          markUndelivered(tx, law, { noticeId: c.id, move: "fail", reason: fallback, on: asOf }),
        );
        summary.failed += 1;
      }
    } else if (rejected) {
      await db().$transaction((tx) =>
        markUndelivered(tx, law, { noticeId: c.id, move: "fail", reason: message, on: asOf }),
      );
      summary.failed += 1;
    } else {
      await query(
        undefined,
        `UPDATE "Notice" SET attempts = attempts + 1, channel = 'DIGITAL_MAILBOX',
                "nextAttemptAt" = now() + make_interval(mins => $2)
         WHERE id = $1::uuid AND status = 'PENDING'`,
        [c.id, retryMinutes(c.attempts + 1)],
      );
      log.warn("digital mailbox unavailable; letter waits", { noticeId: c.id, error: message });
      summary.waiting += 1;
    }
  }
}

/** The deadline a notice will give if it leaves on `asOf` by `channel` (none for most decisions). */
export function deadlineOn(
  notice: NoticeForLetter,
  asOf: IsoDate,
  channel: Channel,
): IsoDate | null {
  if (notice.deadlineDays === null) return null;
  return dispatchDeadline({
    dispatchedOn: asOf,
    deadlineDays: notice.deadlineDays,
    channel,
    postalDays: notice.postalDays,
    country: notice.country,
  });
}
