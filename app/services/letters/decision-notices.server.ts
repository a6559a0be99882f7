import { randomUUID } from "node:crypto";
import type { IsoDate } from "~/domain/calendar-date";
import { residentLanguage, type ClaimSnapshot } from "~/domain/claim";
import { NOTICE_MACHINE } from "~/domain/notice-transitions";
import { checkMove, type Role } from "~/domain/state-machine";
import type { DECISION_KINDS } from "~/integrations/letters/letter-content";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";

/*
 * Decisions a resident must hear of are notices too (issue 14): an objection received and
 * decided, a plan granted, refused, offered, changed, ended or completed, a plan's instalment
 * missed, a request for help received, a claim sent to enforcement. Each is written pending in the decision's own
 * transaction and goes the same way as any notice (mailbox, email with consent, or paper); it is
 * listed on the claim page and opens as its letter.
 */

export type DecisionKind = (typeof DECISION_KINDS)[number];

/** What a decision letter says, frozen when written. */
export type DecisionContent = {
  decision: true;
  kind: DecisionKind;
  country: "SE" | "NO";
  language: string;
  description: string;
  claimTypeName: string;
  currency: string;
  /** The staff member's own words (a reason, the changes in an offer). */
  message: string | null;
  /** A day the letter names (a fresh deadline after a rejected objection, an answer by). */
  deadline: IsoDate | null;
  plan: {
    instalments: { dueOn: string; amount: number }[];
    total: number;
    currency: string;
  } | null;
  /**
   * What the letter asks the resident to pay, and the reference to pay it with (a plan's next
   * instalment, with the plan's reference). Absent in letters written before it existed.
   */
  payment?: { amount: number; reference: string } | null;
  claimUrl: string;
};

export type DecisionNotice = {
  claim: Pick<
    ClaimSnapshot,
    "id" | "description" | "currency" | "creditor" | "claimType" | "resident"
  >;
  kind: DecisionKind;
  on: IsoDate;
  message?: string | null;
  deadline?: IsoDate | null;
  plan?: DecisionContent["plan"];
  payment?: DecisionContent["payment"];
  planId?: string | null;
  by?: Role;
  publicUrl: string;
};

/** Writes decision letters, pending; returns their ids. */
export async function writeDecisionNotices(
  conn: Conn,
  notices: DecisionNotice[],
): Promise<string[]> {
  if (notices.length === 0) return [];
  const rows = notices.map((n) => {
    checkMove(NOTICE_MACHINE, null, "write", n.by ?? "system");
    const language = residentLanguage(n.claim as ClaimSnapshot);
    const content: DecisionContent = {
      decision: true,
      kind: n.kind,
      country: n.claim.creditor.country,
      language,
      description: n.claim.description,
      claimTypeName: n.claim.claimType.names[language] ?? n.claim.claimType.name,
      currency: n.claim.currency,
      message: n.message ?? null,
      deadline: n.deadline ?? null,
      plan: n.plan ?? null,
      payment: n.payment ?? null,
      claimUrl: new URL(`/claims/${n.claim.id}`, n.publicUrl).toString(),
    };
    return {
      id: randomUUID(),
      claim: n.claim.id,
      plan: n.planId ?? null,
      kind: n.kind,
      on: n.on,
      language,
      content,
    };
  });
  await query(
    conn,
    `INSERT INTO "Notice" (id, "claimId", "planId", kind, "sentOn", language, content)
     SELECT id, claim, plan, kind::"NoticeKind", "on", language, content
     FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, claim uuid, plan uuid, kind text, "on" date,
                                             language text, content jsonb)`,
    [JSON.stringify(rows)],
  );
  return rows.map((r) => r.id);
}

export function writeDecisionNotice(conn: Conn, notice: DecisionNotice): Promise<string[]> {
  return writeDecisionNotices(conn, [notice]);
}
