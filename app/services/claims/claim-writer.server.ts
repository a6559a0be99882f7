import type { ChargeKind } from "~/domain/balance";
import type { IsoDate } from "~/domain/calendar-date";
import type { ClaimSnapshot } from "~/domain/claim";
import { moveClaim, type ClaimMove, type ClaimState } from "~/domain/claim-transitions";
import type { EventData, EventType } from "~/domain/events";
import type { Role } from "~/domain/state-machine";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { checkedData } from "../events/events.server";

/*
 * The one writer of a claim's stage and status. Every move is checked against the transition
 * table (app/domain/claim-transitions.ts) before anything is written; the new state and the
 * move's event (with its step, fee, cancelled fee and notice, where it has them) are written in
 * one statement, in the caller's transaction. The sweep writes a batch of a thousand claims this
 * way; a staff decision writes one. No other code updates `Claim.status` or `Claim.stage`
 * (claim-writes.test.ts fails if any does).
 */

export type Actor = { role: Role; id: string };

export const SYSTEM: Actor = { role: "system", id: "system" };

/**
 * The role behind an event actor string, for code that records who acted as a string (the
 * ledger). A staff member's exact role is not in the string: "agent", the least of them, which
 * every move such code makes allows.
 */
export function actorOf(id: string): Actor {
  const kind = id.split(":")[0];
  const role: Role =
    kind === "resident"
      ? "resident"
      : kind === "staff"
        ? "agent"
        : kind === "creditor-api"
          ? "creditor"
          : kind === "cli"
            ? "operator"
            : "system";
  return { role, id };
}

export type ClaimMoveRequest = {
  claim: Pick<ClaimSnapshot, "id" | "residentId" | "creditorId" | "status" | "stage" | "steps">;
  move: ClaimMove;
  by: Actor;
  on: IsoDate;
  reason?: string | null;
  /** The event's data (its `reason` is added from `reason`). */
  data?: Record<string, unknown>;
  /** A step of the ladder (unique per claim and key: a step taken once is never taken again). */
  step?: { id: string; key: string; deadline: IsoDate | null };
  /** A fee charged by the move. */
  charge?: { id: string; kind: ChargeKind; amount: number; legalBasis: string };
  /** A fee the move cancels (cancel_fee) or writes off (write_off_fee: marked written off). */
  cancelCharge?: { id: string };
  /**
   * The notice the move writes (on the step): content frozen as written. It is pending until the
   * letters service dispatches it; its deadline and the move's fee count from that day.
   */
  notice?: {
    id: string;
    kind: string;
    deadlineDays: number | null;
    language: string;
    content: unknown;
  };
};

/** When the engine must look at a claim next, set in the same statement. */
export type NextAction = {
  claim: Pick<ClaimSnapshot, "id" | "status" | "stage">;
  on: IsoDate | null;
};

export class StaleClaimError extends Error {
  constructor(readonly claimIds: string[]) {
    super(`claims changed since they were read: ${claimIds.join(", ")}`);
    this.name = "StaleClaimError";
  }
}

export type WriteResult = {
  /** Each move's event id, in the order given; null for a claim left alone (see `skipped`). */
  eventIds: (bigint | null)[];
  /** Claims whose step had been taken already (a re-run): nothing of theirs was written. */
  skipped: string[];
};

type Final = {
  id: string;
  from_status: string;
  from_stage: string;
  status: string;
  stage: string;
  entered: IsoDate | null;
  closed_set: boolean;
  closed: IsoDate | null;
  next_set: boolean;
  next: IsoDate | null;
};

/**
 * Checks every move against the table, in order per claim, and writes them with the claims' new
 * state and next-action dates in one statement. Claims must be locked by the caller (the loader's
 * `lock`); the state each move was checked from is checked again in the update, and a claim that
 * changed meanwhile makes the whole write fail (StaleClaimError) rather than write on stale state.
 * Throws IllegalMoveError (nothing written) for a move the table does not allow.
 */
