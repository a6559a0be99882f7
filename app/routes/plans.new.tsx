import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { isWithEnforcement } from "~/domain/claim-stages";
import { requireResident } from "~/services/identity/resident-auth.server";
import { listResidentClaims } from "~/services/portal/claims.server";
import { parsePlanBy, previewPlan, requestPlan } from "~/services/plans/plans.server";

const MODES = ["months", "monthly", "defer"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  if (!resident.residentId) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const chosen = url.searchParams.getAll("claim");
  // Bills sent to the enforcement authority (or on their way) cannot go in a plan.
  const claims = (await listResidentClaims(resident.residentId, new Date())).filter(
    (c) => !isWithEnforcement(c.stage),
  );
  const first = claims.find((c) => chosen.includes(c.id));
  if (!first) throw new Response("Not found", { status: 404 });
  // A plan is with one creditor: the other bills it may include are that creditor's.
  const candidates = claims
    .filter((c) => c.creditor.slug === first.creditor.slug && c.statement.balance.total > 0)
    .map((c) => ({
      id: c.id,
      name: c.claimType.names,
      typeName: c.claimType.name,
      description: c.description,
      total: c.statement.balance.total,
      currency: c.currency,
    }));
  const mode = url.searchParams.get("mode");
  const values = {
    months: url.searchParams.get("months") ?? "6",
    monthly: url.searchParams.get("monthly") ?? "",
    defer: url.searchParams.get("defer") ?? "1",
  };
  let preview = null;
  let error: string | null = null;
  if (mode) {
    const by = parsePlanBy(mode, values[mode as keyof typeof values]);
    if (!by) error = "plan.error.format";
    else {
      const result = await previewPlan({
        residentId: resident.residentId,
        claimIds: chosen,
        by,
        now: new Date(),
      });
      if (result.ok) preview = result;
      else error = `plan.error.${result.error}`;
    }
  }
  return {
    creditorName: first.creditor.name,
    candidates,
    chosen,
    mode: MODES.includes(mode as (typeof MODES)[number]) ? mode : "months",
    values,
    preview,
    error,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const resident = await requireResident(request);
  if (!resident.residentId) return { error: "plan.error.not_found" };
  const form = await request.formData();
  const mode = form.get("mode");
  const by = parsePlanBy(mode, form.get(String(mode)));
  if (!by) return { error: "plan.error.format" };
  const result = await requestPlan({
    residentId: resident.residentId,
    claimIds: form.getAll("claim").map(String),
    by,
    now: new Date(),
  });
  if (!result.ok) return { error: `plan.error.${result.error}` };
  return redirect(`/plans/${result.planId}`, 303);
}

export default function NewPlan() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const error = actionData?.error ?? data.error;
  const p = data.preview;
  const currency = data.candidates[0]?.currency ?? "SEK";
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to={`/claims/${data.chosen[0] ?? ""}`}>{t("plan.back")}</Link>
      </p>
      <h1>
        {t("plan.title")}
        <span className="subtitle">{data.creditorName}</span>
      </h1>
      <p>{t("plan.intro")}</p>
      {error ? (
        <div className="notice notice--error" role="alert">
          <p>{t(error)}</p>
        </div>
      ) : null}
      <Form method="get" reloadDocument className="card">
        <fieldset>
          <legend className="field-label">{t("plan.claimsLegend")}</legend>
          {data.candidates.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                name="claim"
                value={c.id}
                defaultChecked={data.chosen.includes(c.id)}
              />{" "}
              {f.localName(c.name, c.typeName)}: {c.description} ({f.money(c.total, c.currency)})
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend className="field-label">{t("plan.howLegend")}</legend>
          <div className="plan-option">
            <label className="check">
              <input
                type="radio"
                name="mode"
                value="months"
                defaultChecked={data.mode === "months"}
              />{" "}
              {t("plan.byMonths")}
            </label>
            <label htmlFor="months" className="hint">
              {t("plan.monthsLabel")}
            </label>
            <input
              id="months"
              name="months"
              inputMode="numeric"
              className="text-input"
              defaultValue={data.values.months}
            />
          </div>
          <div className="plan-option">
            <label className="check">
              <input
                type="radio"
                name="mode"
                value="monthly"
                defaultChecked={data.mode === "monthly"}
              />{" "}
              {t("plan.byMonthly")}
            </label>
            <label htmlFor="monthly" className="hint">
              {t("plan.monthlyLabel")}
            </label>
            <input
              id="monthly"
              name="monthly"
              inputMode="decimal"
              className="text-input"
              defaultValue={data.values.monthly}
            />
          </div>
          <div className="plan-option">
            <label className="check">
              <input
                type="radio"
                name="mode"
                value="defer"
                defaultChecked={data.mode === "defer"}
              />{" "}
              {t("plan.byDefer")}
            </label>
            <label htmlFor="defer" className="hint">
              {t("plan.deferLabel")}
            </label>
            <input
              id="defer"
              name="defer"
              inputMode="numeric"
              className="text-input"
              defaultValue={data.values.defer}
            />
          </div>
        </fieldset>
        <button type="submit" className="button button--secondary">
          {t("plan.preview")}
        </button>
      </Form>
      {p ? (
        <section aria-labelledby="schedule-heading">
          <h2 id="schedule-heading">{t("plan.scheduleHeading")}</h2>
          {p.minInstalment !== null ? (
            <p className="hint">
              {t("plan.rulesHint", {
                months: p.maxMonths,
                min: f.money(p.minInstalment, currency),
                defer: p.maxDeferralMonths,
              })}
            </p>
          ) : null}
          <dl className="facts facts--stacked">
            <div>
              <dt>{t("plan.owed")}</dt>
              <dd>{f.money(p.owed, p.currency)}</dd>
            </div>
            <div>
              <dt>{t("plan.fee")}</dt>
              <dd data-testid="plan-fee">{f.money(p.fee, p.currency)}</dd>
            </div>
            <div>
              <dt>{t("plan.interest")}</dt>
              <dd>{f.money(p.interest, p.currency)}</dd>
            </div>
            <div>
              <dt>{t("plan.total")}</dt>
              <dd data-testid="plan-total" data-minor={p.total}>
                {f.money(p.total, p.currency)}
              </dd>
            </div>
          </dl>
          <table className="breakdown" data-testid="schedule">
            <caption>{t("plan.scheduleCaption", { count: p.instalments.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("plan.col.due")}</th>
                <th scope="col" className="amount">
                  {t("plan.col.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {p.instalments.map((i) => (
                <tr key={i.dueOn} data-testid="schedule-row">
                  <td data-label={t("plan.col.due")}>{f.date(i.dueOn)}</td>
                  <td data-label={t("plan.col.amount")} className="amount" data-minor={i.amount}>
                    {f.money(i.amount, p.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div
            className={p.within ? "notice" : "notice notice--warning"}
            data-testid="plan-verdict"
          >
            <p>{t(p.within ? "plan.within" : "plan.outside")}</p>
            {p.reasons.length > 0 ? (
              <ul>
                {p.reasons.map((r) => (
                  <li key={r}>{t(`plan.reason.${r}`)}</li>
                ))}
              </ul>
            ) : null}
          </div>
          <Form method="post" reloadDocument>
            {data.chosen.map((id) => (
              <input key={id} type="hidden" name="claim" value={id} />
            ))}
            <input type="hidden" name="mode" value={data.mode ?? "months"} />
            <input
              type="hidden"
              name={data.mode ?? "months"}
              value={data.values[(data.mode ?? "months") as keyof typeof data.values]}
            />
            <button type="submit" className="button button--primary button--large">
              {t(p.within ? "plan.confirm" : "plan.confirmRequest")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
