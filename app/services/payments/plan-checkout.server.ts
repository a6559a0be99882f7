import { getResidentPlan } from "../plans/resident-plans.server";
import { splitOverClaims } from "~/domain/payment-plan";
import { statementOf } from "~/domain/claim";
import { loadLawBook } from "../law/legal-figures.server";
import { loadPlanRows } from "../plans/plan-core.server";

import type { Lang } from "~/i18n/config";
import { startCheckout, type StartCheckout } from "./checkout.server";

/** Pays the next instalment online, spread over the plan's claims oldest first. */
export async function payInstalment(input: {
  residentId: string;
  planId: string;
  requestId: string;
  locale: Lang;
  publicUrl: string;
  email?: string | null;
  now: Date;
}): Promise<StartCheckout | { ok: false; error: "not_found" | "nothing_due" }> {
  const plan = await getResidentPlan(input.residentId, input.planId, input.now);
  if (!plan) return { ok: false, error: "not_found" };
  if (!plan.next) return { ok: false, error: "nothing_due" };
  const law = await loadLawBook();
  const rows = await loadPlanRows(undefined, plan.id);
  const open = rows
    .filter((r) => r.status === "OPEN")
    .map((r) => ({
      id: r.id,
      dueOn: r.dueOn,
      owed: statementOf(r, law, plan.today).balance.total,
    }));
  const parts = splitOverClaims(plan.next.amount, open);
  if (parts.length === 0) return { ok: false, error: "nothing_due" };
  return startCheckout({
    residentId: input.residentId,
    claims: parts.map((p) => ({ claimId: p.id, amount: p.amount })),
    exact: true,
    requestId: `plan:${plan.id}:${input.requestId}`,
    locale: input.locale,
    publicUrl: input.publicUrl,
    email: input.email ?? null,
    now: input.now,
  });
}
