import { NOTICE_MACHINE } from "./notice-transitions";
import { CREDITOR_MACHINE } from "./creditor-transitions";
import { APPROVERS, defineMachine, STAFF_ROLES } from "./state-machine";

/*
 * The smaller state machines beside the claim's (app/domain/claim-transitions.ts), in the same
 * style: an objection, a payment plan, an online checkout, a payment task for staff and an
 * enforcement export batch. Each
 * service that changes one checks the move here first and writes it with the state it was
 * checked from in its WHERE clause, so two decisions at once count once.
 */

export const DISPUTE_MACHINE = defineMachine({
  name: "dispute",
  states: ["OPEN", "INFO_REQUESTED", "INFO_PROVIDED", "UPHELD", "REJECTED"] as const,
  moves: {
    file: {
      from: [],
      to: "OPEN",
      event: "dispute.filed",
      by: ["resident"],
      reason: false,
      means: "A resident objects to a bill or one fee: its collection pauses at once.",
    },
    ask: {
      from: ["OPEN", "INFO_REQUESTED", "INFO_PROVIDED"],
      to: "INFO_REQUESTED",
      event: "dispute.information_requested",
      by: STAFF_ROLES,
      reason: true,
      means: "Staff ask the resident for more information; the pause stays.",
    },
    provide_info: {
      from: ["INFO_REQUESTED"],
      to: "INFO_PROVIDED",
      event: "dispute.info_provided",
      by: ["resident"],
      reason: false,
      means: "The resident answers, with documents if they like.",
    },
    uphold: {
      from: ["OPEN", "INFO_REQUESTED", "INFO_PROVIDED"],
      to: "UPHELD",
      event: "dispute.upheld",
      by: STAFF_ROLES,
      reason: true,
      means: "The resident is right: the bill or the fee is cancelled, and they are told why.",
    },
    reject: {
      from: ["OPEN", "INFO_REQUESTED", "INFO_PROVIDED"],
      to: "REJECTED",
      event: "dispute.rejected",
      by: STAFF_ROLES,
      reason: true,
      means:
        "The bill stands: the resident is told why and gets a fresh deadline of 14 days or more.",
    },
  },
});

export const PLAN_MACHINE = defineMachine({
  name: "plan",
  states: ["REQUESTED", "OFFERED", "ACTIVE", "COMPLETED", "ENDED", "REFUSED"] as const,
  moves: {
    request: {
      from: [],
      to: "REQUESTED",
      event: "plan.requested",
      by: ["resident"],
      reason: false,
      means: "A resident asks for a plan or a deferral: the claims pause at once.",
    },
    grant: {
      from: ["REQUESTED"],
      to: "ACTIVE",
      event: "plan.granted",
      by: ["system"],
      reason: false,
      means: "Within the creditor's rules, the plan is granted at once.",
    },
    approve: {
      from: ["REQUESTED"],
      to: "ACTIVE",
      event: "plan.approved",
      by: STAFF_ROLES,
      reason: false,
      means: "Staff approve a request outside the rules, as asked.",
    },
    offer: {
      from: ["REQUESTED"],
      to: "OFFERED",
      event: "plan.offered",
      by: STAFF_ROLES,
      reason: true,
      means: "Staff offer a changed schedule for the resident to accept or decline.",
    },
    accept: {
      from: ["OFFERED"],
      to: "ACTIVE",
      event: "plan.accepted",
      by: ["resident"],
      reason: false,
      means: "The resident accepts the offered schedule.",
    },
    decline: {
      from: ["OFFERED"],
      to: "REFUSED",
      event: "plan.declined",
      by: ["resident"],
      reason: false,
      means: "The resident declines the offer: the pause ends with a fresh deadline.",
    },
    refuse: {
      from: ["REQUESTED"],
      to: "REFUSED",
      event: "plan.refused",
      by: STAFF_ROLES,
      reason: true,
      means: "Staff refuse the request: the pause ends with a fresh deadline.",
    },
    remind_missed: {
      from: ["ACTIVE"],
      to: "same",
      event: "plan.instalment_missed",
      by: ["system"],
      reason: false,
      means: "An instalment was missed: one reminder, with days of grace.",
    },
    restructure: {
      from: ["ACTIVE"],
      to: "same",
      event: "plan.restructured",
      by: STAFF_ROLES,
      reason: true,
      means: "Staff put what is owed today on a new schedule (no second fee).",
    },
    complete: {
      from: ["REQUESTED", "OFFERED", "ACTIVE"],
      to: "COMPLETED",
      event: "plan.completed",
      by: ["system"],
      reason: false,
      means:
        "Every claim of the plan is paid or closed: at once, by the payment that settles the last (a request or an offer too: nothing is left to plan).",
    },
    end: {
      from: ["ACTIVE", "OFFERED"],
      to: "ENDED",
      event: "plan.ended",
      by: ["system", ...STAFF_ROLES],
      reason: true,
      means:
        "Still unpaid after the grace days, or ended by staff: collection resumes with a fresh deadline.",
    },
  },
});

