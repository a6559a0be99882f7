import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod/v4";
import { useFormat } from "~/components/format";
import { describedBy, FieldError } from "~/components/form-errors";
import { PaymentPreviewList } from "~/components/payment-preview";
import { formatAmountInput, parseMajorAmount } from "~/domain/money";
import { pageLang, typedInLang } from "~/i18n/i18next.server";
import { formattingLocale } from "~/i18n/config";
import { env } from "~/infra/env.server";
import { requireResident } from "~/services/identity/resident-auth.server";
import {
  MIN_PART_PAYMENT,
  previewPayment,
  startCheckout,
} from "~/services/payments/checkout.server";

// What is wrong with the amount typed: said next to the amount field. Anything else (the bill
// paid meanwhile, the payment service down) is about the page, said at its top.
const AMOUNT_ERRORS = new Set([
  "pay.error.format",
  "pay.error.amount_too_small",
  "pay.error.amount_too_large",
]);

const ConfirmSchema = z.object({
  amount: z.coerce.number().int().positive(),
  requestId: z.uuid(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  const claimId = params.claimId ?? "";
  const full = resident.residentId
    ? await previewPayment({
        residentId: resident.residentId,
        claims: [{ claimId }],
        now: new Date(),
      })
    : null;
  if (!full?.ok) throw new Response("Not found", { status: 404 });
  const owed = full.items[0]!.owed;
  const url = new URL(request.url);
  let typed = url.searchParams.get("amount");
  const lang = await pageLang(request);
  let preview = null;
  let error: string | null = null;
  let amount = owed;
  if (typed !== null) {
    // Read as the page it was typed on writes amounts: its hint and its figures ("2,830.16" in
    // English).
    const typedLang = typedInLang(url.searchParams, lang);
    const parsed = parseMajorAmount(typed, formattingLocale(typedLang));
    if (parsed === null) error = "pay.error.format";
    else {
      amount = parsed;
      // Shown again as this page writes amounts, to be read as this page's from now on.
      if (typedLang !== lang) typed = formatAmountInput(parsed, formattingLocale(lang));
      const result = await previewPayment({
        residentId: resident.residentId!,
        claims: [{ claimId, amount: parsed }],
        now: new Date(),
      });
      if (result.ok) preview = result;
      else error = `pay.error.${result.error}`;
    }
  }
  return {
    lang,
    claimId,
    item: full.items[0]!,
    owed,
    min: Math.min(MIN_PART_PAYMENT, owed),
    typed,
    amount,
    preview,
    error,
    requestId: randomUUID(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const resident = await requireResident(request);
  const parsed = ConfirmSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success || !resident.residentId) return { error: "pay.error.format" };
  const result = await startCheckout({
    residentId: resident.residentId,
    claims: [{ claimId: params.claimId ?? "", amount: parsed.data.amount }],
    requestId: parsed.data.requestId,
    locale: await pageLang(request),
    publicUrl: env().PUBLIC_URL,
    now: new Date(),
  });
  if (!result.ok) return { error: `pay.error.${result.error}` };
  return redirect(result.url, 303);
}

export default function PayClaim() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  const error = actionData?.error ?? data.error;
  const limits = {
    min: f.money(data.min, data.item.currency),
    max: f.money(data.owed, data.item.currency),
    example: f.amountInput(25_050),
  };
  const amountError = error && AMOUNT_ERRORS.has(error) ? t(error, limits) : null;
  const pageError = error && !AMOUNT_ERRORS.has(error) ? t(error, limits) : null;
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to={`/claims/${data.claimId}`}>{t("pay.back")}</Link>
      </p>
      <h1>
        {t("pay.title")}
        <span className="subtitle">
          {f.localName(data.item.names, data.item.claimTypeName)} – {data.item.creditorName}
        </span>
      </h1>
      <p>{t("pay.owed", { amount: f.money(data.owed, data.item.currency) })}</p>
      {pageError ? (
        <div className="notice notice--error" role="alert">
          <p>{pageError}</p>
        </div>
      ) : null}
      <Form method="get" reloadDocument className="card">
        {/* The language the amount is typed in: read so even if the page's is switched after. */}
        <input type="hidden" name="typedIn" value={data.lang} />
        <label htmlFor="amount" className="field-label">
          {t("pay.amountLabel")}
        </label>
        <p id="amount-hint" className="hint">
          {t("pay.amountHint", limits)} {t("pay.amountFormat", limits)}
        </p>
        <FieldError id="amount-error" message={amountError} />
        <input
          id="amount"
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          defaultValue={data.typed ?? f.amountInput(data.owed)}
          aria-invalid={amountError ? true : undefined}
          aria-describedby={describedBy(amountError && "amount-error", "amount-hint")}
          className="text-input"
        />
        <button type="submit" className="button button--secondary">
          {t("pay.preview")}
        </button>
      </Form>
      {data.preview ? (
        <section aria-labelledby="preview-heading">
          <h2 id="preview-heading">{t("pay.previewHeading")}</h2>
          <PaymentPreviewList items={data.preview.items} />
          <Form method="post" reloadDocument>
            <input type="hidden" name="amount" value={data.amount} />
            <input type="hidden" name="requestId" value={data.requestId} />
            <button type="submit" className="button button--primary button--large">
              {t("pay.confirm", { amount: f.money(data.amount, data.item.currency) })}
            </button>
          </Form>
          <p className="hint">{t("pay.confirmHint")}</p>
        </section>
      ) : null}
      <p>
        <Link to={`/claims/${data.claimId}#pay-heading`}>{t("pay.byTransfer")}</Link>
      </p>
    </div>
  );
}
