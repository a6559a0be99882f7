import { staffPlanView } from "~/services/backoffice/plan-views.server";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useErrorWords } from "~/components/staff-field-error";
import { REASON_MAX } from "~/domain/reason-limits";
import { ReasonList } from "~/components/staff-reason-list";
import { z } from "zod/v4";
import { useFormat } from "~/components/format";
import { decidePlanRequest, endPlan, restructurePlan } from "~/services/backoffice/plans.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const plan = await staffPlanView(staff, params.planId ?? "", new Date());
  if (!plan) throw new Response("Not found", { status: 404 });
  return { plan };
}

const Intent = z.object({
  intent: z.enum(["approve", "offer", "refuse", "end", "restructure"]),
  // It goes into the resident's letter: at most REASON_MAX characters, as on the case view.
  reason: z.string().max(REASON_MAX).default(""),
  months: z.coerce.number().int().min(1).max(120).optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const form = Object.fromEntries(await request.formData());
  if (form.months === "") delete form.months;
  const parsed = Intent.safeParse(form);
  if (!parsed.success) {
    const tooLong = parsed.error.issues.some((i) => i.code === "too_big" && i.path[0] === "reason");
    return data(
      tooLong
        ? { error: "backoffice.error.too_long", values: { max: REASON_MAX } }
        : { error: "backoffice.error.invalid" },
      { status: 400 },
    );
  }
  const { intent, reason, months } = parsed.data;
  const planId = params.planId ?? "";
  const now = new Date();
  const by = months ? { months } : null;
  const result =
    intent === "end"
      ? await endPlan(staff, { planId, reason, now })
      : intent === "restructure"
        ? by
          ? await restructurePlan(staff, { planId, reason, by, now })
          : ({ ok: false, error: "bad_schedule" } as const)
        : await decidePlanRequest(staff, { planId, decision: intent, reason, by, now });
  if (result.ok) return { done: `backoffice.plans.done.${intent}` };
  // Refused, nothing changed: 404 for a plan not theirs, 409 where the plan or its claims moved
  // on (paid, closed, decided), 400 for what staff typed.
  const status =
    result.error === "not_found"
      ? 404
      : result.error === "reason_required" || result.error === "bad_schedule"
        ? 400
        : 409;
  return data({ error: `backoffice.plans.error.${result.error}` }, { status });
}

export default function StaffPlan() {
  const { plan } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const errorWords = useErrorWords();
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff/plans">{t("backoffice.plans.title")}</Link>
      </p>
      <h1>
        {plan.residentName}
        <span className="subtitle" data-testid="staff-plan-status">
          {t(`plan.status.${plan.status}`)}
        </span>
      </h1>
      {actionData && "error" in actionData ? (
        <div className="notice notice--error" role="alert">
          <p>
            {errorWords({
              error: actionData.error ?? "",
              values: "values" in actionData ? (actionData.values as { max: number }) : undefined,
            })}
          </p>
        </div>
      ) : null}
      {actionData && "done" in actionData ? (
        <div className="notice" role="status">
          <p>{t(actionData.done ?? "")}</p>
        </div>
      ) : null}
      <p>
        {t("plan.total")}: {f.money(plan.total, plan.currency)}.
      </p>
      {plan.outsideRules.length > 0 ? (
        <ReasonList
          keys={plan.outsideRules.map((x) => `backoffice.plans.outsideRules.${x}`)}
          label={t("backoffice.plans.whyPerson")}
        />
      ) : null}
      {plan.health ? (
        <p data-testid="staff-plan-health">{t(`backoffice.plans.health.${plan.health.state}`)}</p>
      ) : null}
      {plan.health?.next ? (
        <p data-testid="staff-plan-next">
          {t("backoffice.plans.next", {
            amount: f.money(plan.health.next.amount, plan.currency),
            date: plan.health.next.dueOn ? f.date(plan.health.next.dueOn) : "",
          })}
        </p>
      ) : null}
      <table className="breakdown">
        <caption>{t("plan.scheduleCaption", { count: plan.instalments.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("plan.col.due")}</th>
            <th scope="col" className="amount">
              {t("plan.col.amount")}
            </th>
          </tr>
        </thead>
        <tbody>
          {plan.instalments.map((i) => (
            <tr key={i.seq}>
              <td data-label={t("plan.col.due")}>{f.date(i.dueOn)}</td>
              <td data-label={t("plan.col.amount")} className="amount">
                {f.money(i.amount, plan.currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="plain-list">
        {plan.claims.map((c) => (
          <li key={c.id}>
            <Link to={`/staff/cases/${c.id}`}>{c.externalId}</Link> {c.description}
          </li>
        ))}
      </ul>
      {plan.status === "REQUESTED" || plan.status === "ACTIVE" || plan.status === "OFFERED" ? (
        <Form method="post" className="card">
          <label htmlFor="reason" className="field-label">
            {t("backoffice.plans.reason")}
          </label>
          <textarea
            id="reason"
            name="reason"
            className="text-input"
            rows={3}
            maxLength={REASON_MAX}
          />
          <label htmlFor="months" className="field-label">
            {t("backoffice.plans.months")}
          </label>
          <input id="months" name="months" inputMode="numeric" className="text-input" />
          <div className="staff-form-actions" data-testid="plan-actions">
            {plan.status === "REQUESTED" ? (
              <>
                <button
                  type="submit"
                  name="intent"
                  value="approve"
                  className="button button--primary"
                >
                  {t("backoffice.plans.approve")}
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="offer"
                  className="button button--secondary"
                >
                  {t("backoffice.plans.offer")}
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="refuse"
                  className="button button--secondary"
                >
                  {t("backoffice.plans.refuse")}
                </button>
              </>
            ) : (
              <>
                {plan.status === "ACTIVE" ? (
                  <button
                    type="submit"
                    name="intent"
                    value="restructure"
                    className="button button--secondary"
                  >
                    {t("backoffice.plans.restructure")}
                  </button>
                ) : null}
                <button
                  type="submit"
                  name="intent"
                  value="end"
                  className="button button--secondary"
                >
                  {t("backoffice.plans.end")}
                </button>
              </>
            )}
          </div>
        </Form>
      ) : null}
      <ol className="timeline">
        {plan.events.map((e, i) => (
          <li key={i}>
            <time dateTime={e.occurredOn}>{f.date(e.occurredOn)}</time>{" "}
            {t(`event.${e.type}`, { defaultValue: t("event.other") })} (
            {t(`backoffice.words.author.${e.actor}`, {
              defaultValue: t("backoffice.words.author.system"),
            })}
            )
          </li>
        ))}
      </ol>
    </div>
  );
}