export const CHECKOUT_MACHINE = defineMachine({
  name: "checkout",
  states: ["OPEN", "PAID", "FAILED", "EXPIRED", "MISMATCH"] as const,
  moves: {
    start: {
      from: [],
      to: "OPEN",
      event: "payment.started",
      by: ["resident"],
      reason: false,
      means: "A resident confirms an online payment: the claims pause while it is pending.",
    },
    complete: {
      from: ["OPEN", "FAILED", "EXPIRED"],
      to: "PAID",
      event: "payment.received",
      by: ["system"],
      reason: false,
      means: "The provider reports the money, as asked: it is booked on the claims.",
    },
    mismatch: {
      from: ["OPEN", "FAILED", "EXPIRED"],
      to: "MISMATCH",
      event: "payment.received",
      by: ["system"],
      reason: false,
      means: "The provider reports another amount or currency: a person decides.",
    },
    fail: {
      from: ["OPEN"],
      to: "FAILED",
      event: "hold.released",
      by: ["system"],
      reason: false,
      means: "The payment failed: the pause is lifted.",
    },
    expire: {
      from: ["OPEN"],
      to: "EXPIRED",
      event: "hold.released",
      by: ["system"],
      reason: false,
      means: "The payment page expired unpaid: the pause is lifted.",
    },
  },
});

export const TASK_MACHINE = defineMachine({
  name: "payment task",
  states: ["OPEN", "DONE"] as const,
  moves: {
    raise: {
      from: [],
      to: "OPEN",
      event: null,
      by: ["system", ...STAFF_ROLES],
      reason: false,
      means: "Money the automation would not book alone waits for a person.",
    },
    resolve: {
      from: ["OPEN"],
      to: "DONE",
      event: "staff.payment_task_resolved",
      // Money nobody's creditor claims yet (unassigned) is for supervisors: the service checks.
      by: STAFF_ROLES,
      reason: true,
      means: "A person matches, accepts, refunds or returns the money, with a note.",
    },
  },
});

/**
 * An enforcement export batch: its claims move with it (export_for_enforcement, file,
 * undo_export in the claim's table), in the same transaction.
 */
export const ENFORCEMENT_EXPORT_MACHINE = defineMachine({
  name: "enforcement export",
  states: ["EXPORTED", "FILED", "UNDONE"] as const,
  moves: {
    make: {
      from: [],
      to: "EXPORTED",
      event: "enforcement_export.made",
      by: APPROVERS,
      reason: false,
      means:
        "A supervisor makes a batch of a creditor's approved claims: the file is stored with its checksum.",
    },
    record_receipt: {
      from: ["EXPORTED"],
      to: "FILED",
      event: "enforcement_export.receipt_recorded",
      by: APPROVERS,
      reason: false,
      means:
        "The authority received the file: staff record its receipt or case number, and the claims are filed.",
    },
    undo: {
      from: ["EXPORTED"],
      to: "UNDONE",
      event: "enforcement_export.undone",
      by: APPROVERS,
      reason: true,
      correction: true,
      means:
        "The file did not reach the authority, or was wrong: its claims are approved again, for another batch.",
    },
  },
});

export const OTHER_MACHINES = [
  NOTICE_MACHINE,
  DISPUTE_MACHINE,
  PLAN_MACHINE,
  CHECKOUT_MACHINE,
  TASK_MACHINE,
  ENFORCEMENT_EXPORT_MACHINE,
  CREDITOR_MACHINE,
];
