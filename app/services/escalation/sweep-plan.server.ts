import { randomUUID } from "node:crypto";
import type { IsoDate } from "~/domain/calendar-date";
import {
  claimAfter,
  decisionOf,
  nextActionOn,
  residentLanguage,
  statementOf,
  type ClaimSnapshot,
} from "~/domain/claim";
import { CLAIM_MACHINE, moveClaim, STEP_MOVES, type ClaimMove } from "~/domain/claim-transitions";
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
    const event = CLAIM_MACHINE.moves[move].event;
    const step = {
      id: randomUUID(),
      key: stepKey(action),
      takenOn: asOf,
      deadline: action.deadline,
    };
    const fee = action.type === "step" ? action.fee : null;
    const country = claim.creditor.country;
    const charge = fee
      ? {
          id: randomUUID(),
          kind: fee.kind,
          amount: fee.amount,
          legalBasis: legalBasisFor(country, fee.kind) ?? "unknown",
          causeType: event,
        }
      : undefined;
    const after = claimAfter(current, { ...to, on: asOf, step, charge });
    // The statement after this step decides the next one and is what its notice says.
    const statement = statementOf(after, law, asOf);
    const notifies = action.type === "fresh_deadline" || action.notice;
    const kind = action.type === "step" ? NOTICE_KIND[action.stage]! : "FRESH_DEADLINE";
    moves.push({
      claim: current,
      move,
      by: SYSTEM,
      on: asOf,
      data: { step: step.key, deadline: action.deadline, fee },
      step,
      ...(charge ? { charge } : {}),
      ...(notifies
        ? {
            notice: {
              id: randomUUID(),
              kind,
              deadline: action.deadline,
              language: residentLanguage(claim),
              // A letter without an address is not delivered by this system yet (issue 14).
              channel: claim.resident.email ? "email" : "letter",
              email: claim.resident.email || null,
              content: noticeContent({
                row: after,
                statement,
                kind,
                sentOn: asOf,
                deadline: action.deadline,
                fee,
                publicUrl,
              }),
            },
          }
        : {}),
    });
    actions.push(action);
    current = after;
    decision = decisionOf(current, statement, law, asOf);
  }
  return { first, actions, moves, nextOn: nextActionOn(decision, asOf) };
}
