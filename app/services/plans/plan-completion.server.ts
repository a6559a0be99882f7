import type { PlanStatus } from "~/generated/prisma/client.ts";
import type { IsoDate } from "~/domain/calendar-date";
import type { Conn } from "~/infra/db.server";
import { query } from "~/infra/sql.server";
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
 * its letter, its holds lifted and its event, in the caller's transaction (a Prisma one, or the
 * bank-file import's pg connection, decision 0115). Open statuses only; the plan row must be
 * locked by the caller.
 */
export async function completePlan(
  tx: Conn,
  law: LawBook,
  plan: { id: string; status: PlanStatus; residentId: string; creditorId: string },
  on: IsoDate,
  opts: { publicUrl?: string } = {},
) {
  await movePlan(tx, plan, "complete", "system", { endedOn: on, endReason: "paid" });
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
  tx: Conn,
  law: LawBook,
  claimIds: readonly string[],
  on: IsoDate,
): Promise<string[]> {
  if (claimIds.length === 0) return [];
  const candidates = await query<{ planId: string }>(
    tx,
    `SELECT pc."planId"::text AS "planId" FROM "PlanClaim" pc
     JOIN "PaymentPlan" p ON p.id = pc."planId"
     WHERE pc."claimId" = ANY($1::uuid[]) AND p.status::text = ANY($2::text[])
     GROUP BY pc."planId" ORDER BY pc."planId"`,
    [[...claimIds], [...OPEN_PLAN_STATUSES]],
  );
  const completed: string[] = [];
  for (const { planId } of candidates) {
    // SKIP LOCKED: the payment already holds its claims, and the sweep or a staff decision that
    // holds this plan may be waiting for one of them; waiting here too would deadlock. A plan
    // skipped now is completed by the sweep, which completes any open plan left behind. Read
    // once locked (no wait, so as it now stands): its status, and whether a claim is still open.
    const [plan] = await query<{
      id: string;
      status: PlanStatus;
      residentId: string;
      creditorId: string;
      anyOpen: boolean;
    }>(
      tx,
      `SELECT p.id::text, p.status::text, p."residentId"::text, p."creditorId"::text,
              EXISTS (SELECT 1 FROM "PlanClaim" pc JOIN "Claim" c ON c.id = pc."claimId"
                      WHERE pc."planId" = p.id AND c.status = 'OPEN') AS "anyOpen"
       FROM "PaymentPlan" p WHERE p.id = $1::uuid FOR UPDATE SKIP LOCKED`,
      [planId],
    );
    if (!plan) continue;
    if (!(OPEN_PLAN_STATUSES as readonly string[]).includes(plan.status)) continue;
    if (plan.anyOpen) continue;
    await completePlan(tx, law, plan, on);
    completed.push(planId);
  }
  return completed;
}
