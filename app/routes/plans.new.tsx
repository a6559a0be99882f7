import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { describedBy, ErrorSummary, FieldError } from "~/components/form-errors";
import { isWithEnforcement } from "~/domain/claim-stages";
import { formatAmountInput } from "~/domain/money";
import { MAX_SCHEDULE_MONTHS } from "~/domain/payment-plan";
import { formattingLocale } from "~/i18n/config";
import { pageLang, typedInLang } from "~/i18n/i18next.server";
import { requireResident } from "~/services/identity/resident-auth.server";
import { listResidentClaims } from "~/services/portal/claims.server";
import type { BasisError } from "~/services/plans/plan-basis.server";
import {
  MAX_DEFER_MONTHS,
  parsePlanBy,
  planByOfFigure,
  planFigureOf,
  planLimits,
  previewPlan,
  requestPlan,
} from "~/services/plans/plans.server";

const MODES = ["months", "monthly", "defer"] as const;
type Mode = (typeof MODES)[number];
const isMode = (mode: unknown): mode is Mode => MODES.includes(mode as Mode);
const WAYS: Record<Mode, string> = {
  months: "plan.byMonths",
  monthly: "plan.byMonthly",
  defer: "plan.byDefer",
};

/** A field of the form and what is wrong with it: the message's key, next to that field. */
type PlanFormError = { field: "claims" | "mode" | Mode; key: string };

/** The field a figure that cannot be read belongs to: the chosen way's own, else the choice. */
const unreadable = (mode: unknown): PlanFormError =>
  isMode(mode)
    ? { field: mode, key: `plan.fieldError.${mode}` }
    : { field: "mode", key: "plan.fieldError.mode" };

/** Every bill unticked: said at the bills. */
const NO_CLAIMS: PlanFormError = { field: "claims", key: "plan.fieldError.claims" };

/**
 * Where the service's refusal belongs: a schedule that cannot be drawn up is the figure's fault
 * (too many months for the amount, too small an amount a month); the rest is about the bills.
 */
function refusal(error: BasisError, mode: Mode): PlanFormError {
  if (error === "no_claims") return NO_CLAIMS;
  if (error === "bad_request")
    return mode === "defer"
      ? unreadable(mode)
      : { field: mode, key: `plan.fieldError.${mode}Schedule` };
  return { field: "claims", key: `plan.error.${error}` };
}

/**
 * Refused, nothing written: 400 for what was typed or ticked, 404 for bills not the resident's,
 * 409 where the bills do not allow it now (in a plan already, paid, sent for enforcement).
 */
const statusOf = (error: PlanFormError) =>
  error.key.startsWith("plan.fieldError.") ? 400 : error.key === "plan.error.not_found" ? 404 : 409;

