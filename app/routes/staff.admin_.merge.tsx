import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { MergeReportTable } from "~/components/merge-report";
import { requireStaff, type StaffUser } from "~/services/identity/staff-auth.server";
import {
  mergeableCreditors,
  mergeCreditors,
  type MergeRefusal,
} from "~/services/operations/creditor-merge.server";

export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const Pair = z.object({
  from: z.string().trim().min(1).max(100),
  into: z.string().trim().min(1).max(100),
});

type Refusal = MergeRefusal | "invalid" | "not_yours" | "not_confirmed";
const STATUS: Record<Refusal, number> = {
  invalid: 400,
  not_confirmed: 400,
  same_creditor: 400,
  unknown_creditor: 404,
  not_yours: 403,
  already_merged: 409,
  different_country: 409,
  different_currency: 409,
  conflict: 409,
};

/** An admin merges only creditors they belong to, both of them. */
async function checkPair(
  admin: StaffUser,
  values: Record<string, unknown>,
): Promise<{ error: Refusal } | { error?: undefined; from: string; into: string }> {
  const parsed = Pair.safeParse(values);
  if (!parsed.success) return { error: "invalid" };
  const mine = await mergeableCreditors(admin.creditorIds);
  const { from, into } = parsed.data;
  if (from === into) return { error: "same_creditor" };
  if (!mine.some((c) => c.slug === from) || !mine.some((c) => c.slug === into))
    return { error: "not_yours" };
  return { from, into };
}

/** The form, and with ?from=&into= the dry run: what the merge would move, nothing changed. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireStaff(request, { roles: ["ADMIN"] });
  const creditors = await mergeableCreditors(admin.creditorIds);
  const params = new URL(request.url).searchParams;
  if (!params.has("from") && !params.has("into"))
    return { creditors, preview: null, error: null, chosen: null };
  const chosen = { from: params.get("from") ?? "", into: params.get("into") ?? "" };
  const pair = await checkPair(admin, chosen);
  if (pair.error !== undefined)
    return data(
      { creditors, preview: null, error: pair.error, chosen },
      { status: STATUS[pair.error] },
    );
  const r = await mergeCreditors({
    fromSlug: pair.from,
    intoSlug: pair.into,
    actor: `staff:${admin.staffId}`,
    now: new Date(),
    dryRun: true,
  });
  if (!r.ok)
    return data({ creditors, preview: null, error: r.error, chosen }, { status: STATUS[r.error] });
  return { creditors, preview: r.report, error: null, chosen };
}

/** The merge itself, after the preview and a confirmation. */
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireStaff(request, { roles: ["ADMIN"] });
  const form = Object.fromEntries(await request.formData());
  const pair = await checkPair(admin, form);
  if (pair.error !== undefined)
    return data({ error: pair.error, done: null }, { status: STATUS[pair.error] });
  if (form.confirm !== "yes")
    return data({ error: "not_confirmed" as const, done: null }, { status: 400 });
  const r = await mergeCreditors({
    fromSlug: pair.from,
    intoSlug: pair.into,
    actor: `staff:${admin.staffId}`,
    now: new Date(),
    dryRun: false,
  });
  if (!r.ok) return data({ error: r.error, done: null }, { status: STATUS[r.error] });
  return { error: null, done: r.report };
}

/** One of the two creditor choices ("from" and "into"), with its label and hint. */
function CreditorChoice(props: {
  side: "from" | "into";
  creditors: { id: string; slug: string; name: string }[];
  chosen: string | undefined;
  m: (k: string) => string;
}) {
  const { side, creditors, chosen, m } = props;
  const id = `merge-${side}`;
  return (
    <>
      <label htmlFor={id} className="field-label">
        {m(side)}
      </label>
      <p id={`${id}-hint`} className="hint">
        {m(`${side}Hint`)}
      </p>
      <select
        id={id}
        name={side}
        aria-describedby={`${id}-hint`}
        defaultValue={chosen ?? ""}
        className="text-input"
        required
      >
        <option value="">{m("choose")}</option>
        {creditors.map((c) => (
          <option key={c.id} value={c.slug}>
            {c.name}
          </option>
        ))}
      </select>
    </>
  );
}

export default function MergeCreditors() {
  const { creditors, preview, error: previewError, chosen } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const m = (k: string, o?: Record<string, unknown>) => t(`staff.merge.${k}`, o);
  const error = result?.error ?? previewError;
  const done = result?.done ?? null;
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff/admin">{t("staff.admin.title")}</Link>
      </p>
      <h1>{m("title")}</h1>
      <p className="lead">{m("intro")}</p>

      {error ? (
        <div className="notice notice--error" role="alert" data-testid="merge-error">
          <p>{m(`error.${error}`)}</p>
        </div>
      ) : null}

      {done ? (
        <section className="notice" role="status" data-testid="merge-done">
          <h2>{m("done", { from: done.from.name, into: done.into.name })}</h2>
          <MergeReportTable report={done} />
        </section>
      ) : null}

      {!done && creditors.length < 2 ? <p>{m("needTwo")}</p> : null}

      {!done && creditors.length >= 2 ? (
        <Form method="get" className="card" reloadDocument>
          <h2>{m("chooseHeading")}</h2>
          <CreditorChoice side="from" creditors={creditors} chosen={chosen?.from} m={m} />
          <CreditorChoice side="into" creditors={creditors} chosen={chosen?.into} m={m} />
          <button type="submit" className="button button--secondary">
            {m("preview")}
          </button>
        </Form>
      ) : null}

      {!done && preview ? (
        <section aria-labelledby="preview-heading" className="card" data-testid="merge-preview">
          <h2 id="preview-heading">
            {m("previewHeading", { from: preview.from.name, into: preview.into.name })}
          </h2>
          <p>{m("nothingChanged")}</p>
          <MergeReportTable report={preview} />
          {/* No query string: after the merge the page is not a preview of it again. */}
          <Form method="post" action="/staff/admin/merge" reloadDocument>
            <input type="hidden" name="from" value={preview.from.slug} />
            <input type="hidden" name="into" value={preview.into.slug} />
            <div className="checkbox">
              <input id="merge-confirm" type="checkbox" name="confirm" value="yes" required />{" "}
              <label htmlFor="merge-confirm">
                {m("confirm", { from: preview.from.name, into: preview.into.name })}
              </label>
            </div>
            <button type="submit" className="button button--primary">
              {m("submit")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
