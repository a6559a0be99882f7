/*
 * Every change of state in Kravportal is a move in a declared table (cf. GOV.UK Pay connector's
 * PaymentGatewayStateTransitions): from which states it may be made, the state it leads to, the
 * event it writes, who may make it, and whether a reason is required. A move that is not in the
 * table is refused with a clear error, before anything is written. A deliberate correction of an
 * earlier move has a name of its own and is marked as one.
 */

/** Who makes a move: the engine, a resident, a creditor's system, the operator, or staff. */
export const ROLES = [
  "system",
  "resident",
  "creditor",
  "operator",
  "agent",
  "supervisor",
  "admin",
] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ["agent", "supervisor", "admin"] as const satisfies readonly Role[];
export const APPROVERS = ["supervisor", "admin"] as const satisfies readonly Role[];

export type MoveSpec<S extends string> = {
  /** The states the move may be made from; empty for a move that creates the subject. */
  from: readonly S[];
  /**
   * The state it leads to; "same" for a move that changes no state but writes its event; "back"
   * for a correction that returns to the state the subject came from (the caller says which).
   */
  to: S | "same" | "back";
  /**
   * The event type the move writes (app/domain/events.ts); null where the move is part of another
   * that writes its own (a notice written by a ladder step).
   */
  event: string | null;
  by: readonly Role[];
  /** A reason is required (it goes into the event and, where the resident is told, to them). */
  reason: boolean;
  /** A deliberate correction of an earlier move. */
  correction?: boolean;
  /** One line for people: what the move means. */
  means: string;
};

export type Machine<S extends string, M extends string> = {
  name: string;
  states: readonly S[];
  moves: Record<M, MoveSpec<S>>;
};

export class IllegalMoveError extends Error {
  readonly code: "unknown_move" | "wrong_state" | "not_allowed" | "reason_required";
  constructor(
    code: IllegalMoveError["code"],
    readonly machine: string,
    readonly move: string,
    readonly from: string | null,
    detail: string,
  ) {
    super(`${machine}: cannot ${move}${from ? ` from ${from}` : ""}: ${detail}`);
    this.name = "IllegalMoveError";
    this.code = code;
  }
}

export function defineMachine<S extends string, M extends string>(
  machine: Machine<S, M>,
): Machine<S, M> {
  for (const [name, spec] of Object.entries<MoveSpec<S>>(machine.moves)) {
    for (const s of [...spec.from, ...(spec.to === "same" || spec.to === "back" ? [] : [spec.to])])
      if (!machine.states.includes(s))
        throw new Error(`${machine.name}.${name}: unknown state ${s}`);
  }
  return machine;
}

/**
 * Checks a move against its table and returns the state it leads to; throws IllegalMoveError when
 * the table does not allow it. `from` is null for a move that creates its subject.
 */
export function checkMove<S extends string, M extends string>(
  machine: Machine<S, M>,
  from: S | null,
  move: M,
  role: Role,
  reason?: string | null,
  /** Where a "back" move leads from `from`. */
  back?: (from: S) => S,
): S {
  const spec = (machine.moves as Record<string, MoveSpec<S> | undefined>)[move];
  if (!spec) throw new IllegalMoveError("unknown_move", machine.name, move, from, "no such move");
  if (from === null ? spec.from.length > 0 : !spec.from.includes(from))
    throw new IllegalMoveError(
      "wrong_state",
      machine.name,
      move,
      from,
      spec.from.length ? `allowed only from ${spec.from.join(", ")}` : "only when created",
    );
  if (!spec.by.includes(role))
    throw new IllegalMoveError("not_allowed", machine.name, move, from, `not by ${role}`);
  if (spec.reason && !(reason ?? "").trim())
    throw new IllegalMoveError("reason_required", machine.name, move, from, "a reason is required");
  if (spec.to === "same" || spec.to === "back") {
    if (from === null) throw new Error(`${machine.name}.${move}: a creating move needs a state`);
    if (spec.to === "same") return from;
    if (!back) throw new Error(`${machine.name}.${move}: where "back" leads was not given`);
    return back(from);
  }
  return spec.to;
}

/** The moves that may be made from a state, and who may make them. */
export function movesFrom<S extends string, M extends string>(machine: Machine<S, M>, from: S) {
  return (Object.entries(machine.moves) as [M, MoveSpec<S>][]).filter(([, spec]) =>
    spec.from.includes(from),
  );
}
