import type { IsoDate } from "~/domain/calendar-date";
import { decisionOf, statementOf, type ClaimSnapshot, type WriteOffRecord } from "~/domain/claim";
import type { ClaimStatement } from "~/domain/claim-statement";
import type { LawBook } from "~/domain/law-book";
import { smallBalanceOf, type SmallBalance } from "~/domain/write-off";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { applyClaimMove, SYSTEM, type Actor } from "../claims/claim-writer.server";
import { writeDecisionNotice } from "../letters/decision-notices.server";

/*
 * Writing off what is left of a claim (issue 16, docs/decisions/0106): by the engine, when the
 * creditor's policy says so, or by a supervisor. Either way one move of the claim's table
 * (`write_off`, event `claim.written_off` with the amount), a letter to the resident ("what was
 * left was written off; you owe nothing more") and the claim's write-off task, if any, done: all in
 * the caller's transaction.
 */

/** The queue task's source key: one per claim and day its balance became small. */
export const writeOffTaskKey = (claimId: string, since: IsoDate) => `write-off:${claimId}:${since}`;

/** The reason the engine records: the policy's rule, in the office's words. */
export const POLICY_REASON = "Small balance written off by the creditor's write-off policy";

/**
 * What is left is small and its day has come: written off or queued by the sweep today. Only when
 * the engine's own decision says so, so every hold (a payment on its way, a plan, an objection)
 * and every letter still on its way stops it first.
 */
export function dueWriteOff(claim: ClaimSnapshot, law: LawBook, asOf: IsoDate): DueWriteOff | null {
  let known: ClaimStatement | undefined;
  const statement = () => (known ??= statementOf(claim, law, asOf));
  const small = smallBalanceOf(claim, () => statement().balance);
  if (!small || small.on > asOf) return null;
  const decision = decisionOf(claim, statement, law, asOf);
  const waiting =
    decision.kind === "stop" &&
    (decision.reason === "awaiting_write_off" || decision.reason === "awaiting_write_off_review");
  return waiting ? { ...small, allocations: splitOf(statement().balance) } : null;
}

/** A small balance due, with what of it is principal, fees and interest. */
export type DueWriteOff = SmallBalance & { allocations: WriteOffRecord["allocations"] };

/** What is left by category, as a write-off records it (decision 0106). */
export function splitOf(balance: ClaimStatement["balance"]): WriteOffRecord["allocations"] {
  return { principal: balance.principal, costs: balance.fees, interest: balance.interest };
}

export async function writeOffClaim(
  conn: Conn,
  input: {
    claim: ClaimSnapshot;
    by: Actor;
    on: IsoDate;
    reason: string;
    amount: number;
    /** What of the amount is principal, fees ("costs") and interest. */
    allocations: WriteOffRecord["allocations"];
    publicUrl: string;
  },
): Promise<void> {
  const { claim, by, on } = input;
  // The write-off as made, fixed: a refund afterwards reopens what it restores (decision 0106).
  const record: WriteOffRecord = { on, amount: input.amount, allocations: input.allocations };
  await query(
    conn,
    `UPDATE "Claim" SET "writeOffs" = "writeOffs" || jsonb_build_array($2::jsonb) WHERE id = $1::uuid`,
    [claim.id, JSON.stringify(record)],
  );
  await applyClaimMove(
    conn,
    {
      claim,
      move: "write_off",
      by,
      on,
      reason: input.reason,
      data: { amount: input.amount },
    },
    null,
  );
  await writeDecisionNotice(conn, {
    claim,
    kind: "CLAIM_WRITTEN_OFF",
    on,
    // The resident is told what was left; the office's reason stays in the office.
    message: null,
    by: by.role,
    publicUrl: input.publicUrl,
  });
  await query(
    conn,
    `UPDATE "StaffTask" SET status = 'DONE', "doneAt" = now()
     WHERE "claimId" = $1::uuid AND kind = 'WRITE_OFF' AND status = 'OPEN'`,
    [claim.id],
  );
}

/**
 * The sweep's part, for the claims of one batch whose small balance is due: auto mode writes each
 * off; queue mode puts it in the staff queue once (the task's source key is the claim, so a second
 * sweep adds nothing) and the claim waits for staff (the caller clears its next action).
 */
export async function applyDueWriteOffs(
  conn: Conn,
  due: { claim: ClaimSnapshot; small: DueWriteOff }[],
  asOf: IsoDate,
  publicUrl: string,
): Promise<{ writtenOff: number; queued: number }> {
  let writtenOff = 0;
  let queued = 0;
  for (const { claim, small } of due) {
    if (small.mode === "auto") {
      await writeOffClaim(conn, {
        claim,
        by: SYSTEM,
        on: asOf,
        reason: POLICY_REASON,
        amount: small.amount,
        allocations: small.allocations,
        publicUrl,
      });
      writtenOff++;
      continue;
    }
    // One task per small balance (the day it became small is in its key): a balance staff
    // answered "keep collecting" and that was lowered again is a new one; never two open at once.
    const rows = await query<{ id: string }>(
      conn,
      `INSERT INTO "StaffTask" (id, kind, "creditorId", "claimId", "sourceKey", data)
       SELECT gen_random_uuid(), 'WRITE_OFF', $1::uuid, $2::uuid, $3, $4::jsonb
       WHERE NOT EXISTS (SELECT 1 FROM "StaffTask" t WHERE t."claimId" = $2::uuid
                         AND t.kind = 'WRITE_OFF' AND t.status = 'OPEN')
       ON CONFLICT ("sourceKey") DO NOTHING RETURNING id::text`,
      [
        claim.creditorId,
        claim.id,
        writeOffTaskKey(claim.id, small.since),
        JSON.stringify({ amount: small.amount, since: small.since }),
      ],
    );
    if (rows.length > 0) queued++;
  }
  return { writtenOff, queued };
}
