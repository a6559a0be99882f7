import { CLAIM_STAGES, type ClaimStage, type ClaimStatus } from "./claim-stages";
import {
  APPROVERS,
  checkMove,
  defineMachine,
  ROLES,
  STAFF_ROLES,
  type Role,
} from "./state-machine";

/*
 * Where a claim may go, who may move it, and whether they must say why: the one table every
 * change of a claim's stage or status is checked against (app/services/claims/claim-writer.server.ts
 * is the only code that writes them). docs/architecture.md draws it (`npm run docs:transitions`).
 */

/** Where a claim is: its stage while it is open, or how it was closed. */
export const CLAIM_PLACES = [...CLAIM_STAGES, "PAID", "CANCELLED", "WRITTEN_OFF"] as const;
export type ClaimPlace = (typeof CLAIM_PLACES)[number];

/** The rungs before the enforcement queue. */
export const LADDER = ["INVOICED", "REMINDER", "COLLECTION_NOTICE", "PAYMENT_DEMAND"] as const;
const BEFORE_FILING = [...LADDER, "READY_FOR_ENFORCEMENT", "ENFORCEMENT_APPROVED"] as const;
const OPEN = CLAIM_STAGES;

export const CLAIM_MACHINE = defineMachine<ClaimPlace, ClaimMove>({
  name: "claim",
  states: CLAIM_PLACES,
  moves: {
    receive: {
      from: [],
      to: "INVOICED",
      event: "claim.received",
      // Supervisors and admins import a creditor's claims file in the back office.
      by: ["creditor", "operator", "system", "supervisor", "admin"],
      reason: false,
      means: "A creditor hands over an unpaid invoice (one, a batch, or a file).",
    },
    send_reminder: {
      from: ["INVOICED"],
      to: "REMINDER",
      event: "reminder.sent",
      by: ["system"],
      reason: false,
      means: "The engine sends a reminder (with its fee, if the policy charges one).",
    },
    send_collection_notice: {
      from: ["INVOICED", "REMINDER"],
      to: "COLLECTION_NOTICE",
      event: "collection_notice.sent",
      by: ["system"],
      reason: false,
      means: "The engine sends a collection notice (inkassokrav / inkassovarsel).",
    },
    send_payment_demand: {
      from: ["INVOICED", "REMINDER", "COLLECTION_NOTICE"],
      to: "PAYMENT_DEMAND",
      event: "payment_demand.sent",
      by: ["system"],
      reason: false,
      means: "The engine sends a payment demand (betalingsoppfordring).",
    },
    queue_for_enforcement: {
      from: LADDER,
      to: "READY_FOR_ENFORCEMENT",
      event: "enforcement.queued",
      by: ["system"],
      reason: false,
      means: "The claim waits for a person's decision on enforcement; nothing is filed by itself.",
    },
    renew_deadline: {
      from: BEFORE_FILING,
      to: "same",
      event: "deadline.renewed",
      by: ["system"],
      reason: false,
      means: "After a pause ends, the resident gets a fresh deadline before anything else.",
    },
    approve_enforcement: {
      from: ["READY_FOR_ENFORCEMENT"],
      to: "ENFORCEMENT_APPROVED",
      event: "enforcement.approved",
      by: APPROVERS,
      reason: false,
      means: "A supervisor approves filing, after every safeguard is checked again.",
    },
    send_back: {
      from: ["READY_FOR_ENFORCEMENT", "ENFORCEMENT_APPROVED"],
      to: "back",
      event: "enforcement.sent_back",
      by: STAFF_ROLES,
      reason: true,
      correction: true,
      means:
        "Staff take the claim out of the enforcement queue: back to its last rung, with a fresh deadline.",
    },
    export_for_enforcement: {
      from: ["ENFORCEMENT_APPROVED"],
      to: "ENFORCEMENT_EXPORTED",
      event: "enforcement.exported",
      by: APPROVERS,
      reason: false,
      means:
        "The approved claim goes in an export batch, stored with its checksum, for the enforcement authority.",
    },
    file: {
      from: ["ENFORCEMENT_EXPORTED"],
      to: "FILED",
      event: "enforcement.filed",
      by: APPROVERS,
      reason: false,
      means:
        "Staff record the authority's receipt or case number of the claim's batch: the claim is filed.",
    },
    undo_export: {
      from: ["ENFORCEMENT_EXPORTED"],
      to: "ENFORCEMENT_APPROVED",
      event: "enforcement.export_undone",
      by: APPROVERS,
      reason: true,
      correction: true,
      means:
        "Staff undo the claim's batch (the authority did not get it, or it was wrong): approved again, for the next batch.",
    },
    pay_in_full: {
      from: OPEN,
      to: "PAID",
      event: "claim.paid",
      by: ROLES,
      reason: false,
      means: "A payment leaves nothing owing: the claim closes and leaves every queue.",
    },
    reopen: {
      from: ["PAID", "WRITTEN_OFF"],
      to: "back",
      event: "claim.reopened",
      by: ["system", ...STAFF_ROLES],
      reason: true,
      correction: true,
      means:
        "A refund leaves money owing again: the claim reopens where it stood (after a write-off, for what the refund restored only).",
    },
    cancel: {
      from: OPEN,
      to: "CANCELLED",
      event: "claim.cancelled",
      by: STAFF_ROLES,
      reason: true,
      means: "The claim was wrong (an objection upheld): cancelled, never deleted.",
    },
    cancel_fee: {
      from: OPEN,
      to: "same",
      event: "charge.cancelled",
      by: STAFF_ROLES,
      reason: true,
      correction: true,
      means: "One fee was wrong (an objection to it upheld): it is cancelled, the claim stays.",
    },
    write_off: {
      from: OPEN,
      to: "WRITTEN_OFF",
      event: "claim.written_off",
      by: ["system", ...APPROVERS],
      reason: true,
      means: "What is left is not worth collecting, or may not be collected: written off.",
    },
    keep_collecting: {
      from: [
        "INVOICED",
        "REMINDER",
        "COLLECTION_NOTICE",
        "PAYMENT_DEMAND",
        "READY_FOR_ENFORCEMENT",
      ],
      to: "same",
      event: "claim.write_off_declined",
      by: APPROVERS,
      reason: true,
      means:
        'Staff answer a queued small balance with "keep collecting": its steps go on; it is queued again only once the balance is lowered again.',
    },
    write_off_fee: {
      from: OPEN,
      to: "same",
      event: "charge.written_off",
      by: ["system", ...APPROVERS],
      reason: true,
      correction: true,
      means:
        "One fee is not worth collecting: written off (owed by no one, never paid); the claim stays.",
    },
  },
});

