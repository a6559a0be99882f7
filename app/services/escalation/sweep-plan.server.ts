import { newRowId } from "~/infra/row-ids.server";
import type { IsoDate } from "~/domain/calendar-date";
import {
  claimAfter,
  decisionOf,
  nextActionOn,
  residentLanguage,
  statementOf,
  type ClaimSnapshot,
} from "~/domain/claim";
import { claimEvent, moveClaim, STEP_MOVES, type ClaimMove } from "~/domain/claim-transitions";
import { stepKey, type Action, type Decision } from "~/domain/escalation";
import type { LawBook } from "~/domain/law-book";
import { legalBasisFor } from "~/domain/legal-basis";
import type { NoticeKind } from "~/integrations/mail/notice-content";
import { SYSTEM, type ClaimMoveRequest } from "../claims/claim-writer.server";
import { noticeContent } from "../letters/notice-content.server";

// A claim never takes more steps than this in one sweep; two ended holds is the most seen.
const MAX_ACTIONS_PER_CLAIM = 4;

const NOTICE_KIND: Record<string, NoticeKind> = {
  REMINDER: "REMINDER",
  COLLECTION_NOTICE: "COLLECTION_NOTICE",
  PAYMENT_DEMAND: "PAYMENT_DEMAND",
};

/** The move of the claim transition table that an action of the evaluator is. */
export function moveOf(action: Action): ClaimMove {
  return action.type === "fresh_deadline" ? "renew_deadline" : STEP_MOVES[action.stage];
}

export type SweepPlan = {
  /** The decision on the claim as it was loaded. */
  first: Decision;
  /** The actions taken, in order, and the moves that write them. */
  actions: Action[];
  moves: ClaimMoveRequest[];
  /** When the engine must look at the claim again, after these moves. */
  nextOn: IsoDate | null;
};

/**
 * Decides every step due for one claim on `asOf`, in order, without writing anything (decide,
 * then apply): each action of the evaluator becomes a move of the claim transition table, with
 * its step, fee and notice; the next decision is made on the claim as that move leaves it.
 */
export function planSweep(
  claim: ClaimSnapshot,
  law: LawBook,
  asOf: IsoDate,
  publicUrl: string,
): SweepPlan {
  const actions: Action[] = [];
  const moves: ClaimMoveRequest[] = [];
  let current = claim;
  // Before the first step the balance matters only to a step to enforcement: computed lazily.
  let decision: Decision = decisionOf(current, () => statementOf(claim, law, asOf), law, asOf);
  const first = decision;
  while (decision.kind === "act" && actions.length < MAX_ACTIONS_PER_CLAIM) {
    const action = decision.action;
    const move = moveOf(action);
    const to = moveClaim(current, move, "system");
    const event = claimEvent(move);
    const notifies = action.type === "fresh_deadline" || action.notice;
    // A step's deadline counts from the day its notice leaves: it is set then (letters service).
    const step = {
      id: newRowId(),
      key: stepKey(action),
      takenOn: asOf,
      deadline: notifies ? null : action.deadline,
    };
    const fee = action.type === "step" ? action.fee : null;
    const country = claim.creditor.country;
    const charge = fee
      ? {
          id: newRowId(),
          kind: fee.kind,
          amount: fee.amount,
          legalBasis: legalBasisFor(country, fee.kind) ?? "unknown",
          causeType: event,
        }
      : undefined;
    const kind = action.type === "step" ? NOTICE_KIND[action.stage]! : "FRESH_DEADLINE";
    const notice = notifies
      ? {
          id: newRowId(),
          kind,
          status: "PENDING" as const,
          stepId: step.id,
          channel: null,
          dispatchedOn: null,
          deadline: null,
          deadlineDays: action.deadlineDays,
        }
      : undefined;
    const after = claimAfter(current, { ...to, on: asOf, step, charge, notice });
    moves.push({
      claim: current,
      move,
      by: SYSTEM,
      on: asOf,
      data: { step: step.key, deadline: null, fee },
      step,
      ...(charge ? { charge } : {}),
      ...(notice
        ? {
            notice: {
              id: notice.id,
              kind,
              deadlineDays: action.deadlineDays,
              language: residentLanguage(claim),
              // What the letter says: the claim with this step's fee as announced (it counts
              // once the letter leaves). Its date and deadline are set the day it leaves.
              content: noticeContent({
                row: after,
                statement: statementOf(
                  { ...after, charges: after.charges.map((c) => ({ ...c, pending: false })) },
                  law,
                  asOf,
                ),
                kind,
                sentOn: asOf,
                deadline: null,
                fee,
                publicUrl,
              }),
            },
          }
        : {}),
    });
    actions.push(action);
    current = after;
    // The next decision on the claim as this move leaves it (a pending letter stops it).
    decision = decisionOf(current, () => statementOf(after, law, asOf), law, asOf);
  }
  return { first, actions, moves, nextOn: nextActionOn(decision, asOf) };
}
