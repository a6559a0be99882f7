import type { IsoDate } from "~/domain/calendar-date";
import { NOTICE_MACHINE } from "~/domain/notice-transitions";
import type { LawBook } from "~/domain/law-book";
import { dispatchDeadline, type Channel } from "~/domain/letters";
import { checkMove, type Role } from "~/domain/state-machine";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
import { refreshNextActions } from "../claims/next-action.server";
import { recordEvents, type NewEvent } from "../events/events.server";

/*
 * The moves of a notice's transition table (NOTICE_MACHINE), as the letters service makes them:
 * dispatched (its deadline and fee count from that day), delivered, failed, returned. Each is
 * checked against the table, written with the state it was checked from in the WHERE clause,
 * and an event; the claims' next look follows.
 */

type NoticeRow = {
  id: string;
  claimId: string;
  residentId: string;
  creditorId: string;
  kind: string;
  status: (typeof NOTICE_MACHINE.states)[number];
  stepId: string | null;
  resendOfId: string | null;
  resendStepId: string | null;
  deadlineDays: number | null;
  country: "SE" | "NO";
  postalDays: number;
};

/** The notices, locked, with what their moves need. */
export async function lockNotices(conn: Conn, ids: readonly string[]): Promise<NoticeRow[]> {
  if (ids.length === 0) return [];
  return query<NoticeRow>(
    conn,
    `SELECT n.id::text, n."claimId"::text, c."residentId"::text, c."creditorId"::text,
            n.kind::text, n.status::text, n."stepId"::text, n."resendOfId"::text,
            o."stepId"::text AS "resendStepId", n."deadlineDays", cr.country::text,
            p."postalDays"
     FROM "Notice" n
     JOIN "Claim" c ON c.id = n."claimId"
     JOIN "Creditor" cr ON cr.id = c."creditorId"
     JOIN "Policy" p ON p.id = c."policyId"
     -- A re-send of a re-send still carries the step of the first letter.
     LEFT JOIN LATERAL (
       WITH RECURSIVE chain AS (
         SELECT x.id, x."stepId", x."resendOfId", 1 AS depth FROM "Notice" x
         WHERE x.id = n."resendOfId"
         UNION ALL
         SELECT y.id, y."stepId", y."resendOfId", chain.depth + 1 FROM "Notice" y
         JOIN chain ON y.id = chain."resendOfId" WHERE chain."stepId" IS NULL AND chain.depth < 50
       )
       SELECT chain."stepId" FROM chain WHERE chain."stepId" IS NOT NULL LIMIT 1
     ) o ON true
     WHERE n.id = ANY($1::uuid[])
     ORDER BY n.id FOR UPDATE OF n`,
    [ids],
  );
}

const eventOf = <T extends NewEvent["type"]>(
  n: NoticeRow,
  type: T,
  actor: string,
  on: IsoDate,
  data: NewEvent<T>["data"],
): NewEvent => ({
  type,
  claimId: n.claimId,
  residentId: n.residentId,
  creditorId: n.creditorId,
  actor,
  on,
  data,
});

export type Dispatched = {
  noticeId: string;
  on: IsoDate;
  channel: Channel;
  why: string;
  provider: string;
  providerMessageId?: string | null;
  printBatchId?: string | null;
  /** The provider confirmed delivery in the same answer (Kivra). */
  deliveredOn?: IsoDate | null;
};

/**
 * Notices handed to the mailbox service, the print house or the SMTP server on `on`: each one's
 * deadline counts from that day (plus postal days on paper), its step and (for a re-send) the
 * step it sends again get that deadline, the fee it announced is owed from that day, and the
 * claims get their next look. Returns the deadlines, by notice.
 */
