import type { StaffRole } from "~/generated/prisma/client.ts";
import { taskFacts } from "~/domain/payment-task-facts";
import { db } from "~/infra/db.server";

import type { Actor } from "../claims/claim-writer.server";
import { countUndelivered, undeliveredLetters } from "../letters/staff-letters.server";
import { QUEUES, type Queue, type QueueItem } from "./queue-items";

/** Who is asking, as the staff sign-in establishes it. Every query below is scoped by it. */
export type StaffContext = {
  staffId: string;
  role: StaffRole;
  creditorIds: string[];
};

/** A staff member as the author of a move or an event. */
export function staffActor(staff: Pick<StaffContext, "staffId" | "role">): Actor {
  return { role: staff.role.toLowerCase() as Actor["role"], id: `staff:${staff.staffId}` };
}

export { QUEUES, type DetailPart, type Queue, type QueueItem } from "./queue-items";

const TASK_KIND = {
  mismatches: "PAYMENT_MISMATCH",
  unmatched: "UNMATCHED_BANK_PAYMENT",
  credits: "REFUND_CREDIT",
  cardDisputes: "CARD_DISPUTE",
} as const;

const mine = (staff: StaffContext) => ({ creditorId: { in: staff.creditorIds } });

/** Unmatched bank money names no creditor yet: supervisors and admins match it by hand. */
export const seesUnassigned = (staff: StaffContext) => staff.role !== "AGENT";

/**
 * Tasks of the staff member's creditors that are on no claim. Unmatched bank money is there too
 * when the file was their creditor's (importBankFile's `creditorId`), and stays a supervisor's.
 */
export const mineOnNoClaim = (staff: StaffContext) => ({
  claimId: null,
  creditorId: { in: staff.creditorIds },
  ...(seesUnassigned(staff) ? {} : { kind: { not: "UNMATCHED_BANK_PAYMENT" as const } }),
});

/** How many items one queue page shows, oldest first; the count above it says how many wait. */
export const QUEUE_PAGE_SIZE = 200;

// Each queue's rows, scoped to the staff member's creditors: shared by the count and the list.
const disputesWhere = (staff: StaffContext, queue: "disputes" | "information") => ({
  status: queue === "disputes" ? ("OPEN" as const) : ("INFO_PROVIDED" as const),
  claim: mine(staff),
});
const flagsWhere = (staff: StaffContext) => ({
  resolvedAt: null,
  resident: { claims: { some: mine(staff) } },
});
const enforcementWhere = (staff: StaffContext) => ({
  ...mine(staff),
  status: "OPEN" as const,
  stage: "READY_FOR_ENFORCEMENT" as const,
  filing: null,
});
const plansWhere = (staff: StaffContext) => ({ ...mine(staff), status: "REQUESTED" as const });
const tasksWhere = (staff: StaffContext, queue: keyof typeof TASK_KIND) => ({
  kind: TASK_KIND[queue],
  status: "OPEN" as const,
  OR: [
    { claim: mine(staff) },
    mineOnNoClaim(staff),
    ...(seesUnassigned(staff) ? [{ claimId: null, creditorId: null }] : []),
  ],
});

// Small balances the policy puts in front of staff (queue mode, decision 0106): open claims only,
// so a claim paid or written off meanwhile leaves the queue by itself.
const writeOffsWhere = (staff: StaffContext) => ({
  kind: "WRITE_OFF" as const,
  status: "OPEN" as const,
  claim: { ...mine(staff), status: "OPEN" as const },
});

type Count = { count: number; oldest: Date | null };

/** One queue's size and its oldest item, counted in the database (a queue may hold 50,000). */
async function countQueue(staff: StaffContext, queue: Queue): Promise<Count> {
  switch (queue) {
    case "disputes":
    case "information": {
      const a = await db().dispute.aggregate({
        where: disputesWhere(staff, queue),
        _count: { _all: true },
        _min: { createdAt: true },
      });
      return { count: a._count._all, oldest: a._min.createdAt };
    }
    case "flags": {
      const a = await db().vulnerabilityFlag.aggregate({
        where: flagsWhere(staff),
        _count: { _all: true },
        _min: { raisedAt: true },
      });
      return { count: a._count._all, oldest: a._min.raisedAt };
    }
    case "enforcement": {
      const a = await db().claim.aggregate({
        where: enforcementWhere(staff),
        _count: { _all: true },
        _min: { stageEnteredOn: true },
      });
      return { count: a._count._all, oldest: a._min.stageEnteredOn };
    }
    case "plans": {
      const a = await db().paymentPlan.aggregate({
        where: plansWhere(staff),
        _count: { _all: true },
        _min: { createdAt: true },
      });
      return { count: a._count._all, oldest: a._min.createdAt };
    }
    case "letters": {
      const c = await countUndelivered(staff);
      return { count: c.count, oldest: c.oldest ? new Date(`${c.oldest}T00:00:00Z`) : null };
    }
    case "writeOffs": {
      const a = await db().staffTask.aggregate({
        where: writeOffsWhere(staff),
        _count: { _all: true },
        _min: { createdAt: true },
      });
      return { count: a._count._all, oldest: a._min.createdAt };
    }
    case "mismatches":
    case "unmatched":
    case "credits":
    case "cardDisputes": {
      const a = await db().staffTask.aggregate({
        where: tasksWhere(staff, queue),
        _count: { _all: true },
        _min: { createdAt: true },
      });
      return { count: a._count._all, oldest: a._min.createdAt };
    }
  }
}

