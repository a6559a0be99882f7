import type { StaffRole } from "~/generated/prisma/client.ts";
import { taskFacts } from "~/domain/payment-task-facts";
import { db } from "~/infra/db.server";

/** Who is asking, as the staff sign-in establishes it. Every query below is scoped by it. */
export type StaffContext = {
  staffId: string;
  role: StaffRole;
  creditorIds: string[];
};

export const QUEUES = [
  "disputes",
  "information",
  "flags",
  "enforcement",
  "mismatches",
  "unmatched",
  "credits",
  "cardDisputes",
  "plans",
] as const;
export type Queue = (typeof QUEUES)[number];

const TASK_KIND = {
  mismatches: "PAYMENT_MISMATCH",
  unmatched: "UNMATCHED_BANK_PAYMENT",
  credits: "REFUND_CREDIT",
  cardDisputes: "CARD_DISPUTE",
} as const;

export type QueueItem = {
  id: string;
  claimId: string | null;
  /** Payment tasks open on their own page (/staff/tasks/:id). */
  taskId?: string;
  money?: { amount: number; currency: string } | null;
  title: string;
  detail: string;
  since: Date;
  /** Where the item is handled, when that is not the claim's case page. */
  href?: string;
};

const mine = (staff: StaffContext) => ({ creditorId: { in: staff.creditorIds } });

/** Unmatched bank money names no creditor yet: supervisors and admins match it by hand. */
export const seesUnassigned = (staff: StaffContext) => staff.role !== "AGENT";

/** The work waiting for a person, per queue, with how long the oldest item has waited. */
export async function queueCounts(staff: StaffContext) {
  const result: Record<Queue, { count: number; oldest: Date | null }> = {} as never;
  for (const q of QUEUES) {
    const items = await queueItems(staff, q);
    result[q] = {
      count: items.length,
      oldest: items.reduce<Date | null>((o, i) => (o === null || i.since < o ? i.since : o), null),
    };
  }
  return result;
}

export async function queueItems(staff: StaffContext, queue: Queue): Promise<QueueItem[]> {
  switch (queue) {
    case "disputes":
    case "information": {
      const rows = await db().dispute.findMany({
        where: {
          status: queue === "disputes" ? "OPEN" : "INFO_PROVIDED",
          claim: mine(staff),
        },
        include: { claim: { select: { externalId: true, description: true } } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((d) => ({
        id: d.id,
        claimId: d.claimId,
        title: d.claim.externalId,
        detail: `${d.reason}: ${d.claim.description}`,
        since: d.createdAt,
      }));
    }
    case "flags": {
      const rows = await db().vulnerabilityFlag.findMany({
        where: { resolvedAt: null, resident: { claims: { some: mine(staff) } } },
        include: {
          resident: {
            select: { name: true, claims: { where: mine(staff), select: { id: true }, take: 1 } },
          },
        },
        orderBy: { raisedAt: "asc" },
      });
      return rows.map((f) => ({
        id: f.id,
        claimId: f.resident.claims[0]?.id ?? null,
        title: f.resident.name,
        detail: f.kind,
        since: f.raisedAt,
      }));
    }
    case "enforcement": {
      const rows = await db().claim.findMany({
        where: { ...mine(staff), status: "OPEN", stage: "READY_FOR_ENFORCEMENT", filing: null },
        orderBy: { stageEnteredOn: "asc" },
        select: { id: true, externalId: true, description: true, stageEnteredOn: true },
      });
      return rows.map((c) => ({
        id: c.id,
        claimId: c.id,
        title: c.externalId,
        detail: c.description,
        since: c.stageEnteredOn,
      }));
    }
    case "plans": {
      const rows = await db().paymentPlan.findMany({
        where: { ...mine(staff), status: "REQUESTED" },
        include: { resident: { select: { name: true } } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((p) => ({
        id: p.id,
        claimId: null,
        title: p.resident.name,
        detail: p.outsideRules.join(", "),
        since: p.createdAt,
        href: `/staff/plans/${p.id}`,
      }));
    }
    case "mismatches":
    case "unmatched":
    case "credits":
    case "cardDisputes": {
      const kind = TASK_KIND[queue];
      const rows = await db().staffTask.findMany({
        where: {
          kind,
          status: "OPEN",
          OR: [
            { claim: mine(staff) },
            { claimId: null, ...mine(staff) },
            ...(seesUnassigned(staff) ? [{ claimId: null, creditorId: null }] : []),
          ],
        },
        include: { claim: { select: { externalId: true } } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((t) => {
        const f = taskFacts(t.kind, t.data);
        return {
          id: t.id,
          claimId: t.claimId,
          taskId: t.id,
          money:
            f.amount !== null && f.currency ? { amount: f.amount, currency: f.currency } : null,
          title: t.claim?.externalId ?? f.reference ?? f.dispute?.id ?? t.id.slice(0, 8),
          detail: [f.payerName, f.bookedOn, f.dispute?.reason].filter(Boolean).join(", "),
          since: t.createdAt,
        };
      });
    }
  }
}