export async function writeClaimMoves(
  conn: Conn,
  moves: ClaimMoveRequest[],
  nextActions: NextAction[] = [],
): Promise<WriteResult> {
  const finals = new Map<string, Final>();
  const state = (c: Pick<ClaimSnapshot, "id" | "status" | "stage">): Final => {
    let f = finals.get(c.id);
    if (!f) {
      f = {
        id: c.id,
        from_status: c.status,
        from_stage: c.stage,
        status: c.status,
        stage: c.stage,
        entered: null,
        closed_set: false,
        closed: null,
        next_set: false,
        next: null,
      };
      finals.set(c.id, f);
    }
    return f;
  };
  const steps = new Map<string, { key: string }[]>();
  const rows = moves.map((m, ord) => {
    const f = state(m.claim);
    const taken = steps.get(m.claim.id) ?? [...m.claim.steps];
    const current: ClaimState = {
      status: f.status as ClaimState["status"],
      stage: f.stage as ClaimState["stage"],
    };
    const after = moveClaim({ ...current, steps: taken }, m.move, m.by.role, m.reason);
    if (after.stage !== current.stage) f.entered = m.on;
    if (after.status !== current.status) {
      f.closed_set = true;
      f.closed = after.status === "OPEN" ? null : m.on;
    }
    f.status = after.status;
    f.stage = after.stage;
    if (m.step) steps.set(m.claim.id, [...taken, { key: m.step.key }]);
    const data = m.reason != null ? { ...m.data, reason: m.reason.trim() } : (m.data ?? {});
    return {
      ord,
      claim: m.claim.id,
      resident: m.claim.residentId,
      creditor: m.claim.creditorId,
      type: after.event,
      actor: m.by.id,
      data: checkedData(after.event, data),
      occurred: m.on,
      step: m.step?.id ?? null,
      key: m.step?.key ?? null,
      deadline: m.step?.deadline ?? null,
      charge: m.charge?.id ?? null,
      fee_kind: m.charge?.kind ?? null,
      fee_amount: m.charge?.amount ?? null,
      basis: m.charge?.legalBasis ?? null,
      cancel_charge: m.cancelCharge?.id ?? null,
      notice: m.notice?.id ?? null,
      notice_kind: m.notice?.kind ?? null,
      deadline_days: m.notice?.deadlineDays ?? null,
      language: m.notice?.language ?? null,
      content: m.notice?.content ?? null,
    };
  });
  for (const n of nextActions) {
    const f = state(n.claim);
    f.next_set = true;
    f.next = n.on;
  }
  if (finals.size === 0) return { eventIds: [], skipped: [] };
  // Only next looks (intake, payments, holds): one statement, which writes all or nothing.
  const finalsJson = JSON.stringify([...finals.values()]);
  const [next] = rows.length ? [] : await query<{ n: number }>(conn, NEXT_ONLY_SQL, [finalsJson]);
  if (next && next.n !== finals.size) throw new StaleClaimError(await staleIds(conn, finals));
  if (next) return { eventIds: [], skipped: [] };

  // A savepoint, so a write refused below leaves nothing behind even if the caller goes on.
  await query(conn, "SAVEPOINT claim_write", []);
  const [result] = await query<{ updated: number; skipped: string[]; events: [number, string][] }>(
    conn,
    WRITE_SQL,
    [JSON.stringify(rows), finalsJson],
  );
  const skipped = new Set(result!.skipped);
  if (result!.updated !== finals.size - skipped.size) {
    await query(conn, "ROLLBACK TO SAVEPOINT claim_write", []);
    throw new StaleClaimError(await staleIds(conn, finals));
  }
  await query(conn, "RELEASE SAVEPOINT claim_write", []);
  const byOrd = new Map(result!.events.map(([ord, id]) => [ord, BigInt(id)]));
  return { eventIds: rows.map((r) => byOrd.get(r.ord) ?? null), skipped: [...skipped] };
}

/** The claims no longer in the state their moves or dates were worked out from. */
async function staleIds(conn: Conn, finals: Map<string, Final>): Promise<string[]> {
  const stale = await query<{ id: string }>(
    conn,
    `SELECT v.id::text FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, from_status text, from_stage text)
     JOIN "Claim" c ON c.id = v.id
     WHERE c.status::text <> v.from_status OR c.stage::text <> v.from_stage`,
    [JSON.stringify([...finals.values()])],
  );
  return stale.map((s) => s.id);
}

/** One move; returns its event id. */
export async function applyClaimMove<T extends EventType>(
  conn: Conn,
  request: Omit<ClaimMoveRequest, "data"> & { data?: Omit<EventData<T>, "reason"> },
  nextAction?: IsoDate | null,
): Promise<bigint> {
  const { eventIds } = await writeClaimMoves(
    conn,
    [request as ClaimMoveRequest],
    nextAction === undefined ? [] : [{ claim: request.claim, on: nextAction }],
  );
  return eventIds[0]!;
}

