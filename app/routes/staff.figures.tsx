import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FigureAlertsForm, FigureTableView, useFigureWords } from "~/components/figure-views";
import { FIGURE_TABLE_IDS } from "~/domain/figures";
import {
  figureCreditors,
  loadFigures,
  saveFigureAlerts,
} from "~/services/backoffice/figures.server";
import { parseAlertForm, parseFigureQuery } from "~/services/backoffice/figures-input.server";
import { recountUnderWay, requestRecount } from "~/services/backoffice/figures-queries.server";
import { requireStaff, staffTimeZone } from "~/services/identity/staff-auth.server";

const EDITORS = ["SUPERVISOR", "ADMIN"] as const;

/**
 * The figures page (docs/decisions/0104): one creditor of the staff member's, one claim type or
 * all, the last 12 or 24 months, as charts and tables; a GET form chooses, so it works without
 * JavaScript and can be bookmarked. 404 for a creditor or claim type that is not theirs.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const creditors = await figureCreditors(staff);
  const q = parseFigureQuery(new URL(request.url).searchParams, creditors);
  if (!q.ok) throw new Response(q.status === 404 ? "Not found" : "Bad request", q);
  const [figures, underWay, timeZone] = await Promise.all([
    loadFigures(staff, q.value, new Date()),
    recountUnderWay(),
    staffTimeZone(staff),
  ]);
  if (!figures) throw new Response("Not found", { status: 404 });
  return {
    recount: { underWay, timeZone },
    creditors: creditors.map((c) => ({ id: c.id, name: c.name, claimTypes: c.claimTypes })),
    figures,
    months: q.value.months,
    canEdit: (EDITORS as readonly string[]).includes(staff.role),
  };
}

/** Supervisors and admins set the creditor's alert thresholds; 400 with the reasons otherwise. */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireStaff(request, { roles: [...EDITORS] });
  const form = await request.formData();
  const creditorId = String(form.get("creditor") ?? "");
  if (!staff.creditorIds.includes(creditorId)) throw new Response("Not found", { status: 404 });
  if (form.get("intent") === "recount") {
    // Handed to the worker; the page, shown again at once, says a recount is under way.
    await requestRecount();
    const back = new URLSearchParams({ creditor: creditorId });
    for (const k of ["type", "months"]) {
      const v = form.get(k);
      if (typeof v === "string" && /^[\w-]{1,40}$/.test(v)) back.set(k, v);
    }
    return redirect(`/staff/figures?${back.toString()}`, 303);
  }
  const parsed = parseAlertForm(form);
  if (!parsed.ok) return data({ saved: false, errors: parsed.errors }, { status: 400 });
  await saveFigureAlerts(staff, creditorId, parsed.rules, new Date());
  return { saved: true, errors: [] as string[] };
}

export default function FiguresPage() {
  const { creditors, figures, months, canEdit, recount } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const w = useFigureWords(figures.creditor.currency);
  const typeParam = figures.claimTypeId ?? "all";
  const csvHref = (table: string) =>
    `/staff/figures.csv?${new URLSearchParams({
      creditor: figures.creditor.id,
      type: typeParam,
      months: String(months),
      table,
    }).toString()}`;
  const chosenType = figures.creditor.claimTypes.find((c) => c.id === figures.claimTypeId);
  return (
    <div className="page page--wide">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("backoffice.figures.title")}</h1>
      <section aria-labelledby="figure-alerts" className="figure-alerts">
        <h2 id="figure-alerts" className="visually-hidden">
          {t("backoffice.figures.alerts.heading")}
        </h2>
        {figures.alerts.length === 0 ? (
          <p role="status" data-testid="figure-alerts-none">
            {t("backoffice.figures.alerts.none", { month: w.month(figures.alertMonth) })}
          </p>
        ) : (
          <ul role="alert" className="figure-alerts__list" data-testid="figure-alerts">
            {figures.alerts.map((a, i) => (
              <li key={i}>{w.alert(a)}</li>
            ))}
          </ul>
        )}
      </section>
      <p>{t("backoffice.figures.intro")}</p>
      <Form method="get" action="/staff/figures" className="figure-chooser">
        <label htmlFor="fig-creditor">{t("backoffice.figures.chooser.creditor")}</label>
        <select id="fig-creditor" name="creditor" defaultValue={figures.creditor.id}>
          {creditors.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <label htmlFor="fig-type">{t("backoffice.figures.chooser.claimType")}</label>
        <select id="fig-type" name="type" defaultValue={typeParam}>
          <option value="all">{t("backoffice.figures.chooser.allTypes")}</option>
          {figures.creditor.claimTypes.map((c) => (
            <option key={c.id} value={c.id}>
              {w.typeName(c)}
            </option>
          ))}
        </select>
        <label htmlFor="fig-months">{t("backoffice.figures.chooser.months")}</label>
        <select id="fig-months" name="months" defaultValue={String(months)}>
          <option value="12">{t("backoffice.figures.chooser.last", { count: 12 })}</option>
          <option value="24">{t("backoffice.figures.chooser.last", { count: 24 })}</option>
        </select>{" "}
        <button type="submit" className="button">
          {t("backoffice.figures.chooser.show")}
        </button>
      </Form>
      <Form method="post" className="figure-recount">
        <p className="hint" data-testid="figure-counted">
          {figures.countedAt
            ? t("backoffice.figures.countedAt", {
                time: w.f.dateTime(figures.countedAt, recount.timeZone),
              })
            : t("backoffice.figures.notCounted")}
        </p>
        {recount.underWay ? (
          <p role="status" className="notice" data-testid="figure-recount-under-way">
            {t("backoffice.figures.recountUnderWay")}
          </p>
        ) : null}
        {canEdit ? (
          <>
            <input type="hidden" name="creditor" value={figures.creditor.id} />
            <input type="hidden" name="type" value={typeParam} />
            <input type="hidden" name="months" value={String(months)} />
            <button
              type="submit"
              name="intent"
              value="recount"
              className="button button--secondary"
              disabled={busy || recount.underWay}
            >
              {t("backoffice.figures.recount")}
            </button>
          </>
        ) : null}
      </Form>
      <p className="hint" data-testid="figure-scope">
        {t("backoffice.figures.scope", {
          creditor: figures.creditor.name,
          type: chosenType ? w.typeName(chosenType) : t("backoffice.figures.chooser.allTypes"),
          first: w.month(figures.months[0]!),
          last: w.month(figures.months[figures.months.length - 1]!),
        })}
      </p>
      {FIGURE_TABLE_IDS.map((id) => (
        <FigureTableView
          key={id}
          table={figures.tables.find((tb) => tb.id === id)!}
          words={w}
          csvHref={csvHref(id)}
        />
      ))}
      <FigureAlertsForm
        creditorId={figures.creditor.id}
        rules={figures.creditor.rules}
        canEdit={canEdit}
        busy={busy}
        result={result ?? null}
        words={w}
      />
    </div>
  );
}
