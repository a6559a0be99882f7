import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { CaseFlowForm, type ShownError } from "~/components/case-flow-form";
import { CaseFlowWords, ChangesTable } from "~/components/case-flow-words";
import { useFormat } from "~/components/format";
import { policyReasonText } from "~/components/policy-reason-text";
import { SimulationResult } from "~/components/simulation-result";
import { diffPolicies, fieldOfError, toContent, toValues } from "~/domain/policy-form";
import type { PolicyError } from "~/domain/policy-reasons";
import { requireStaff } from "~/services/identity/staff-auth.server";
import { adoptDraft, caseFlow, saveDraft } from "~/services/policies/case-flows.server";
import { DEFAULT_DAYS, MAX_DAYS } from "~/domain/policy-simulation";
import { runSimulation } from "~/services/policies/policy-simulation.server";

// Server-rendered forms and charts: the page works the same without JavaScript.
export const handle = { hydrate: false };

/*
 * One claim type's case flow (decision 0105): the current policy in words, its versions and what
 * changed, an admin's draft (checked against the law as `policy set` checks it), simulations of
 * the draft beside the current policy, and adopting the draft after one of exactly that content.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const flow = await caseFlow(staff, params.claimTypeId ?? "", new Date());
  if (!flow) throw new Response("Not found", { status: 404 });
  return { flow, isAdmin: staff.role === "ADMIN" };
}

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save") }),
  z.object({ intent: z.literal("simulate"), days: z.coerce.number().int().min(1).max(MAX_DAYS) }),
  z.object({ intent: z.literal("adopt"), simulationId: z.string().max(64) }),
]);

/** A form field's own problem (`form.invalid.*`) or a law-check reason (`reason.*`), by code. */
type ActionError = { field: string; form?: string; reason?: Pick<PolicyError, "code" | "params"> };
type ActionData = { values?: Record<string, string>; errors?: ActionError[]; error?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request, { roles: ["ADMIN"] });
  const now = new Date();
  const flow = await caseFlow(staff, params.claimTypeId ?? "", now);
  if (!flow) throw new Response("Not found", { status: 404 });
  const form = await request.formData();
  const parsed = Intent.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data<ActionData>({ error: "invalid" }, { status: 400 });
  const id = flow.claimType.id;
  const input = parsed.data;
  if (input.intent === "save") {
    const values: Record<string, string> = {};
    for (const [k, v] of form) if (typeof v === "string" && k !== "intent") values[k] = v.slice(0, 40); // prettier-ignore
    const content = toContent(values, flow.creditor.country);
    if (!content.ok)
      return data<ActionData>(
        { values, errors: content.errors.map((e) => ({ field: e.field, form: e.code })) },
        { status: 400 },
      );
    const saved = await saveDraft(staff, id, content.content, now);
    if ("notFound" in saved) throw new Response("Not found", { status: 404 });
    if (!saved.ok) {
      const errors = saved.errors.map((e) => ({
        field: fieldOfError(e, content.content),
        reason: { code: e.code, ...(e.params ? { params: e.params } : {}) },
      }));
      return data<ActionData>({ values, errors }, { status: 400 });
    }
    return redirect(`/staff/case-flows/${id}?saved=1#draft`);
  }
  if (input.intent === "simulate") {
    if (!flow.draft) return data<ActionData>({ error: "noDraft" }, { status: 409 });
    const run = await runSimulation({ claimTypeId: id, draft: flow.draft.content, days: input.days, staffId: staff.staffId, now }); // prettier-ignore
    if (!run.ok) return data<ActionData>({ error: "unlawful" }, { status: 409 });
    return redirect(`/staff/case-flows/${id}?simulation=${run.id}#simulation`);
  }
  const adopted = await adoptDraft(staff, id, input.simulationId, now);
  if ("notFound" in adopted) throw new Response("Not found", { status: 404 });
  if (!adopted.ok) return data<ActionData>({ error: adopted.error }, { status: 409 });
  return redirect(`/staff/case-flows/${id}?adopted=${adopted.version}`);
}

