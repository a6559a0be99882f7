import type { IsoDate } from "~/domain/calendar-date";
import { EVENTS, type EventData, type EventType } from "~/domain/events";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";

/*
 * The writer of events that are not moves of a claim (those are written by the claim writer,
 * app/services/claims/claim-writer.server.ts): holds, objections, plans, payments, staff and
 * resident sign-ins, audit reads. Only types in the catalogue (app/domain/events.ts), with data of
 * their shape; the log is append-only (a trigger refuses UPDATE and DELETE).
 */

export type NewEvent<T extends EventType = EventType> = {
  type: T;
  /** "system", "resident:<id>", "creditor-api:<keyId>", "staff:<id>", "cli". */
  actor: string;
  on: IsoDate;
  data: EventData<T>;
  claimId?: string | null;
  residentId?: string | null;
  creditorId?: string | null;
};

export class EventDataError extends Error {
  constructor(type: string, detail: string) {
    super(`event ${type}: ${detail}`);
    this.name = "EventDataError";
  }
}

/** The event's data checked against the catalogue (a programming error if it does not fit). */
export function checkedData(type: string, data: unknown): unknown {
  const spec = (EVENTS as Record<string, { data: { safeParse(v: unknown): unknown } }>)[type];
  if (!spec) throw new EventDataError(type, "not in the event catalogue");
  const parsed = spec.data.safeParse(data) as { success: boolean; error?: { message: string } };
  if (!parsed.success) throw new EventDataError(type, parsed.error?.message ?? "invalid data");
  return data;
}

/** Writes events in one statement, in the order given; returns their ids. */
export async function recordEvents(conn: Conn | undefined, events: NewEvent[]): Promise<bigint[]> {
  if (events.length === 0) return [];
  const rows = events.map((e, ord) => ({
    ord,
    claim: e.claimId ?? null,
    resident: e.residentId ?? null,
    creditor: e.creditorId ?? null,
    type: e.type,
    actor: e.actor,
    data: checkedData(e.type, e.data),
    on: e.on,
  }));
  const ids = await query<{ id: bigint }>(
    conn,
    `INSERT INTO "Event" ("claimId", "residentId", "creditorId", type, actor, data, "occurredOn")
     SELECT claim, resident, creditor, type, actor, data, "on"
     FROM jsonb_to_recordset($1::jsonb)
       AS r(ord int, claim uuid, resident uuid, creditor uuid, type text, actor text, data jsonb,
            "on" date)
     ORDER BY ord
     RETURNING id`,
    [JSON.stringify(rows)],
  );
  return ids.map((r) => BigInt(r.id));
}

/** Writes one event; returns its id. */
export async function recordEvent<T extends EventType>(
  conn: Conn | undefined,
  event: NewEvent<T>,
): Promise<bigint> {
  const [id] = await recordEvents(conn, [event as NewEvent]);
  return id!;
}
