import { getResidentPlan } from "~/services/plans/resident-plans.server";
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BankTransferFacts } from "~/components/bank-transfer";
import { z } from "zod/v4";
import { useFormat } from "~/components/format";
import { i18next } from "~/i18n/i18next.server";
import { isLang } from "~/i18n/config";
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

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("pay"), requestId: z.uuid() }),
  z.object({ intent: z.literal("accept") }),
  z.object({ intent: z.literal("decline") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const resident = await requireResident(request);
  const parsed = Intent.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success || !resident.residentId) return { error: "plan.error.format" };
  const planId = params.planId ?? "";
  if (parsed.data.intent === "pay") {
    const lng = await i18next.getLocale(request);
    const result = await payInstalment({
      residentId: resident.residentId,
      planId,
      requestId: parsed.data.requestId,
      locale: isLang(lng) ? lng : "en",
      publicUrl: env().PUBLIC_URL,
      now: new Date(),
    });
    if (!result.ok) return { error: `plan.error.${result.error}` };
    return redirect(result.url, 303);
  }
  const result = await answerOffer({
    residentId: resident.residentId,
    planId,
    accept: parsed.data.intent === "accept",
    now: new Date(),
  });
  if (!result.ok) return { error: `plan.error.${result.error}` };
  return redirect(`/plans/${planId}`, 303);
}

export default function PlanPage() {
  const { plan, requestId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const paidCount = plan.instalments.filter((i) => i.settled).length;
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/claims">{t("detail.back")}</Link>
      </p>
      <h1>
        {t(plan.deferral ? "plan.deferralTitle" : "plan.pageTitle")}
        <span className="subtitle">{plan.creditor.name}</span>
      </h1>
      {actionData?.error ? (
        <div className="notice notice--error" role="alert">
          <p>{t(actionData.error)}</p>
        </div>
      ) : null}
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
          <Form method="post" reloadDocument>
            <input type="hidden" name="intent" value="accept" />
            <button type="submit" className="button button--primary">
              {t("plan.accept")}
            </button>
          </Form>
          <Form method="post" reloadDocument>
            <input type="hidden" name="intent" value="decline" />
            <button type="submit" className="button button--secondary">
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
          <Form method="post" reloadDocument>
            <input type="hidden" name="intent" value="pay" />
            <input type="hidden" name="requestId" value={requestId} />
            <button type="submit" className="button button--primary button--large">
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
