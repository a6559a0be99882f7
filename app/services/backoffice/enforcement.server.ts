import { randomUUID } from "node:crypto";
import { todayIn, type IsoDate } from "~/domain/calendar-date";
import {
  activeHoldsOf,
  claimAfter,
  lettersOf,
  residentLanguage,
  statementOf,
} from "~/domain/claim";
import { moveClaim } from "~/domain/claim-transitions";
import { freshDeadlineDays, SENT_BACK_PREFIX } from "~/domain/escalation";
import { db } from "~/infra/db.server";
import { applyClaimMove, type Actor } from "../claims/claim-writer.server";
import { loadClaim, type Loaded } from "../claims/load-claims.server";
import { refreshNextActions } from "../claims/next-action.server";
import { recordEvent } from "../events/events.server";
import { loadLawBook, type LawBook } from "../law/legal-figures.server";
import { noticeContent } from "../letters/notice-content.server";
import { staffActor, type StaffContext } from "./queues.server";
import { reasonGiven } from "~/domain/reason-limits";

export type ApprovalRefusal =
  | "not_found"
  | "role"
  | "not_ready"
  | "held"
  | "open_dispute"
  | "below_minimum"
  | "only_costs"
  | "vulnerable"
  | "letter_not_sent"
  | "already_approved";

const APPROVERS = new Set(["SUPERVISOR", "ADMIN"]);

export const APPROVER_ROLES: ReadonlySet<string> = APPROVERS;

/** How many of the claim's objections are still open: an SQL expression over the claim row `c`. */
export const OPEN_DISPUTES = `(SELECT count(*)::int FROM "Dispute" d
  WHERE d."claimId" = c.id AND d.status IN ('OPEN', 'INFO_REQUESTED', 'INFO_PROVIDED'))`;

/** One safeguard that filing re-checks, and how it stands for one claim today. */
export type FilingCheck =
  | {
      check: "letters";
      ok: boolean;
      refusal: "letter_not_sent" | null;
      waiting: number;
      undelivered: number;
    }
  | { check: "hold"; ok: boolean; refusal: "held" | null; holds: number }
  | { check: "dispute"; ok: boolean; refusal: "open_dispute" | null; disputes: number }
  | {
      check: "minimum";
      ok: boolean;
      refusal: "below_minimum" | "only_costs" | null;
      principal: number;
      minimum: number;
    }
  | { check: "vulnerable"; ok: boolean; refusal: "vulnerable" | null };

/**
 * Each safeguard filing a claim today re-checks, whatever its stage, with its outcome: no pause,
 * no open objection, a principal at or above the policy's minimum (and some principal at all:
 * not only fees left), no unresolved vulnerability flag, every letter the claim's fees and
 * deadlines stand on sent and none failed or returned (safeguards 1, 3, 4 and 5). The approval
 * form lists them; approval and every export batch refuse on the ones not met.
 */
export function filingChecks(
  claim: Loaded<"openDisputes">,
  law: LawBook,
  today: IsoDate,
): FilingCheck[] {
  const holds = activeHoldsOf(claim, today).length;
  const disputes = claim.extra.openDisputes as number;
  const principal = statementOf(claim, law, today).balance.principal;
  const minimum = claim.policy.enforcementMinimum;
  const lowRefusal =
    principal <= 0
      ? ("only_costs" as const)
      : principal < minimum
        ? ("below_minimum" as const)
        : null;
  const vulnerable = claim.resident.vulnerable;
  const letters = lettersOf(claim);
  const lettersOk = letters.waiting + letters.undelivered === 0;
  return [
    { check: "hold", ok: holds === 0, refusal: holds > 0 ? "held" : null, holds },
    {
      check: "dispute",
      ok: disputes === 0,
      refusal: disputes > 0 ? "open_dispute" : null,
      disputes,
    },
    { check: "minimum", ok: lowRefusal === null, refusal: lowRefusal, principal, minimum },
    { check: "vulnerable", ok: !vulnerable, refusal: vulnerable ? "vulnerable" : null },
    {
      check: "letters",
      ok: lettersOk,
      refusal: lettersOk ? null : "letter_not_sent",
      waiting: letters.waiting,
      undelivered: letters.undelivered,
    },
  ];
}

/** What stands in the way of filing a claim today: the refusals of the checks not met. */
export function filingObstacles(
  claim: Loaded<"openDisputes">,
  law: LawBook,
  today: IsoDate,
): ApprovalRefusal[] {
  return filingChecks(claim, law, today).flatMap((c) => (c.refusal ? [c.refusal] : []));
}

