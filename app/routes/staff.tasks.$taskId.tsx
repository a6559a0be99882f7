import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { useFormat } from "~/components/format";
import { useStaffTime } from "~/components/staff-time";
import { requireStaff } from "~/services/identity/staff-auth.server";
import { paymentTaskView, resolvePaymentTask } from "~/services/backoffice/payment-tasks.server";
import { claimCandidates } from "~/services/backoffice/search.server";

const QUEUE_OF = {
  PAYMENT_MISMATCH: "mismatches",
  UNMATCHED_BANK_PAYMENT: "unmatched",
  REFUND_CREDIT: "credits",
  CARD_DISPUTE: "cardDisputes",
  WRITE_OFF: "writeOffs",
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const task = await paymentTaskView(staff, params.taskId ?? "");
  // Another creditor's task, or unassigned money for an agent, is not there at all.
  if (!task) throw new Response("Not found", { status: 404 });
  // Finding the claim to match money to, by what staff know of the payer (a GET form).
  const find = (new URL(request.url).searchParams.get("find") ?? "").trim().slice(0, 100);
  const candidates =
    find.length >= 2 && task.actions.includes("match")
      ? await claimCandidates(staff, find, new Date())
      : null;
  return { task, find, candidates };
}

const Input = z.object({
  intent: z.enum(["match", "accept", "returned", "refunded", "handled"]),
  note: z.string().max(2000),
  claimRef: z.string().max(100).optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireStaff(request);
  const parsed = Input.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { error: "paymentTask.error.invalid" };
  const taskId = params.taskId ?? "";
  const result = await resolvePaymentTask(staff, {
    taskId,
    action: parsed.data.intent,
    note: parsed.data.note,
    claimRef: parsed.data.claimRef,
    now: new Date(),
  });
  if (!result.ok) {
    if (result.error === "not_found") throw new Response("Not found", { status: 404 });
    return { error: `paymentTask.error.${result.error}` };
  }
  // Post, redirect, get: reloading the page shows the outcome without sending the form again.
  return redirect(`/staff/tasks/${taskId}?done=1`, 303);
}

function NoteField({ id, label }: { id: string; label: string }) {
  return (
    <>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <textarea
        id={id}
        name="note"
        required
        minLength={5}
        maxLength={2000}
        rows={2}
        className="text-input"
      />
    </>
  );
}

/** One payment task: what the money was, and the one decision that settles it. */
export default function PaymentTaskPage() {
  const { task, find, candidates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const time = useStaffTime();
  const { facts } = task;
  const money = (amount: number | null, currency: string | null) =>
    amount !== null && currency ? f.money(amount, currency) : "–";
  const fact = (label: string, value: string | null, testId?: string) =>
    value ? (
      <div>
        <dt>{label}</dt>
        <dd data-testid={testId}>{value}</dd>
      </div>
    ) : null;
  const sameCurrency = !task.claim || facts.currency === task.claim.currency;

  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to={`/staff/queues/${QUEUE_OF[task.kind]}`}>
          {t(`backoffice.queue.${QUEUE_OF[task.kind]}`)}
        </Link>
      </p>
      <h1>
        {t(`paymentTask.kind.${task.kind}`)}{" "}
        <span className="subtitle">{money(facts.amount, facts.currency)}</span>
      </h1>
      {search.get("done") && task.status === "DONE" ? (
        <p className="notice notice--info" role="status" data-testid="action-result">
          {t("paymentTask.done")}
        </p>
      ) : null}
      {result?.error ? (
        <p className="notice notice--error" role="alert" data-testid="action-result">
          {t(result.error)}
        </p>
      ) : null}
      <dl className="facts card" data-testid="task-facts">
        {fact(t("paymentTask.status"), t(`paymentTask.statusName.${task.status}`), "task-status")}
        {fact(t("paymentTask.amount"), money(facts.amount, facts.currency))}
        {facts.expected
          ? fact(
              t("paymentTask.expected"),
              facts.expected.amount !== null
                ? money(facts.expected.amount, facts.expected.currency)
                : (facts.expected.currency ?? ""),
            )
          : null}
        {fact(t("paymentTask.reference"), facts.reference ?? t("paymentTask.noReference"))}
        {fact(t("paymentTask.payer"), facts.payerName)}
        {fact(t("paymentTask.bookedOn"), facts.bookedOn ? f.date(facts.bookedOn) : null)}
        {fact(t("paymentTask.message"), facts.message)}
        {fact(t("paymentTask.disputeReason"), facts.dispute?.reason ?? null)}
        {fact(t("paymentTask.raised"), time.dateTime(task.createdAt))}
        {task.claim ? (
          <div>
            <dt>{t("paymentTask.claim")}</dt>
            <dd>
              <Link to={`/staff/cases/${task.claim.id}`}>{task.claim.externalId}</Link> (
              {task.claim.paymentReference})
            </dd>
          </div>
        ) : null}
      </dl>

      {facts.resolution ? (
        <section aria-labelledby="resolution-heading" className="card">
          <h2 id="resolution-heading">{t("paymentTask.resolution")}</h2>
          <p data-testid="task-resolution">
            {t(`paymentTask.resolved.${facts.resolution.action}`, {
              defaultValue: facts.resolution.action,
            })}
          </p>
          <p>{facts.resolution.note}</p>
          <p className="hint">
            {t("paymentTask.resolvedBy", {
              name: task.resolvedBy ?? facts.resolution.by,
              date: time.dateTime(facts.resolution.at),
            })}
          </p>
        </section>
      ) : null}

      {task.actions.length > 0 ? (
        <section aria-labelledby="act-heading">
          <h2 id="act-heading">{t("paymentTask.act")}</h2>
          {task.actions.includes("match") ? (
            <Form method="get" reloadDocument className="card" role="search">
              <h3>{t("paymentTask.find.heading")}</h3>
              <label htmlFor="find-claim" className="field-label">
                {t("paymentTask.find.label")}
              </label>
              <input
                id="find-claim"
                name="find"
                type="search"
                defaultValue={find}
                maxLength={100}
                autoComplete="off"
                className="text-input text-input--wide"
              />
              <button type="submit" className="button button--secondary">
                {t("paymentTask.find.button")}
              </button>
              {candidates && candidates.length === 0 ? (
                <p role="status">{t("paymentTask.find.none")}</p>
              ) : null}
            </Form>
          ) : null}
          {task.actions.includes("match") ? (
            <Form method="post" reloadDocument className="card">
              <h3>{t("paymentTask.action.match")}</h3>
              <p className="hint">{t("paymentTask.matchHint")}</p>
              <input type="hidden" name="intent" value="match" />
              {candidates && candidates.length > 0 ? (
                <fieldset data-testid="claim-candidates">
                  <legend className="field-label">{t("paymentTask.find.choose")}</legend>
                  {candidates.map((c) => (
                    <p key={c.id} className="select-to-pay">
                      <input
                        type="radio"
                        name="claimRef"
                        value={c.paymentReference}
                        id={`candidate-${c.id}`}
                        required
                      />{" "}
                      <label htmlFor={`candidate-${c.id}`}>
                        {t("paymentTask.find.candidate", {
                          claim: c.externalId,
                          resident: c.residentName,
                          creditor: c.creditorName,
                          description: c.description,
                          date: f.date(c.dueOn),
                          reference: c.paymentReference,
                        })}
                      </label>
                    </p>
                  ))}
                </fieldset>
              ) : (
                <>
                  <label htmlFor="claim-ref" className="field-label">
                    {t("paymentTask.claimRef")}
                  </label>
                  <input
                    id="claim-ref"
                    name="claimRef"
                    required
                    maxLength={100}
                    autoComplete="off"
                    className="text-input"
                  />
                </>
              )}
              <NoteField id="match-note" label={t("paymentTask.note")} />
              <button type="submit" className="button button--primary">
                {t("paymentTask.submit.match")}
              </button>
            </Form>
          ) : null}
          {task.actions.includes("accept") && !sameCurrency ? (
            <div className="card">
              <h3>{t("paymentTask.action.accept")}</h3>
              <p>{t("paymentTask.acceptOtherCurrency")}</p>
            </div>
          ) : null}
          {task.actions.includes("accept") && sameCurrency ? (
            <Form method="post" reloadDocument className="card">
              <h3>{t("paymentTask.action.accept")}</h3>
              <p className="hint">{t("paymentTask.acceptHint")}</p>
              <input type="hidden" name="intent" value="accept" />
              <NoteField id="accept-note" label={t("paymentTask.note")} />
              <button type="submit" className="button button--primary">
                {t("paymentTask.submit.accept")}
              </button>
            </Form>
          ) : null}
          {(["returned", "refunded", "handled"] as const)
            .filter((a) => task.actions.includes(a))
            .map((a) => (
              <Form key={a} method="post" reloadDocument className="card">
                <h3>{t(`paymentTask.action.${a}`)}</h3>
                <p className="hint">{t(`paymentTask.hint.${a}`)}</p>
                <input type="hidden" name="intent" value={a} />
                <NoteField id={`${a}-note`} label={t(`paymentTask.noteFor.${a}`)} />
                <button type="submit" className="button button--secondary">
                  {t(`paymentTask.submit.${a}`)}
                </button>
              </Form>
            ))}
        </section>
      ) : null}
    </div>
  );
}