/** The work waiting for a person, per queue, with how long the oldest item has waited. */
export async function queueCounts(staff: StaffContext, queues: readonly Queue[] = QUEUES) {
  const counts = await Promise.all(queues.map((q) => countQueue(staff, q)));
  return Object.fromEntries(queues.map((q, i) => [q, counts[i]!])) as Record<Queue, Count>;
}

/** The oldest `take` items of one queue (QUEUE_PAGE_SIZE by default). */
export async function queueItems(
  staff: StaffContext,
  queue: Queue,
  take = QUEUE_PAGE_SIZE,
): Promise<QueueItem[]> {
  switch (queue) {
    case "disputes":
    case "information": {
      const rows = await db().dispute.findMany({
        where: disputesWhere(staff, queue),
        include: { claim: { select: { externalId: true, description: true } } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
      });
      return rows.map((d) => ({
        id: d.id,
        claimId: d.claimId,
        title: d.claim.externalId,
        detail: [{ key: `dispute.reason.${d.reason}` }, { text: d.claim.description }],
        since: d.createdAt,
      }));
    }
    case "flags": {
      const rows = await db().vulnerabilityFlag.findMany({
        where: flagsWhere(staff),
        include: {
          resident: {
            select: { name: true, claims: { where: mine(staff), select: { id: true }, take: 1 } },
          },
        },
        orderBy: [{ raisedAt: "asc" }, { id: "asc" }],
        take,
      });
      return rows.map((f) => ({
        id: f.id,
        claimId: f.resident.claims[0]?.id ?? null,
        title: f.resident.name,
        detail: [{ key: `backoffice.words.flag.${f.kind}` }],
        since: f.raisedAt,
      }));
    }
    case "enforcement": {
      const rows = await db().claim.findMany({
        where: enforcementWhere(staff),
        orderBy: [{ stageEnteredOn: "asc" }, { id: "asc" }],
        take,
        select: { id: true, externalId: true, description: true, stageEnteredOn: true },
      });
      return rows.map((c) => ({
        id: c.id,
        claimId: c.id,
        title: c.externalId,
        detail: [{ text: c.description }],
        since: c.stageEnteredOn,
      }));
    }
    case "plans": {
      const rows = await db().paymentPlan.findMany({
        where: plansWhere(staff),
        include: { resident: { select: { name: true } } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
      });
      return rows.map((p) => ({
        id: p.id,
        claimId: null,
        title: p.resident.name,
        detail: [],
        reasons: p.outsideRules.map((r) => `backoffice.plans.outsideRules.${r}`),
        since: p.createdAt,
        href: `/staff/plans/${p.id}`,
      }));
    }
    case "letters": {
      const rows = await undeliveredLetters(staff, take);
      return rows.map((l) => ({
        id: l.id,
        claimId: l.claimId,
        title: l.externalId,
        detail: l.reason ? [{ text: l.reason }] : [],
        since: new Date(`${l.since}T00:00:00Z`),
        letter: {
          residentName: l.residentName,
          kind: l.kind,
          status: l.status,
          channel: l.channel,
          reason: l.reason,
        },
      }));
    }
    case "writeOffs": {
      // Handled on the case view, where the balance and its history are: no task page.
      const rows = await db().staffTask.findMany({
        where: writeOffsWhere(staff),
        include: { claim: { select: { externalId: true, description: true, currency: true } } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
      });
      return rows.map((t) => {
        const amount = (t.data as { amount?: unknown }).amount;
        return {
          id: t.id,
          claimId: t.claimId,
          money:
            typeof amount === "number" && t.claim ? { amount, currency: t.claim.currency } : null,
          title: t.claim?.externalId ?? t.id.slice(0, 8),
          detail: t.claim?.description ? [{ text: t.claim.description }] : [],
          since: t.createdAt,
        };
      });
    }
    case "mismatches":
    case "unmatched":
    case "credits":
    case "cardDisputes": {
      const rows = await db().staffTask.findMany({
        where: tasksWhere(staff, queue),
        include: { claim: { select: { externalId: true } } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take,
      });
      return rows.map((t) => {
        const f = taskFacts(t.kind, t.data);
        return {
          id: t.id,
          claimId: t.claimId,
          taskId: t.id,
          money:
            f.amount !== null && f.currency ? { amount: f.amount, currency: f.currency } : null,
          // Money that names nothing (no claim, no reference) is called so, not by an id.
          title: t.claim?.externalId ?? (f.reference || f.dispute?.id || ""),
          ...(t.claim || f.reference || f.dispute?.id
            ? {}
            : { titleKey: "backoffice.queueItem.noReference" }),
          detail: [
            ...(f.payerName ? [{ text: f.payerName }] : []),
            ...(f.bookedOn ? [{ date: f.bookedOn }] : []),
            ...(f.dispute?.reason ? [{ text: f.dispute.reason }] : []),
          ],
          since: t.createdAt,
        };
      });
    }
  }
}