/**
 * A person approves filing a claim with the enforcement authority. Everything is checked again
 * at this moment, whatever was true when the claim was queued: holds, open disputes, the
 * policy's minimum, only fees left, vulnerability flags, and a letter of the claim not yet sent,
 * failed or returned. Agents cannot approve.
 */
export async function approveEnforcement(
  staff: StaffContext,
  claimId: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; reasons: ApprovalRefusal[] }> {
  if (!APPROVERS.has(staff.role)) return { ok: false, reasons: ["role"] };
  const law = await loadLawBook();
  return db().$transaction(async (tx) => {
    const claim = await loadClaim(
      tx,
      { creditorIds: staff.creditorIds, claimId },
      { lock: "update", extra: { openDisputes: OPEN_DISPUTES } },
    );
    if (!claim) return { ok: false as const, reasons: ["not_found" as const] };
    const today = todayIn(claim.creditor.timeZone, now);
    const reasons: ApprovalRefusal[] = [];
    if (claim.status === "OPEN" && claim.stage === "ENFORCEMENT_APPROVED")
      reasons.push("already_approved");
    else if (claim.status !== "OPEN" || claim.stage !== "READY_FOR_ENFORCEMENT")
      reasons.push("not_ready");
    reasons.push(...filingObstacles(claim, law, today));
    const by = staffActor(staff);
    if (reasons.length > 0) {
      await recordEvent(tx, {
        type: "enforcement.refused",
        claimId: claim.id,
        residentId: claim.residentId,
        creditorId: claim.creditorId,
        actor: by.id,
        on: today,
        data: { reasons },
      });
      return { ok: false as const, reasons };
    }
    await tx.enforcementFiling.create({ data: { claimId: claim.id, approvedBy: staff.staffId } });
    await applyClaimMove(tx, { claim, move: "approve_enforcement", by, on: today }, null);
    return { ok: true as const };
  });
}

/**
 * Takes a claim out of the enforcement queue (a correction, with a reason): back to the last rung
 * it reached, with a fresh deadline and a notice of it; an approval is withdrawn. If it is still
 * unpaid when that deadline has passed, the engine queues it again for a person to decide.
 */
export async function sendBackFromEnforcement(
  staff: StaffContext,
  claimId: string,
  reason: string,
  now: Date,
  publicUrl = process.env.PUBLIC_URL ?? "http://localhost:3000",
) {
  if (!reasonGiven(reason)) return { ok: false as const, error: "reason_required" };
  const law = await loadLawBook();
  return db().$transaction(async (tx) => {
    const claim = await loadClaim(
      tx,
      { creditorIds: staff.creditorIds, claimId },
      { lock: "update" },
    );
    if (
      !claim ||
      claim.status !== "OPEN" ||
      (claim.stage !== "READY_FOR_ENFORCEMENT" && claim.stage !== "ENFORCEMENT_APPROVED")
    )
      return { ok: false as const, error: "not_found" };
    const today = todayIn(claim.creditor.timeZone, now);
    const by: Actor = staffActor(staff);
    const to = moveClaim(claim, "send_back", by.role, reason);
    const country = claim.creditor.country;
    const deadlineDays = freshDeadlineDays(claim.policy, law.figures(country, today));
    const round = claim.steps.filter((s) => s.key.startsWith(SENT_BACK_PREFIX)).length + 1;
    // The fresh deadline counts from the day its notice leaves (set then, as for every notice).
    const step = {
      id: randomUUID(),
      key: `${SENT_BACK_PREFIX}${round}`,
      takenOn: today,
      deadline: null,
    };
    const noticeId = randomUUID();
    const after = claimAfter(claim, { ...to, on: today, step });
    await tx.enforcementFiling.deleteMany({ where: { claimId: claim.id, exportId: null } });
    await applyClaimMove(tx, {
      claim,
      move: "send_back",
      by,
      on: today,
      reason,
      data: { toStage: to.stage, deadlineDays },
      step,
      notice: {
        id: noticeId,
        kind: "FRESH_DEADLINE",
        deadlineDays,
        language: residentLanguage(claim),
        content: noticeContent({
          row: after,
          statement: statementOf(after, law, today),
          kind: "FRESH_DEADLINE",
          sentOn: today,
          deadline: null,
          fee: null,
          publicUrl,
        }),
      },
    });
    await refreshNextActions(tx, [claim.id], law, today);
    return { ok: true as const };
  });
}