export type ClaimMove =
  | "receive"
  | "send_reminder"
  | "send_collection_notice"
  | "send_payment_demand"
  | "queue_for_enforcement"
  | "renew_deadline"
  | "approve_enforcement"
  | "send_back"
  | "export_for_enforcement"
  | "file"
  | "undo_export"
  | "pay_in_full"
  | "reopen"
  | "cancel"
  | "cancel_fee"
  | "write_off"
  | "keep_collecting"
  | "write_off_fee";

export const CLAIM_MOVES = Object.keys(CLAIM_MACHINE.moves) as ClaimMove[];

/** The ladder step each stage is reached by (the sweep's moves). */
export const STEP_MOVES: Record<
  "REMINDER" | "COLLECTION_NOTICE" | "PAYMENT_DEMAND" | "READY_FOR_ENFORCEMENT",
  ClaimMove
> = {
  REMINDER: "send_reminder",
  COLLECTION_NOTICE: "send_collection_notice",
  PAYMENT_DEMAND: "send_payment_demand",
  READY_FOR_ENFORCEMENT: "queue_for_enforcement",
};

export type ClaimState = { status: ClaimStatus; stage: ClaimStage };

/** The event a claim move writes: every move of a claim writes one. */
export function claimEvent(move: ClaimMove): string {
  const event = CLAIM_MACHINE.moves[move].event;
  if (!event) throw new Error(`claim move ${move} has no event`);
  return event;
}

export function placeOf(state: ClaimState): ClaimPlace {
  return state.status === "OPEN" ? state.stage : state.status;
}

/** The last rung the claim reached before the enforcement queue, from the steps it took. */
export function stageBeforeEnforcement(steps: readonly { key: string }[]): ClaimStage {
  let stage: ClaimStage = "INVOICED";
  for (const s of steps) {
    const rung = s.key.split("#")[0] as ClaimStage;
    if ((LADDER as readonly string[]).includes(rung)) stage = rung;
  }
  return stage;
}

/**
 * A move on a claim checked against the table: the claim's status and stage after it, and the
 * event it writes. Throws IllegalMoveError when the table does not allow it.
 */
export function moveClaim(
  claim: ClaimState & { steps: readonly { key: string }[] },
  move: ClaimMove,
  role: Role,
  reason?: string | null,
): ClaimState & { event: string } {
  const from = placeOf(claim);
  const to = checkMove(CLAIM_MACHINE, from, move, role, reason, (place) =>
    place === "PAID" || place === "WRITTEN_OFF" ? claim.stage : stageBeforeEnforcement(claim.steps),
  );
  const event = claimEvent(move);
  if ((CLAIM_STAGES as readonly string[]).includes(to))
    return { status: "OPEN", stage: to as ClaimStage, event };
  return { status: to as ClaimStatus, stage: claim.stage, event };
}

/** A claim created by `receive`. */
export function receivedClaim(role: Role): ClaimState & { event: string } {
  checkMove(CLAIM_MACHINE, null, "receive", role);
  return { status: "OPEN", stage: "INVOICED", event: claimEvent("receive") };
}
