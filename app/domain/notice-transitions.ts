import { defineMachine, STAFF_ROLES } from "./state-machine";

/**
 * A notice's life: written, handed to a mailbox, the print house or the SMTP server, then
 * delivered, or failed or returned. A failed or returned notice is sent again by staff as a new
 * notice (to a corrected address or by another channel); the old one is then RESENT.
 */
export const NOTICE_MACHINE = defineMachine({
  name: "notice",
  states: ["PENDING", "DISPATCHED", "DELIVERED", "FAILED", "RETURNED", "RESENT"] as const,
  moves: {
    write: {
      from: [],
      to: "PENDING",
      event: null,
      by: ["system", ...STAFF_ROLES],
      reason: false,
      means: "A step or a decision writes a letter; nothing counts from it until it leaves.",
    },
    dispatch: {
      from: ["PENDING"],
      to: "DISPATCHED",
      event: "notice.dispatched",
      by: ["system"],
      reason: false,
      means:
        "Handed to the mailbox, the print house or the SMTP server: its fee and deadline count from today.",
    },
    deliver: {
      from: ["DISPATCHED"],
      to: "DELIVERED",
      event: "notice.delivered",
      by: ["system"],
      reason: false,
      means: "The mailbox or the print service confirms delivery.",
    },
    read: {
      from: ["DELIVERED"],
      to: "same",
      event: "notice.read",
      by: ["system"],
      reason: false,
      means: "The resident opened it in their digital mailbox.",
    },
    fail: {
      from: ["PENDING", "DISPATCHED"],
      to: "FAILED",
      event: "notice.failed",
      by: ["system"],
      reason: true,
      means:
        "It could not be sent or was refused (no way to reach the resident, a bounce): the claim stops.",
    },
    return: {
      from: ["DISPATCHED", "DELIVERED"],
      to: "RETURNED",
      event: "notice.returned",
      by: ["system", ...STAFF_ROLES],
      reason: true,
      means: "It came back (unknown address): the claim stops until it is sent again.",
    },
    resend: {
      from: ["FAILED", "RETURNED"],
      to: "RESENT",
      event: "notice.resent",
      by: STAFF_ROLES,
      reason: true,
      means:
        "Staff send it again, to a corrected address or by another channel, with a fresh deadline.",
    },
  },
});

/** A notice the claim waits for: not yet sent, or not arrived and not yet sent again. */
export const BLOCKING_NOTICE_STATUSES = ["PENDING", "FAILED", "RETURNED"] as const;
