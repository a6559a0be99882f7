import type { IsoDate } from "~/domain/calendar-date";
import type { PostalAddress } from "~/domain/postal-address";
import type { NoticeContent } from "~/integrations/mail/notice-content";
import {
  CLAIM_NOTICE_KINDS,
  letterFromNotice,
  type LetterContent,
  type LetterKind,
  type LetterLanguage,
  type LetterSender,
} from "~/integrations/letters/letter-content";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { openAddress } from "../identity/residents.server";
import type { DecisionContent } from "./decision-notices.server";

/*
 * A notice as the letter it is: what it froze when it was written, dated the day it leaves (or
 * left), with its deadline, the resident's name and address for the window, and the creditor's
 * contact details. The same letter is what goes to the mailbox or the print house, what the
 * resident downloads from the claim page and what staff open from the case view. A letter that
 * left before its creditor merged into another keeps the sender it had (`Notice.letterhead`,
 * decision 0107).
 */

export type NoticeForLetter = {
  id: string;
  claimId: string;
  /** A letter about a payment plan: it belongs to every claim of the plan. */
  planId: string | null;
  kind: string;
  language: string;
  status: string;
  channel: string | null;
  channelReason: string | null;
  sentOn: IsoDate;
  dispatchedOn: IsoDate | null;
  deadline: IsoDate | null;
  deadlineDays: number | null;
  postalDays: number;
  content: NoticeContent | DecisionContent;
  noticeAddress: string | null;
  externalId: string;
  country: "SE" | "NO";
  residentName: string;
  residentAddress: string | null;
  nationalIdCipher: string;
  residentId: string;
  creditorId: string;
  creditor: {
    slug: string;
    name: string;
    timeZone: string;
    orgNumber: string | null;
    postalAddress: Partial<PostalAddress>;
    phone: string | null;
    email: string | null;
    web: string | null;
    openingHours: Record<string, string>;
    bankAccount: string;
    iban: string | null;
    bic: string | null;
  };
};

const SELECT = `
  SELECT n.id::text, n."claimId"::text, n."planId"::text, n.kind::text, n.language, n.status::text,
         n.channel::text, n."channelReason", to_char(n."sentOn", 'YYYY-MM-DD') AS "sentOn",
         to_char(n."dispatchedOn", 'YYYY-MM-DD') AS "dispatchedOn",
         to_char(n.deadline, 'YYYY-MM-DD') AS deadline, n."deadlineDays", p."postalDays",
         n.content,
         n."addressCipher" AS "noticeAddress", c."externalId", cr.country::text,
         r.name AS "residentName", r."addressCipher" AS "residentAddress", r."nationalIdCipher",
         r.id::text AS "residentId", cr.id::text AS "creditorId",
         jsonb_build_object('slug', cr.slug, 'name', cr.name, 'timeZone', cr."timeZone",
           'orgNumber', cr."orgNumber",
           'postalAddress', cr."postalAddress", 'phone', cr.phone, 'email', cr.email,
           'web', cr.web, 'openingHours', cr."openingHours", 'bankAccount', cr."bankAccount",
           'iban', cr.iban, 'bic', cr.bic)
           -- A letter that left before its creditor merged into this one: its sender then.
           || COALESCE(n.letterhead, '{}'::jsonb) AS creditor
  FROM "Notice" n
  JOIN "Claim" c ON c.id = n."claimId"
  JOIN "Creditor" cr ON cr.id = c."creditorId"
  JOIN "Resident" r ON r.id = c."residentId"
  JOIN "Policy" p ON p.id = c."policyId"`;

/** Notices with what their letters need; `scope` keeps a resident or staff to their own. */
export async function noticesForLetters(
  conn: Conn | undefined,
  ids: readonly string[],
  scope: { residentId?: string; creditorIds?: readonly string[] } = {},
): Promise<NoticeForLetter[]> {
  if (ids.length === 0) return [];
  const where = ["n.id = ANY($1::uuid[])"];
  const values: unknown[] = [ids];
  if (scope.residentId) {
    values.push(scope.residentId);
    where.push(`c."residentId" = $${values.length}::uuid`);
  }
  if (scope.creditorIds) {
    values.push(scope.creditorIds);
    where.push(`c."creditorId" = ANY($${values.length}::uuid[])`);
  }
  return query<NoticeForLetter>(
    conn,
    `${SELECT} WHERE ${where.join(" AND ")} ORDER BY n.id`,
    values,
  );
}

const REFERENCE_KIND = { NO: "KID", SE: "OCR" } as const;

function senderOf(n: NoticeForLetter, language: string): LetterSender {
  const c = n.creditor;
  const a = c.postalAddress;
  return {
    name: c.name,
    postalAddress: {
      name: c.name,
      lines: a.lines ?? [],
      postalCode: a.postalCode ?? "",
      city: a.city ?? "",
      country: a.country ?? n.country,
    },
    phone: c.phone ?? "",
    email: c.email,
    web: c.web ?? "",
    openingHours:
      c.openingHours[language] ?? c.openingHours.en ?? Object.values(c.openingHours)[0] ?? "",
    bankAccount: c.bankAccount,
    iban: c.iban,
    bic: c.bic,
    orgNumber: c.orgNumber,
  };
}

/** The address the letter goes to: the one it was printed to, else the resident's on record. */
export function recipientOf(n: NoticeForLetter) {
  const a = openAddress(n.noticeAddress) ?? openAddress(n.residentAddress);
  return {
    name: n.residentName,
    lines: a?.lines ?? [],
    postalCode: a?.postalCode ?? "",
    city: a?.city ?? "",
    country: a?.country ?? n.country,
  };
}

/**
 * The letter of a notice, dated `date` with `deadline` (the day it leaves and the deadline counted
 * from it; for a letter that has left, its own).
 */
export function letterOf(
  n: NoticeForLetter,
  date: IsoDate = n.dispatchedOn ?? n.sentOn,
  deadline: IsoDate | null = n.deadline,
): LetterContent {
  const language = n.language as LetterLanguage;
  const sender = senderOf(n, language);
  const recipient = recipientOf(n);
  if ((CLAIM_NOTICE_KINDS as readonly string[]).includes(n.kind)) {
    const content = n.content as NoticeContent;
    return letterFromNotice(
      { ...content, sentOn: date, deadline },
      {
        recipient,
        sender,
        referenceKind: REFERENCE_KIND[n.country],
        iban: sender.iban,
        bic: sender.bic,
        date,
        externalId: n.externalId,
      },
    );
  }
  const d = n.content as DecisionContent;
  return {
    kind: n.kind as LetterKind,
    country: n.country,
    language,
    date,
    recipient,
    sender,
    claim: {
      description: d.description,
      claimTypeName: d.claimTypeName,
      externalId: n.externalId,
      currency: d.currency,
    },
    lines: [],
    payments: [],
    balance: null,
    fee: null,
    interestRates: [],
    deadline: deadline ?? d.deadline ?? null,
    payment: d.payment
      ? {
          amount: d.payment.amount,
          currency: d.currency,
          reference: d.payment.reference,
          referenceKind: REFERENCE_KIND[n.country],
          bankAccount: sender.bankAccount,
          iban: sender.iban,
          bic: sender.bic,
        }
      : null,
    message: d.message,
    plan: d.plan ?? null,
    claimUrl: d.claimUrl,
  };
}