// The next looks alone: written only if every claim is still in the state they came from.
const NEXT_ONLY_SQL = `
  WITH v AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(
      id uuid, from_status text, from_stage text, next_set boolean, next date)
  ),
  fit AS (
    SELECT count(*) = (SELECT count(*) FROM v) AS all_fit
    FROM v JOIN "Claim" c ON c.id = v.id
    WHERE c.status::text = v.from_status AND c.stage::text = v.from_stage
  ),
  u AS (
    UPDATE "Claim" c SET "nextActionOn" = v.next, "updatedAt" = now()
    FROM v
    WHERE c.id = v.id AND v.next_set AND (SELECT all_fit FROM fit)
      AND c."nextActionOn" IS DISTINCT FROM v.next
    RETURNING c.id
  )
  SELECT CASE WHEN (SELECT all_fit FROM fit) THEN (SELECT count(*) FROM v) ELSE 0 END::int AS n`;

// Event ids are drawn in the order of the moves (ORDER BY is applied before the volatile
// nextval), so a claim's events of one batch stay in the order its moves were made. A claim with
// a step it has taken already (a sweep run again) is left out whole, before anything is written;
// a step that appears meanwhile makes the unique (claim, key) index refuse the whole statement.
// Foreign keys between rows of the same statement (a fee's event, a notice's step) hold: they are
// checked at its end. The moves arrive as one JSON document: a parameter per column and row, or a
// jsonb[] array, cost more to build and send than the rows cost to write.
const WRITE_SQL = `
  WITH m AS (
    SELECT m.*, nextval('"Event_id_seq"'::regclass) AS event
    FROM jsonb_to_recordset($1::jsonb) AS m(
      ord int, claim uuid, resident uuid, creditor uuid, type text, actor text, data jsonb,
      occurred date, step uuid, key text, deadline date, charge uuid, fee_kind text,
      fee_amount int, basis text, cancel_charge uuid, notice uuid, notice_kind text,
      deadline_days int, language text, content jsonb)
    ORDER BY ord
  ),
  dup AS (
    SELECT DISTINCT m.claim FROM m
    JOIN "ClaimStep" cs ON cs."claimId" = m.claim AND cs.key = m.key
  ),
  fresh AS (SELECT * FROM m WHERE claim NOT IN (SELECT claim FROM dup)),
  s AS (
    INSERT INTO "ClaimStep" (id, "claimId", key, "takenOn", deadline, "eventId")
    SELECT step, claim, key, occurred, deadline, event FROM fresh WHERE step IS NOT NULL
  ),
  e AS (
    INSERT INTO "Event" (id, "claimId", "residentId", "creditorId", type, actor, data, "occurredOn")
    SELECT event, claim, resident, creditor, type, actor, data, occurred FROM fresh
  ),
  ch AS (
    INSERT INTO "Charge" (id, "claimId", kind, amount, "chargedOn", "causeEventId", "causeType",
                          "legalBasis", "pendingNoticeId")
    SELECT charge, claim, fee_kind::"ChargeKind", fee_amount, occurred, event, type, basis, notice
    FROM fresh WHERE charge IS NOT NULL
  ),
  cc AS (
    UPDATE "Charge" x SET "cancelledOn" = f.occurred, "cancelReason" = f.data->>'reason',
                          "writtenOff" = (f.type = 'charge.written_off')
    FROM fresh f
    WHERE f.cancel_charge IS NOT NULL AND x.id = f.cancel_charge AND x."claimId" = f.claim
      AND x."cancelledOn" IS NULL
  ),
  n AS (
    INSERT INTO "Notice" (id, "claimId", "stepId", kind, "sentOn", "deadlineDays", language,
                          content)
    SELECT notice, claim, step, notice_kind::"NoticeKind", occurred, deadline_days, language,
           content
    FROM fresh WHERE notice IS NOT NULL
  ),
  u AS (
    UPDATE "Claim" c
    SET status = v.status::"ClaimStatus", stage = v.stage::"ClaimStage",
        "stageEnteredOn" = COALESCE(v.entered, c."stageEnteredOn"),
        "closedOn" = CASE WHEN v.closed_set THEN v.closed ELSE c."closedOn" END,
        "nextActionOn" = CASE WHEN v.next_set THEN v.next ELSE c."nextActionOn" END,
        "updatedAt" = now()
    FROM jsonb_to_recordset($2::jsonb) AS v(
      id uuid, from_status text, from_stage text, status text, stage text, entered date,
      closed_set boolean, closed date, next_set boolean, next date)
    WHERE c.id = v.id AND c.status::text = v.from_status AND c.stage::text = v.from_stage
      AND v.id NOT IN (SELECT claim FROM dup)
    RETURNING c.id
  )
  SELECT (SELECT count(*)::int FROM u) AS updated,
         ARRAY(SELECT claim::text FROM dup) AS skipped,
         COALESCE((SELECT json_agg(json_build_array(ord, event::text)) FROM fresh), '[]') AS events`;
