import { residentLanguage, type ClaimSnapshot } from "~/domain/claim";
import type { ClaimStatement } from "~/domain/claim-statement";
import type { IsoDate } from "~/domain/calendar-date";
import type { NoticeContent, NoticeKind } from "~/integrations/mail/notice-content";

// A sweep writes thousands of notices for one public URL: parse it once, not once per notice.
const claimsBase = new Map<string, string>();

/** The claim's page for the resident; `id` is a uuid, so nothing in it needs escaping. */
function claimUrl(id: string, publicUrl: string): string {
  let base = claimsBase.get(publicUrl);
  if (base === undefined) {
    base = new URL("/claims/", publicUrl).toString();
    claimsBase.set(publicUrl, base);
  }
  return base + id;
}

/** What a notice says on the day it is sent: the claim as it stands after this step's fee. */
export function noticeContent(input: {
  row: ClaimSnapshot;
  statement: ClaimStatement;
  kind: NoticeKind;
  sentOn: IsoDate;
  deadline: IsoDate | null;
  fee: { kind: string; amount: number } | null;
  publicUrl: string;
}): NoticeContent {
  const { row, statement } = input;
  const language = residentLanguage(row);
  const names = row.claimType.names;
  return {
    kind: input.kind,
    country: row.creditor.country,
    language,
    residentName: row.resident.name,
    creditorName: row.creditor.name,
    claimTypeName: names[language] ?? row.claimType.name,
    description: row.description,
    currency: row.currency,
    sentOn: input.sentOn,
    deadline: input.deadline,
    lines: statement.lines.map((l) => ({
      kind: l.kind,
      amount: l.amount,
      date: l.type === "interest" ? l.to : l.chargedOn,
      causeType: l.causeType,
      legalBasis: l.legalBasis,
    })),
    payments: statement.payments.map((p) => ({ amount: p.amount, receivedOn: p.receivedOn })),
    balance: {
      principal: statement.balance.principal,
      fees: statement.balance.fees,
      interest: statement.balance.interest,
      total: statement.balance.total,
    },
    fee: input.fee,
    paymentReference: row.paymentReference,
    bankAccount: row.creditor.bankAccount,
    claimUrl: claimUrl(row.id, input.publicUrl),
  };
}
