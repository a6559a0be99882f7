import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, problem, requireApiCaller } from "~/api/http.server";
import type { Decision } from "~/domain/escalation";
import { getCreditorClaim } from "~/services/portal/claims.server";

function nextActionView(next: Decision, today: string) {
  if (next.kind === "stop")
    return { kind: next.kind, on: next.resumesOn ?? null, step: null, reason: next.reason };
  const action = next.action;
  return {
    kind: next.kind,
    on: next.kind === "act" ? today : next.on,
    step: action.type === "step" ? action.stage : "FRESH_DEADLINE",
    reason: null,
  };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requireApiCaller(request);
  if (caller instanceof Response) return caller;
  const claim = await getCreditorClaim(caller.creditorId, params.externalId ?? "", new Date());
  // Another creditor's claim is indistinguishable from a missing one.
  if (!claim)
    return problem(404, "Not Found", { detail: "No claim of yours has that externalId." });
  return json({
    id: claim.id,
    externalId: claim.externalId,
    status: claim.status,
    stage: claim.stage,
    currency: claim.currency,
    paymentReference: claim.paymentReference,
    holds: claim.holds,
    charges: claim.statement.lines.flatMap((l) =>
      l.type === "charge"
        ? [
            {
              kind: l.kind,
              amount: l.amount,
              chargedOn: l.chargedOn,
              cause: l.causeType,
              legalBasis: l.legalBasis,
            },
          ]
        : [],
    ),
    payments: claim.statement.payments.map((p) => ({
      amount: p.amount,
      receivedOn: p.receivedOn,
      method: p.method,
    })),
    balance: {
      principal: claim.statement.balance.principal,
      fees: claim.statement.balance.fees,
      interest: claim.statement.balance.interest,
      total: claim.statement.balance.total,
      asOf: claim.today,
    },
    notices: claim.notices.map(({ kind, sentOn, deadline, channel, status, dispatchedOn }) => ({
      kind,
      sentOn,
      channel,
      status,
      dispatchedOn,
      deadline,
    })),
    nextAction: nextActionView(claim.next, claim.today),
    events: claim.events,
  });
}