export async function loader({ request }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  if (!resident.residentId) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const chosen = url.searchParams.getAll("claim");
  // Bills sent to the enforcement authority (or on their way) cannot go in a plan.
  const claims = (await listResidentClaims(resident.residentId, new Date())).filter(
    (c) => !isWithEnforcement(c.stage),
  );
  // Every bill unticked: the form comes back for the creditor it was about, saying so.
  const creditor = url.searchParams.get("creditor");
  const first =
    claims.find((c) => chosen.includes(c.id)) ??
    (chosen.length === 0 ? claims.find((c) => c.creditor.slug === creditor) : undefined);
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
  // Shown next to the fields from the start: what is granted at once, before any preview.
  // With no bill ticked, the limits of the creditor's bills the form offers.
  const limitedBy = chosen.length > 0 ? chosen : candidates.map((c) => c.id);
  const limits = await planLimits({
    residentId: resident.residentId,
    claimIds: claims.filter((c) => limitedBy.includes(c.id)).map((c) => c.id),
  });
  const values = {
    months: url.searchParams.get("months") ?? "6",
    monthly: url.searchParams.get("monthly") ?? "",
    defer: url.searchParams.get("defer") ?? "1",
  };
  const lang = await pageLang(request);
  // An amount is read as the page it was typed on writes amounts.
  const typedLang = typedInLang(url.searchParams, lang);
  let preview = null;
  let figure: string | null = null;
  let error: PlanFormError | null = null;
  if (mode) {
    const by = isMode(mode) ? parsePlanBy(mode, values[mode], formattingLocale(typedLang)) : null;
    if (!by || !isMode(mode)) error = unreadable(mode);
    else {
      // Shown again as this page writes it, to be read as this page's from now on.
      if ("monthly" in by && typedLang !== lang)
        values.monthly = formatAmountInput(by.monthly, formattingLocale(lang));
      const result = await previewPlan({
        residentId: resident.residentId,
        claimIds: chosen,
        by,
        now: new Date(),
      });
      if (result.ok) {
        preview = result;
        figure = planFigureOf(by);
      } else error = refusal(result.error, mode);
    }
  } else if (chosen.length === 0) error = NO_CLAIMS;
  return data(
    {
      lang,
      creditorSlug: first.creditor.slug,
      creditorName: first.creditor.name,
      candidates,
      chosen,
      mode: isMode(mode) ? mode : "months",
      values,
      limits,
      // The longest deferral the form takes (the service's; its module stays on the server).
      maxDefer: MAX_DEFER_MONTHS,
      preview,
      // What the confirm step carries: the previewed figure as the server writes it.
      figure,
      error,
    },
    // Refused: the form again, saying why.
    { status: error ? statusOf(error) : 200 },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const resident = await requireResident(request);
  if (!resident.residentId)
    return { error: { field: "claims", key: "plan.error.not_found" } satisfies PlanFormError };
  const form = await request.formData();
  const mode = form.get("mode");
  const claimIds = form.getAll("claim").map(String);
  if (claimIds.length === 0) return data({ error: NO_CLAIMS }, { status: statusOf(NO_CLAIMS) });
  // The figure the preview showed, as the server wrote it (not what was typed): the same in
  // every language, so a language switched since the preview changes nothing.
  const by = isMode(mode) ? planByOfFigure(mode, form.get("figure")) : null;
  if (!by || !isMode(mode)) return data({ error: unreadable(mode) }, { status: 400 });
  const result = await requestPlan({
    residentId: resident.residentId,
    claimIds,
    by,
    now: new Date(),
  });
  if (!result.ok) {
    const error = refusal(result.error, mode);
    return data({ error }, { status: statusOf(error) });
  }
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
  const lim = data.limits;
  const words = {
    maxMonths: MAX_SCHEDULE_MONTHS,
    maxDefer: data.maxDefer,
    example: f.amountInput(25_050),
    ...(lim
      ? {
          months: lim.maxMonths,
          min: f.money(lim.minInstalment, currency),
          defer: lim.maxDeferralMonths,
        }
      : {}),
  };
  /** The message for `field` when it is the one that is wrong. */
  const errorOf = (field: PlanFormError["field"]) =>
    error?.field === field ? t(error.key, words) : null;
  /** One way to pay: its radio, its field's label, hint, error and the field. */
  const option = (mode: Mode, inputMode: "numeric" | "decimal", hint: string) => {
    const fieldError = errorOf(mode);
    return (
      <div className="plan-option">
        <label className="check">
          <input
            type="radio"
            name="mode"
            value={mode}
            id={mode === "months" ? "mode" : undefined}
            defaultChecked={data.mode === mode}
          />{" "}
          {t(WAYS[mode])}
        </label>
        <label htmlFor={mode} className="hint">
          {t(`plan.${mode}Label`)}
        </label>
        <p id={`${mode}-hint`} className="hint" data-testid={`${mode}-limits`}>
          {hint}
        </p>
        <FieldError id={`${mode}-error`} message={fieldError} />
        <input
          id={mode}
          name={mode}
          inputMode={inputMode}
          autoComplete="off"
          className="text-input"
          defaultValue={data.values[mode]}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={describedBy(fieldError && `${mode}-error`, `${mode}-hint`)}
        />
      </div>
    );
  };
  const claimsError = errorOf("claims");
  const modeError = errorOf("mode");
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to={data.chosen[0] ? `/claims/${data.chosen[0]}` : "/claims"}>{t("plan.back")}</Link>
      </p>
      <h1>
        {t("plan.title")}
        <span className="subtitle">{data.creditorName}</span>
      </h1>
      <p>{t("plan.intro")}</p>
      <ErrorSummary
        title={t("plan.errorTitle")}
        errors={error ? [{ field: error.field, message: t(error.key, words) }] : []}
      />
      <Form method="get" reloadDocument className="card">
        {/* Whose bills these are (the form comes back for them with none ticked), and the
            language amounts are typed in (read so even if the page's is switched after). */}
        <input type="hidden" name="creditor" value={data.creditorSlug} />
        <input type="hidden" name="typedIn" value={data.lang} />
        <fieldset aria-describedby={describedBy(claimsError && "claims-error")}>
          <legend className="field-label">{t("plan.claimsLegend")}</legend>
          <FieldError id="claims-error" message={claimsError} />
          {data.candidates.map((c, i) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                name="claim"
                value={c.id}
                id={i === 0 ? "claims" : undefined}
                defaultChecked={data.chosen.includes(c.id)}
                aria-invalid={claimsError ? true : undefined}
              />{" "}
              {f.localName(c.name, c.typeName)}: {c.description} ({f.money(c.total, c.currency)})
            </label>
          ))}
        </fieldset>
        <fieldset aria-describedby={describedBy(modeError && "mode-error", "plan-limits")}>
          <legend className="field-label">{t("plan.howLegend")}</legend>
          <p id="plan-limits" className="hint">
            {t(lim ? "plan.limits.intro" : "plan.reason.no_rules")}
          </p>
          <FieldError id="mode-error" message={modeError} />
          {option(
            "months",
            "numeric",
            lim ? t("plan.limits.months", words) : t("plan.limits.monthsAny", words),
          )}
          {option(
            "monthly",
            "decimal",
            `${lim ? `${t("plan.limits.monthly", words)} ` : ""}${t("plan.limits.amountFormat", words)}`,
          )}
          {option(
            "defer",
            "numeric",
            !lim
              ? t("plan.limits.deferAny", words)
              : lim.maxDeferralMonths > 0
                ? t("plan.limits.defer", words)
                : t("plan.limits.deferNever", words),
          )}
        </fieldset>
        <button type="submit" className="button button--secondary">
          {t("plan.preview")}
        </button>
      </Form>
      {p && data.figure ? (
        <section aria-labelledby="schedule-heading">
          <h2 id="schedule-heading">{t("plan.scheduleHeading")}</h2>
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
            <input type="hidden" name="mode" value={data.mode} />
            <input type="hidden" name="figure" value={data.figure} />
            <button
              type="submit"
              className="button button--primary button--large"
              data-testid="plan-confirm"
            >
              {t(p.within ? "plan.confirm" : "plan.confirmRequest")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