export default function CaseFlowPage() {
  const { flow, isAdmin } = useLoaderData<typeof loader>();
  const result = useActionData<ActionData>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const k = (key: string, o?: Record<string, unknown>) => t(`backoffice.caseFlows.${key}`, o);
  const { creditor, figures } = flow;
  const current = flow.versions[0];
  const name = f.localName(flow.claimType.names, flow.claimType.name);
  const when = (iso: string) => f.dateTime(iso, creditor.timeZone);
  const chosen = flow.simulations.find((s) => s.id === params.get("simulation")) ?? flow.simulations[0]; // prettier-ignore
  const formValues = result?.values ?? toValues(flow.draft?.content ?? current?.content ?? EMPTY);
  // The law check's reasons by their codes, in staff's words (decision 0110).
  const errors: ShownError[] = (result?.errors ?? []).map((e) => ({
    field: e.field,
    message: e.reason
      ? policyReasonText(e.reason, t, f, creditor.currency)
      : k(`form.invalid.${e.form ?? "int"}`),
  }));
  const words = { country: creditor.country, currency: creditor.currency, figures };
  return (
    <div className="page case-flow">
      <p className="breadcrumb">
        <Link to="/staff/case-flows">{k("title")}</Link>
      </p>
      <h1>{k("heading", { name, creditor: creditor.name })}</h1>
      {params.get("saved") ? (
        <p className="notice" role="status">
          {k("saved")}
        </p>
      ) : null}
      {params.get("adopted") ? (
        <p className="notice" role="status" data-testid="adopted">
          {k("adopted", { version: params.get("adopted") })}
        </p>
      ) : null}
      {result?.error ? (
        <p className="notice notice--error" role="alert">
          {k(`error.${result.error}`)}
        </p>
      ) : null}

      <section aria-labelledby="current">
        <h2 id="current">
          {current
            ? k("current", { version: current.version, since: when(current.createdAt) })
            : k("noPolicy")}
        </h2>
        {current ? (
          <CaseFlowWords policy={current.content} {...words} testId="current-policy" />
        ) : null}
      </section>

      <section aria-labelledby="versions">
        <h2 id="versions">{k("versions")}</h2>
        {flow.versions.map((v, i) => {
          const previous = flow.versions[i + 1];
          return (
            <details key={v.version} open={i === 0}>
              <summary>
                {k("versionLine", { version: v.version, when: when(v.createdAt) })}{" "}
                {v.adoptedBy ? k("adoptedBy", { name: v.adoptedBy }) : k("savedElsewhere")}
              </summary>
              {previous ? (
                <ChangesTable
                  changes={diffPolicies(previous.content, v.content, creditor.country)}
                  currency={creditor.currency}
                  caption={k("changedFrom", { version: previous.version })}
                />
              ) : (
                <p>{k("firstVersion")}</p>
              )}
            </details>
          );
        })}
      </section>

      <section aria-labelledby="draft">
        <h2 id="draft">{k("draft")}</h2>
        {flow.draft ? (
          <>
            <p>
              {k("draftLine", {
                version: flow.draft.baseVersion,
                when: when(flow.draft.updatedAt),
                name: flow.draft.updatedBy ?? "—",
              })}
            </p>
            {current ? (
              <ChangesTable
                changes={diffPolicies(current.content, flow.draft.content, creditor.country)}
                currency={creditor.currency}
                caption={k("draftChanges", { version: current.version })}
              />
            ) : null}
            <h3>{k("draftWords")}</h3>
            <CaseFlowWords policy={flow.draft.content} {...words} testId="draft-policy" />
          </>
        ) : (
          <p>{k("noDraft")}</p>
        )}
        {isAdmin ? (
          <>
            <h3>{k("form.title")}</h3>
            <p className="hint">{k("form.intro")}</p>
            <CaseFlowForm values={formValues} errors={errors} {...words} />
          </>
        ) : (
          <p className="hint">{k("adminOnly")}</p>
        )}
      </section>

      <section aria-labelledby="simulation">
        <h2 id="simulation">{k("simulation")}</h2>
        <p className="hint">{k("simulationIntro")}</p>
        {isAdmin && flow.draft ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="simulate" />
            <label htmlFor="sim-days">{k("days")}</label>{" "}
            <input
              id="sim-days"
              name="days"
              type="number"
              min={1}
              max={MAX_DAYS}
              defaultValue={DEFAULT_DAYS}
            />{" "}
            <button type="submit" className="button">
              {k("simulate")}
            </button>
          </Form>
        ) : null}
        {chosen ? (
          <>
            <SimulationResult
              summary={chosen.summary}
              currency={creditor.currency}
              when={when(chosen.createdAt)}
              by={chosen.by}
            />
            {isAdmin && chosen.adoptable ? (
              <Form method="post">
                <input type="hidden" name="intent" value="adopt" />
                <input type="hidden" name="simulationId" value={chosen.id} />
                <p className="hint">{k("adoptHint")}</p>
                <button type="submit" className="button">
                  {k("adopt")}
                </button>
              </Form>
            ) : flow.draft && isAdmin ? (
              <p className="hint">{k("simulateFirst")}</p>
            ) : null}
          </>
        ) : (
          <p>{k("noSimulation")}</p>
        )}
        {flow.simulations.length > 1 ? (
          <>
            <h3>{k("earlier")}</h3>
            <ul>
              {flow.simulations.map((s) => (
                <li key={s.id}>
                  <Link to={`?simulation=${s.id}#simulation`}>
                    {k("runLine", {
                      when: when(s.createdAt),
                      days: s.days,
                      name: s.by ?? k("sim.commandLine"),
                    })}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </div>
  );
}

const EMPTY = {
  steps: [],
  enforcementMinimum: 0,
  chargesInterest: false,
  allocationOrder: ["costs", "interest", "principal"] as const,
  resumeDeadlineDays: 14,
  postalDays: 2,
} as unknown as Parameters<typeof toValues>[0];
