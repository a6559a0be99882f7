import type { PlanStatus } from "~/generated/prisma/client.ts";
import type { IsoDate } from "~/domain/calendar-date";
import type { Tx } from "~/infra/db.server";
import { dbDate } from "~/infra/db-dates.server";
import type { LawBook } from "../law/legal-figures.server";
import {
  movePlan,
  OPEN_PLAN_STATUSES,
  planEvent,
  releasePlanHolds,
  writePlanLetter,
} from "./plan-core.server";

/**
 * A plan whose claims are all paid or closed is complete (issue 15): the plan's `complete` move,
 * its letter, its holds lifted and its event, in the caller's transaction. Open statuses only;
 * the plan row must be locked by the caller.
 */
export async function completePlan(
  tx: Tx,
  law: LawBook,
  plan: { id: string; status: PlanStatus; residentId: string; creditorId: string },
  on: IsoDate,
  opts: { publicUrl?: string } = {},
) {
  await movePlan(tx, plan, "complete", "system", { endedOn: dbDate(on), endReason: "paid" });
  await writePlanLetter(tx, plan.id, "PLAN_COMPLETED", on, {
    by: "system",
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
  });
  await releasePlanHolds(tx, law, plan.id, on, "plan completed", "system");
  await planEvent(tx, plan, "plan.completed", "system", on);
}

/**
 * After money closed `claimIds`: every open plan over them whose claims are now all paid or
 * closed completes at once, in the payment's own transaction (a plan no longer stays "active,
 * 3 of 4" until the next sweep). Each plan is locked without waiting; one the sweep or staff
 * hold or decided meanwhile is left as it now stands. Returns the ids of the plans completed.
 */
export async function completePlansOfClaims(
  tx: Tx,
  law: LawBook,
  claimIds: readonly string[],
  on: IsoDate,
): Promise<string[]> {
  if (claimIds.length === 0) return [];
  const candidates = await tx.planClaim.findMany({
    where: {
      claimId: { in: [...claimIds] },
      plan: { status: { in: [...OPEN_PLAN_STATUSES] } },
    },
    select: { planId: true },
  });
  const planIds = [...new Set(candidates.map((c) => c.planId))].sort();
  const completed: string[] = [];
  for (const planId of planIds) {
    // SKIP LOCKED: the payment already holds its claims, and the sweep or a staff decision that
    // holds this plan may be waiting for one of them; waiting here too would deadlock. A plan
    // skipped now is completed by the sweep, which completes any open plan left behind.
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "PaymentPlan" WHERE id = ${planId}::uuid FOR UPDATE SKIP LOCKED`;
    if (locked.length === 0) continue;
    const plan = await tx.paymentPlan.findUniqueOrThrow({
      where: { id: planId },
      include: { claims: { include: { claim: { select: { status: true } } } } },
    });
    if (!(OPEN_PLAN_STATUSES as readonly string[]).includes(plan.status)) continue;
    if (plan.claims.some((c) => c.claim.status === "OPEN")) continue;
    await completePlan(tx, law, plan, on);
    completed.push(planId);
  }
  return completed;
}
