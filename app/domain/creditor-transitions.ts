import { defineMachine } from "./state-machine";

/**
 * A creditor's life as a tenant: active, or merged into another creditor (decision 0107), after
 * which it is a tombstone (its name on the letters it sent, its reference prefix taken).
 */
export const CREDITOR_MACHINE = defineMachine({
  name: "creditor",
  states: ["ACTIVE", "MERGED"] as const,
  moves: {
    merge: {
      from: ["ACTIVE"],
      to: "MERGED",
      event: "creditor.merged",
      by: ["operator", "admin"],
      reason: false,
      means:
        "Merged into another creditor of the same country and currency: everything of it moves there in one transaction.",
    },
  },
});