export async function markDispatched(
  conn: Conn,
  law: LawBook,
  letters: Dispatched[],
): Promise<Map<string, IsoDate | null>> {
  const rows = new Map(
    (
      await lockNotices(
        conn,
        letters.map((l) => l.noticeId),
      )
    ).map((r) => [r.id, r]),
  );
  const updates: Record<string, unknown>[] = [];
  const events: NewEvent[] = [];
  const deadlines = new Map<string, IsoDate | null>();
  for (const l of letters) {
    const n = rows.get(l.noticeId);
    if (!n) continue;
    checkMove(NOTICE_MACHINE, n.status, "dispatch", "system");
    const deadline =
      n.deadlineDays === null
        ? null
        : dispatchDeadline({
            dispatchedOn: l.on,
            deadlineDays: n.deadlineDays,
            channel: l.channel,
            postalDays: n.postalDays,
            country: n.country,
          });
    deadlines.set(n.id, deadline);
    updates.push({
      id: n.id,
      on: l.on,
      deadline,
      channel: l.channel,
      why: l.why,
      provider: l.provider,
      message: l.providerMessageId ?? null,
      batch: l.printBatchId ?? null,
      delivered: l.deliveredOn ?? null,
      step: n.stepId ?? n.resendStepId,
    });
    events.push(
      eventOf(n, "notice.dispatched", "system", l.on, {
        noticeId: n.id,
        kind: n.kind,
        channel: l.channel,
        why: l.why,
        deadline,
      }),
    );
    if (l.deliveredOn)
      events.push(
        eventOf(n, "notice.delivered", "system", l.deliveredOn, {
          noticeId: n.id,
          channel: l.channel,
        }),
      );
  }
  if (updates.length === 0) return deadlines;
  await query(
    conn,
    `WITH v AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, "on" date, deadline date,
         channel text, why text, provider text, message text, batch uuid, delivered date, step uuid)
     ),
     n AS (
       UPDATE "Notice" n SET status = (CASE WHEN v.delivered IS NULL THEN 'DISPATCHED'
                                            ELSE 'DELIVERED' END)::"NoticeStatus",
              "dispatchedOn" = v."on", deadline = v.deadline,
              channel = v.channel::"NoticeChannel", "channelReason" = v.why,
              provider = v.provider, "providerMessageId" = v.message, "printBatchId" = v.batch,
              "deliveredOn" = v.delivered
       FROM v WHERE n.id = v.id AND n.status = 'PENDING'
     ),
     s AS (
       -- The step's deadline is the notice's (a re-send moves it to its own, never earlier).
       UPDATE "ClaimStep" s SET deadline = GREATEST(s.deadline, v.deadline)
       FROM v WHERE s.id = v.step AND v.deadline IS NOT NULL
     )
     -- The fee it announced, found through the claim's index (pending marks are not indexed).
     UPDATE "Charge" ch SET "chargedOn" = v."on", "pendingNoticeId" = NULL
     FROM v JOIN "Notice" x ON x.id = v.id
     WHERE ch."claimId" = x."claimId" AND ch."pendingNoticeId" = v.id`,
    [JSON.stringify(updates)],
  );
  await recordEvents(conn, events);
  await refreshLetterClaims(conn, law, [...rows.values()], letters[0]!.on);
  return deadlines;
}

/** A notice that could not be sent, or did not arrive: the claim stops and staff are asked. */
export async function markUndelivered(
  conn: Conn,
  law: LawBook,
  input: {
    noticeId: string;
    move: "fail" | "return";
    reason: string;
    on: IsoDate;
    by?: { role: Role; id: string };
  },
): Promise<boolean> {
  const [n] = await lockNotices(conn, [input.noticeId]);
  if (!n) return false;
  const by = input.by ?? { role: "system" as const, id: "system" };
  const to = checkMove(NOTICE_MACHINE, n.status, input.move, by.role, input.reason);
  await query(
    conn,
    `UPDATE "Notice" SET status = $2::"NoticeStatus", "failedReason" = $3
     WHERE id = $1::uuid AND status = $4::"NoticeStatus"`,
    [n.id, to, input.reason.slice(0, 500), n.status],
  );
  await recordEvents(conn, [
    eventOf(n, input.move === "fail" ? "notice.failed" : "notice.returned", by.id, input.on, {
      noticeId: n.id,
      reason: input.reason.slice(0, 500),
    }),
  ]);
  await refreshLetterClaims(conn, law, [n], input.on);
  return true;
}

/** A digital receipt: delivered (or printed by the mailbox's print service), or read. */
export async function markDelivered(
  conn: Conn,
  input: { noticeId: string; on: IsoDate; read: boolean },
): Promise<void> {
  const [n] = await lockNotices(conn, [input.noticeId]);
  if (!n) return;
  if (input.read) {
    if (n.status !== "DELIVERED") return;
    checkMove(NOTICE_MACHINE, n.status, "read", "system");
    await recordEvents(conn, [eventOf(n, "notice.read", "system", input.on, { noticeId: n.id })]);
    return;
  }
  if (n.status !== "DISPATCHED") return; // already delivered, or failed since: changes nothing
  const to = checkMove(NOTICE_MACHINE, n.status, "deliver", "system");
  await query(
    conn,
    `UPDATE "Notice" SET status = $2::"NoticeStatus", "deliveredOn" = $3::date
     WHERE id = $1::uuid AND status = 'DISPATCHED'`,
    [n.id, to, input.on],
  );
  const [row] = await query<{ channel: string }>(
    conn,
    `SELECT channel::text FROM "Notice" WHERE id = $1::uuid`,
    [n.id],
  );
  await recordEvents(conn, [
    eventOf(n, "notice.delivered", "system", input.on, {
      noticeId: n.id,
      channel: row?.channel ?? "",
    }),
  ]);
}

async function refreshLetterClaims(conn: Conn, law: LawBook, rows: NoticeRow[], on: IsoDate) {
  const ids = [...new Set(rows.map((r) => r.claimId))];
  await refreshNextActions(conn, ids, law, on);
}
