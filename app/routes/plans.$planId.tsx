import { getResidentPlan } from "~/services/plans/resident-plans.server";
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BankTransferFacts } from "~/components/bank-transfer";
import { z } from "zod/v4";
import { useFormat } from "~/components/format";
import { describedBy, ErrorSummary, FieldError } from "~/components/form-errors";
import { pageLang } from "~/i18n/i18next.server";
import { env } from "~/infra/env.server";
import { requireResident } from "~/services/identity/resident-auth.server";
import { answerOffer } from "~/services/plans/plans.server";
import { payInstalment } from "~/services/payments/plan-checkout.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  const plan = resident.residentId
    ? await getResidentPlan(resident.residentId, params.planId ?? "", new Date())
    : null;
  if (!plan) throw new Response("Not found", { status: 404 });
  return { plan, requestId: randomUUID() };
}

/**
 * A refused button and why: the payment's (`pay`), the offer's (`offer`: accept or decline), or
 * none that the server could tell (`intent`: said at the page's first button).
 */
type PlanPageError = { field: "pay" | "offer" | "intent"; key: string };

/** Refused, nothing changed: 404 for a plan not theirs, 409 where the plan moved on. */
const statusOf = (error: string) => (error === "not_found" ? 404 : 409);

export async function action({ request, params }: ActionFunctionArgs) {
  const resident = await requireResident(request);
  if (!resident.residentId) throw new Response("Not found", { status: 404 });
  const form = await request.formData();
  const intent = form.get("intent");
  const planId = params.planId ?? "";
  if (intent === "pay") {
    // The page's one-time id for this payment (a double press starts one checkout): missing or
    // garbled, the page was out of date; the page comes back with a fresh one.
    const requestId = z.uuid().safeParse(form.get("requestId"));
    if (!requestId.success) {
      const error: PlanPageError = { field: "pay", key: "plan.fieldError.payAgain" };
      return data({ error }, { status: 400 });
    }
    const result = await payInstalment({
      residentId: resident.residentId,
      planId,
      requestId: requestId.data,
      locale: await pageLang(request),
      publicUrl: env().PUBLIC_URL,
      now: new Date(),
    });
    if (!result.ok) {
      const error: PlanPageError = { field: "pay", key: `plan.error.${result.error}` };
      return data({ error }, { status: statusOf(result.error) });
    }
    return redirect(result.url, 303);
  }
  if (intent !== "accept" && intent !== "decline") {
    const error: PlanPageError = { field: "intent", key: "plan.fieldError.intent" };
    return data({ error }, { status: 400 });
  }
  const result = await answerOffer({
    residentId: resident.residentId,
    planId,
    accept: intent === "accept",
    now: new Date(),
  });
  if (!result.ok) {
    const error: PlanPageError = { field: "offer", key: `plan.error.${result.error}` };
    return data({ error }, { status: statusOf(result.error) });
  }
  return redirect(`/plans/${planId}`, 303);
}

/**
 * The buttons an error is about, if the page still shows them: the offer's while it is offered,
 * else the instalment's while one is due. A plan that moved on since shows others: then none, and
 * its status, which says why, is where the summary points.
 */
function errorAt(
  error: PlanPageError | null,
  offered: boolean,
  payable: boolean,
): "offer" | "pay" | null {
  if (!error) return null;
  if (error.field === "offer" || (error.field === "intent" && offered))
    return offered ? "offer" : null;
  return payable ? "pay" : null;
}

