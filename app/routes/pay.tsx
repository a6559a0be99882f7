import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { useFormat } from "~/components/format";
import { PaymentPreviewList } from "~/components/payment-preview";
import { payPathOf } from "~/domain/currency-groups";
import { pageLang } from "~/i18n/i18next.server";
import { env } from "~/infra/env.server";
import { requireResident } from "~/services/identity/resident-auth.server";
import { previewPayment, startCheckout } from "~/services/payments/checkout.server";

const ConfirmSchema = z.object({ claim: z.array(z.uuid()).min(1).max(50), requestId: z.uuid() });

/** Several claims paid at once, each in full (a part payment is made from one claim's page). */
export async function loader({ request }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  const url = new URL(request.url);
  const ids = url.searchParams.getAll("claim");
  if (ids.length === 0) {
    // "Pay the selected bills" with none chosen: back to that currency's bills, saying so.
    const currency = /^[A-Z]{3}$/.test(url.searchParams.get("currency") ?? "")
      ? url.searchParams.get("currency")!
      : null;
    return redirect(currency ? `/claims?choose=${currency}#choose-${currency}` : "/claims");
  }
  const preview = resident.residentId
    ? await previewPayment({
        residentId: resident.residentId,
        claims: ids.map((claimId) => ({ claimId })),
        now: new Date(),
      })
    : null;
  if (!preview) throw new Response("Not found", { status: 404 });
  return { preview, ids, requestId: randomUUID() };
}

export async function action({ request }: ActionFunctionArgs) {
  const resident = await requireResident(request);
  const form = await request.formData();
  const parsed = ConfirmSchema.safeParse({
    claim: form.getAll("claim"),
    requestId: form.get("requestId"),
  });
  if (!parsed.success || !resident.residentId) return { error: "pay.error.not_found" };
  const result = await startCheckout({
    residentId: resident.residentId,
    claims: parsed.data.claim.map((claimId) => ({ claimId })),
    requestId: parsed.data.requestId,
    locale: await pageLang(request),
    publicUrl: env().PUBLIC_URL,
    now: new Date(),
  });
  if (!result.ok) return { error: `pay.error.${result.error}` };
  return redirect(result.url, 303);
}

export default function PaySeveral() {
  const { preview, ids, requestId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const error = actionData?.error ?? (preview.ok ? null : `pay.error.${preview.error}`);
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/claims">{t("detail.back")}</Link>
      </p>
      <h1>{t("pay.severalTitle")}</h1>
      {error ? (
        <div className="notice notice--error" role="alert">
          <p>{t(error, { min: "", max: "" })}</p>
        </div>
      ) : null}
      {!preview.ok && preview.groups ? (
        // Bills in several currencies (only a hand-made address asks for that): never a dead
        // end, each currency's bills have a payment of their own.
        <div data-testid="pay-by-currency">
          <p>{t("pay.mixed.intro")}</p>
          <ul className="plain-list action-links">
            {preview.groups.map((g) => (
              <li key={g.currency}>
                <Link to={payPathOf(g.claimIds)} reloadDocument>
                  {t("pay.mixed.link", {
                    count: g.claimIds.length,
                    currency: g.currency,
                    amount: f.money(g.total, g.currency),
                  })}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {preview.ok ? (
        <>
          <PaymentPreviewList items={preview.items} />
          <Form method="post" reloadDocument>
            {ids.map((id) => (
              <input key={id} type="hidden" name="claim" value={id} />
            ))}
            <input type="hidden" name="requestId" value={requestId} />
            <button type="submit" className="button button--primary button--large">
              {t("pay.confirm", { amount: f.money(preview.total, preview.currency) })}
            </button>
          </Form>
          <p className="hint">{t("pay.confirmHint")}</p>
        </>
      ) : null}
    </div>
  );
}
