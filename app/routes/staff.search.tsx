import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StaffClaimState } from "~/components/stage-label";
import { useFormat } from "~/components/format";
import { staffSearch } from "~/services/backoffice/search.server";
import { requireStaff } from "~/services/identity/staff-auth.server";

/**
 * The back office's search: a GET form (in every staff page's header, and here), so it works
 * without JavaScript and a result can be bookmarked by the staff member (the term stays in their
 * own browser's history; the audit log records only what kind of term it was).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  if (q.trim().length < 2) return { q, tooShort: q.trim().length > 0, result: null };
  return { q, tooShort: false, result: await staffSearch(staff, q, new Date()) };
}

export default function StaffSearch() {
  const { q, tooShort, result } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  const col = (k: string) => t(`backoffice.search.col.${k}`);
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/staff">{t("backoffice.toQueues")}</Link>
      </p>
      <h1>{t("backoffice.search.title")}</h1>
      <Form method="get" action="/staff/search" role="search" className="staff-search">
        <label htmlFor="search-page-q">{t("backoffice.search.label")}</label>
        <p className="hint" id="search-page-hint">
          {t("backoffice.search.hint")}
        </p>
        <input
          id="search-page-q"
          name="q"
          type="search"
          defaultValue={q}
          aria-describedby="search-page-hint"
          autoComplete="off"
        />{" "}
        <button type="submit" className="button">
          {t("backoffice.search.button")}
        </button>
      </Form>
      {tooShort ? <p role="status">{t("backoffice.search.tooShort")}</p> : null}
      {result ? (
        <section aria-labelledby="search-results" data-testid="search-results">
          <h2 id="search-results" className="visually-hidden">
            {t("backoffice.search.title")}
          </h2>
          {result.kind === "none" ? (
            <p role="status">{t("backoffice.search.none")}</p>
          ) : (
            <p role="status">{t(`backoffice.search.kind.${result.kind}`)}</p>
          )}
          {result.residents.length > 0 ? (
            <table className="breakdown staff-table">
              <caption>{t("backoffice.search.residents")}</caption>
              <thead>
                <tr>
                  <th scope="col">{col("name")}</th>
                  <th scope="col">{col("country")}</th>
                  <th scope="col">{col("open")}</th>
                  <th scope="col">{col("claims")}</th>
                  <th scope="col">{col("creditors")}</th>
                </tr>
              </thead>
              <tbody>
                {result.residents.map((r) => (
                  <tr key={r.id} data-testid="search-resident">
                    <td data-label={col("name")}>
                      <Link to={`/staff/residents/${r.id}`}>{r.name}</Link>
                    </td>
                    <td data-label={col("country")}>{f.country(r.country)}</td>
                    <td data-label={col("open")}>{r.openClaims}</td>
                    <td data-label={col("claims")}>{r.claims}</td>
                    <td data-label={col("creditors")}>{r.creditors.join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {result.claims.length > 0 ? (
            <table className="breakdown staff-table">
              <caption>{t("backoffice.search.claims")}</caption>
              <thead>
                <tr>
                  <th scope="col">{col("claim")}</th>
                  <th scope="col">{col("resident")}</th>
                  <th scope="col">{col("creditor")}</th>
                  <th scope="col">{col("stage")}</th>
                  <th scope="col">{col("reference")}</th>
                </tr>
              </thead>
              <tbody>
                {result.claims.map((c) => (
                  <tr key={c.id} data-testid="search-claim">
                    <td data-label={col("claim")}>
                      <Link to={`/staff/cases/${c.id}`}>{c.externalId}</Link>
                    </td>
                    <td data-label={col("resident")}>
                      <Link to={`/staff/residents/${c.residentId}`}>{c.residentName}</Link>
                    </td>
                    <td data-label={col("creditor")}>{c.creditorName}</td>
                    <td data-label={col("stage")}>
                      <StaffClaimState
                        status={c.status}
                        stage={c.stage}
                        country={c.country}
                        own={c.ownEnforcement}
                      />
                    </td>
                    <td data-label={col("reference")}>{c.paymentReference}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