export default function PlanPage() {
  const { plan, requestId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const paidCount = plan.instalments.filter((i) => i.settled).length;
  const error = actionData?.error ?? null;
  const offered = plan.status === "OFFERED";
  const at = errorAt(error, offered, !!plan.next);
  const message = error ? t(error.key) : null;
  const offerError = at === "offer" ? message : null;
  const payError = at === "pay" ? message : null;
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/claims">{t("detail.back")}</Link>
      </p>
      <h1>
        {t(plan.deferral ? "plan.deferralTitle" : "plan.pageTitle")}
        <span className="subtitle">{plan.creditor.name}</span>
      </h1>
      <ErrorSummary
        title={t("plan.errorTitle")}
        errors={
          message
            ? [
                {
                  field: at === "offer" ? "accept" : (at ?? "plan-status-heading"),
                  message,
                },
              ]
            : []
        }
      />
      <section className="card summary" aria-labelledby="plan-status-heading">
        <h2 id="plan-status-heading">{t("plan.statusHeading")}</h2>
        <p data-testid="plan-status" data-status={plan.status}>
          <strong>{t(`plan.status.${plan.status}`)}</strong>
          {plan.endedOn ? ` ${t("plan.endedOn", { date: f.date(plan.endedOn) })}` : ""}
        </p>
        {plan.endReason && plan.status === "ENDED" ? (
          <p data-testid="plan-end-reason">{t(`plan.endReason.${plan.endReason}`)}</p>
        ) : null}
        {plan.decisionReason ? (
          <p data-testid="plan-decision">{t("plan.staffSaid", { reason: plan.decisionReason })}</p>
        ) : null}
        <dl className="facts">
          <div>
            <dt>{t("plan.total")}</dt>
            <dd>{f.money(plan.total, plan.currency)}</dd>
          </div>
          <div>
            <dt>{t("plan.paidSoFar")}</dt>
            <dd data-testid="plan-paid" data-minor={plan.paid}>
              {f.money(plan.paid, plan.currency)}
            </dd>
          </div>
          <div>
            <dt>{t("plan.progress")}</dt>
            <dd data-testid="plan-progress">
              {t("plan.progressValue", { paid: paidCount, count: plan.instalments.length })}
            </dd>
          </div>
        </dl>
      </section>

      {plan.status === "OFFERED" ? (
        <section className="card" aria-labelledby="offer-heading">
          <h2 id="offer-heading">{t("plan.offerHeading")}</h2>
          <FieldError id="offer-error" message={offerError} />
          <Form method="post" reloadDocument>
            <input type="hidden" name="intent" value="accept" />
            <button
              type="submit"
              id="accept"
              className="button button--primary"
              aria-describedby={describedBy(offerError && "offer-error")}
            >
              {t("plan.accept")}
            </button>
          </Form>
          <Form method="post" reloadDocument>
            <input type="hidden" name="intent" value="decline" />
            <button
              type="submit"
              id="decline"
              className="button button--secondary"
              aria-describedby={describedBy(offerError && "offer-error")}
            >
              {t("plan.decline")}
            </button>
          </Form>
        </section>
      ) : null}

      {plan.next ? (
        <section className="card next-box" aria-labelledby="next-heading">
          <h2 id="next-heading">{t("plan.nextHeading")}</h2>
          <p data-testid="plan-next">
            {t("plan.next", {
              amount: f.money(plan.next.amount, plan.currency),
              date: plan.next.dueOn ? f.date(plan.next.dueOn) : "",
            })}
          </p>
          <FieldError id="pay-error" message={payError} />
          <Form method="post" reloadDocument>
            <input type="hidden" name="intent" value="pay" />
            <input type="hidden" name="requestId" value={requestId} />
            <button
              type="submit"
              id="pay"
              className="button button--primary button--large"
              aria-describedby={describedBy(payError && "pay-error")}
            >
              {plan.next.payNow < plan.next.amount
                ? t("plan.payEarly")
                : t("plan.pay", { amount: f.money(plan.next.amount, plan.currency) })}
            </button>
          </Form>
          {plan.next.payNow < plan.next.amount && plan.next.dueOn ? (
            // One amount to pay (by the due date); paid sooner, interest stops sooner.
            <p className="hint" data-testid="plan-pay-early">
              {t("plan.payEarlyHint", { date: f.date(plan.next.dueOn) })}
            </p>
          ) : null}
          <p>{t("plan.payByTransfer", { context: plan.creditor.country })}</p>
          <BankTransferFacts
            country={plan.creditor.country}
            bankAccount={plan.creditor.bankAccount}
            iban={plan.creditor.iban}
            bic={plan.creditor.bic}
            reference={plan.reference}
            referenceTestId="plan-reference"
          />
        </section>
      ) : null}

      <section aria-labelledby="instalments-heading">
        <h2 id="instalments-heading">{t("plan.scheduleHeading")}</h2>
        <table className="breakdown" data-testid="plan-instalments">
          <caption>{t("plan.scheduleCaption", { count: plan.instalments.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("plan.col.due")}</th>
              <th scope="col" className="amount">
                {t("plan.col.amount")}
              </th>
              <th scope="col">{t("plan.col.status")}</th>
            </tr>
          </thead>
          <tbody>
            {plan.instalments.map((i) => (
              <tr key={i.seq} data-testid="plan-instalment" data-settled={i.settled}>
                <td data-label={t("plan.col.due")}>{f.date(i.dueOn)}</td>
                <td data-label={t("plan.col.amount")} className="amount">
                  {f.money(i.amount, plan.currency)}
                </td>
                <td data-label={t("plan.col.status")}>
                  {i.settled
                    ? t("plan.instalmentPaid")
                    : i.remindedOn && i.graceUntil
                      ? t("plan.reminded", { date: f.date(i.graceUntil) })
                      : i.paid > 0
                        ? t("plan.instalmentPart", { amount: f.money(i.paid, plan.currency) })
                        : t("plan.instalmentOpen")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <a href={`/plans/${plan.id}.ics`} download>
            {t("plan.ics")}
          </a>
        </p>
      </section>

      <section aria-labelledby="plan-claims-heading">
        <h2 id="plan-claims-heading">{t("plan.claimsLegend")}</h2>
        <ul className="plain-list">
          {plan.claims.map((c) => (
            <li key={c.id}>
              <Link to={`/claims/${c.id}`}>
                {f.localName(c.names, c.typeName)}: {c.description}
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="plan-history-heading">
        <h2 id="plan-history-heading">{t("detail.timelineHeading")}</h2>
        <ol className="timeline" data-testid="plan-history">
          {plan.events.map((e, i) => (
            <li key={i} data-testid="plan-event" data-type={e.type}>
              <time dateTime={e.occurredOn}>{f.date(e.occurredOn)}</time>{" "}
              <span>{t(`event.${e.type}`, { defaultValue: t("event.other") })}</span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
