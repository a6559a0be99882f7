/**
 * What a notice says, frozen when it is sent (stored as Notice.content): the email is rendered
 * from this, and the resident's page shows it, so both read the same whatever changes later.
 * Amounts are integer minor units; dates are ISO calendar dates.
 */
import type { Lang } from "~/i18n/config";

export type NoticeKind = "REMINDER" | "COLLECTION_NOTICE" | "PAYMENT_DEMAND" | "FRESH_DEADLINE";

export type NoticeContent = {
  kind: NoticeKind;
  country: "SE" | "NO";
  language: Lang;
  residentName: string;
  creditorName: string;
  /** The claim type's name in the resident's language. */
  claimTypeName: string;
  description: string;
  currency: string;
  sentOn: string;
  /** Last day to pay before the next step; null for a notice that sets no deadline. */
  deadline: string | null;
  /** Every charge with its date, cause (event type) and legal basis key, plus interest so far. */
  lines: { kind: string; amount: number; date: string; causeType: string; legalBasis: string }[];
  payments: { amount: number; receivedOn: string }[];
  balance: { principal: number; fees: number; interest: number; total: number };
  /** The fee this notice adds (already among `lines`), if any. */
  fee: { kind: string; amount: number } | null;
  paymentReference: string;
  bankAccount: string;
  /** The claim's page in the portal: pay, ask for a plan, or object from there. */
  claimUrl: string;
};
