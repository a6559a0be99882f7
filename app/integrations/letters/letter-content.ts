/**
 * What a paper letter (or the PDF a resident downloads) says: plain data, no IO. Every notice
 * and every decision the resident must hear of becomes one of these, and the PDF and plain-text
 * renderers work from it alone. Amounts are integer minor units; dates are ISO calendar dates.
 */
import type { NoticeContent } from "~/integrations/mail/notice-content";

export type LetterLanguage = "sv" | "nb" | "nn" | "en";

export type PostalAddress = {
  name: string;
  /** Street, c/o, box: in the order they are written on the envelope. */
  lines: string[];
  postalCode: string;
  city: string;
  /** ISO 3166 alpha-2. */
  country: string;
};

export type LetterSender = {
  name: string;
  postalAddress: PostalAddress;
  phone: string;
  email: string | null;
  web: string;
  openingHours: string;
  bankAccount: string;
  iban: string | null;
  bic: string | null;
  orgNumber: string | null;
};

/** Claim notices carry amounts; the others are decisions a resident must hear of. */
export const CLAIM_NOTICE_KINDS = [
  "REMINDER",
  "COLLECTION_NOTICE",
  "PAYMENT_DEMAND",
  "FRESH_DEADLINE",
] as const;

export const DECISION_KINDS = [
  "DISPUTE_RECEIVED",
  "DISPUTE_INFO_REQUESTED",
  "DISPUTE_UPHELD",
  "DISPUTE_REJECTED",
  "PLAN_GRANTED",
  "PLAN_REFUSED",
  "PLAN_OFFERED",
  "PLAN_CHANGED",
  "PLAN_ENDED",
  "PLAN_COMPLETED",
  "PLAN_INSTALMENT_MISSED",
  "HELP_RECEIVED",
  "ENFORCEMENT_FILED",
  "CLAIM_WRITTEN_OFF",
] as const;

export type LetterKind = (typeof CLAIM_NOTICE_KINDS)[number] | (typeof DECISION_KINDS)[number];

export const LETTER_KINDS: readonly LetterKind[] = [...CLAIM_NOTICE_KINDS, ...DECISION_KINDS];

export type LetterContent = {
  kind: LetterKind;
  country: "SE" | "NO";
  language: LetterLanguage;
  /** The day the letter is dated: its dispatch day. */
  date: string;
  recipient: PostalAddress;
  sender: LetterSender;
  claim: {
    description: string;
    claimTypeName: string;
    externalId: string;
    currency: string;
  } | null;
  lines: { kind: string; amount: number; date: string; causeType: string; legalBasis: string }[];
  payments: { amount: number; receivedOn: string }[];
  balance: { principal: number; fees: number; interest: number; total: number } | null;
  /** The fee this letter announces (already among `lines`). */
  fee: { kind: string; amount: number } | null;
  /**
   * The interest rates behind the interest line, with the day each applied from. Norway's
   * payment demand must state the rate and its start date (inkassoloven § 10); empty when the
   * letter's source did not record them (frozen notices so far do not).
   */
  interestRates: { from: string; basisPoints: number }[];
  /** Last day to pay, or to answer (a request for information, an offered plan). */
  deadline: string | null;
  payment: {
    amount: number;
    currency: string;
    reference: string;
    referenceKind: "KID" | "OCR";
    bankAccount: string;
    iban: string | null;
    bic: string | null;
  } | null;
  /** A staff member's own words in a decision letter (reason, changes). */
  message: string | null;
  plan: {
    instalments: { dueOn: string; amount: number }[];
    total: number;
    currency: string;
  } | null;
  /** The claim's page in the portal. */
  claimUrl: string;
};

export type LetterExtras = {
  recipient: PostalAddress;
  sender: LetterSender;
  referenceKind: "KID" | "OCR";
  iban: string | null;
  bic: string | null;
  /** The dispatch day; the letter is dated this, not the day its content was frozen. */
  date: string;
  /** The creditor's own invoice number; a frozen notice does not hold it. */
  externalId?: string;
};

/**
 * A frozen notice (what the engine decided and wrote on its step) as a letter. The amounts,
 * lines, deadline and reference come from the notice unchanged: a letter never says more or less
 * than the notice it prints. Only who it goes to, who it is from and the day it is dated come
 * from the caller.
 */
export function letterFromNotice(notice: NoticeContent, extras: LetterExtras): LetterContent {
  const owes = notice.balance.total > 0;
  return {
    kind: notice.kind,
    country: notice.country,
    language: notice.language,
    date: extras.date,
    recipient: extras.recipient,
    sender: extras.sender,
    claim: {
      description: notice.description,
      claimTypeName: notice.claimTypeName,
      externalId: extras.externalId ?? "",
      currency: notice.currency,
    },
    lines: notice.lines.map((line) => ({ ...line })),
    payments: notice.payments.map((p) => ({ ...p })),
    balance: { ...notice.balance },
    fee: notice.fee ? { ...notice.fee } : null,
    interestRates: [],
    deadline: notice.deadline,
    payment: owes
      ? {
          amount: notice.balance.total,
          currency: notice.currency,
          reference: notice.paymentReference,
          referenceKind: extras.referenceKind,
          bankAccount: notice.bankAccount,
          iban: extras.iban,
          bic: extras.bic,
        }
      : null,
    message: null,
    plan: null,
    claimUrl: notice.claimUrl,
  };
}
