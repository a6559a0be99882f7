import { listResidentDisputes } from "~/services/disputes/dispute-views.server";
import { disputeForm } from "~/services/disputes/dispute-views.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DisputeErrors, type FormError } from "~/components/dispute-errors";
import { DisputeList } from "~/components/dispute-list";
import { useFormat } from "~/components/format";
import { DISPUTE_REASONS } from "~/domain/dispute-reasons";
import { env } from "~/infra/env.server";
import { readUploadForm } from "~/infra/multipart.server";
import { MAX_FILES } from "~/services/disputes/attachments.server";
import { requireResident } from "~/services/identity/resident-auth.server";
import { addDisputeInformation, fileDispute } from "~/services/disputes/disputes.server";

const ACCEPT = "application/pdf,.pdf,image/png,image/jpeg,image/gif,image/webp";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const resident = await requireResident(request);
  const claimId = params.claimId ?? "";
  const claim = resident.residentId ? await disputeForm(resident.residentId, claimId) : null;
  // Someone else's claim looks exactly like one that does not exist.
  if (!claim) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const charge = url.searchParams.get("charge");
  return {
    claim,
    disputes: await listResidentDisputes(resident.residentId!, claim.id),
    chargeId: claim.fees.some((f) => f.id === charge) ? charge : null,
    infoSent: url.searchParams.get("sent") === "info",
    maxFiles: MAX_FILES,
    maxMegabytes: Math.floor((env().UPLOAD_MAX_BYTES / (1024 * 1024)) * 10) / 10,
  };
}

type ActionData = {
  intent: "file" | "info";
  disputeId?: string;
  errors: FormError[];
  values: { chargeId: string; reason: string; text: string };
};

export async function action({
  request,
  params,
}: ActionFunctionArgs): Promise<ActionData | Response> {
  const resident = await requireResident(request);
  if (!resident.residentId) throw new Response("Not found", { status: 404 });
  const claimId = params.claimId ?? "";
  const form = await readUploadForm(request);
  const valuesOf = (fields: Record<string, string>) => ({
    chargeId: fields.chargeId ?? "",
    reason: fields.reason ?? "",
    text: fields.text ?? "",
  });
  if (!form.ok) {
    // What was typed and chosen comes back with the message: only the file is to send again.
    const fileName = form.fileName.split(/[\\/]/).pop()?.slice(0, 200) || undefined;
    return {
      intent: form.fields.intent === "info" ? "info" : "file",
      ...(form.fields.intent === "info" ? { disputeId: form.fields.disputeId ?? "" } : {}),
      errors: [
        { field: "files", message: "dispute.error.tooLarge", ...(fileName ? { fileName } : {}) },
      ],
      values: valuesOf(form.fields),
    };
  }
  const { fields, files } = form;
  const values = valuesOf(fields);
  const now = new Date();
  if (fields.intent === "info") {
    const result = await addDisputeInformation({
      residentId: resident.residentId,
      disputeId: fields.disputeId ?? "",
      text: values.text,
      files,
      now,
    });
    if (!result.ok) {
      return { intent: "info", disputeId: fields.disputeId, errors: result.errors, values };
    }
    return redirect(`/claims/${claimId}/dispute?sent=info#disputes-heading`, 303);
  }
  const result = await fileDispute({
    residentId: resident.residentId,
    claimId,
    chargeId: values.chargeId || undefined,
    reason: values.reason,
    text: values.text,
    files,
    now,
  });
  if (!result.ok) return { intent: "file", errors: result.errors, values };
  return redirect(`/claims/${claimId}?dispute=filed#disputes-heading`, 303);
}

export default function DisputeClaim() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { t } = useTranslation();
  const f = useFormat();
  const { claim } = data;
  const fileErrors = actionData?.intent === "file" ? actionData.errors : [];
  const values = actionData?.intent === "file" ? actionData.values : null;
  const has = (field: string) => fileErrors.some((e) => e.field === field);
  const filesHint = t("dispute.filesHint", { count: data.maxFiles, size: data.maxMegabytes });

  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to={`/claims/${claim.id}`}>{t("dispute.back")}</Link>
      </p>
      <h1>
        {t("dispute.title")}
        <span className="subtitle">
          {f.localName(claim.claimTypeNames, claim.claimTypeName)} – {claim.creditorName}
        </span>
      </h1>
      <p className="claim-description">{claim.description}</p>

      {data.infoSent ? (
        <div className="notice" role="status">
          <p>{t("dispute.infoSent")}</p>
        </div>
      ) : null}

      {data.disputes.length > 0 ? (
        <section aria-labelledby="disputes-heading">
          <h2 id="disputes-heading">{t("dispute.heading")}</h2>
          <DisputeList
            disputes={data.disputes}
            renderAnswer={(d) => {
              const errors =
                actionData?.intent === "info" && actionData.disputeId === d.id
                  ? actionData.errors
                  : [];
              return (
                <Form method="post" encType="multipart/form-data" className="dispute-form">
                  <h3>{t("dispute.infoHeading")}</h3>
                  <DisputeErrors errors={errors} titleKey="dispute.errorTitle" />
                  <input type="hidden" name="intent" value="info" />
                  <input type="hidden" name="disputeId" value={d.id} />
                  <label htmlFor={`info-${d.id}`} className="field-label">
                    {t("dispute.infoLabel")}
                  </label>
                  <textarea
                    id={`info-${d.id}`}
                    name="text"
                    rows={5}
                    maxLength={4000}
                    required
                    className="text-input text-area"
                  />
                  <label htmlFor={`info-files-${d.id}`} className="field-label">
                    {t("dispute.filesLabel")}
                  </label>
                  <p id={`info-files-hint-${d.id}`} className="hint">
                    {filesHint}
                  </p>
                  <input
                    id={`info-files-${d.id}`}
                    name="files"
                    type="file"
                    multiple
                    accept={ACCEPT}
                    aria-describedby={`info-files-hint-${d.id}`}
                    className="file-input"
                  />
                  <p>
                    <button type="submit" className="button button--primary">
                      {t("dispute.infoSubmit")}
                    </button>
                  </p>
                </Form>
              );
            }}
          />
        </section>
      ) : null}

      {claim.withEnforcement ? (
        <p data-testid="dispute-with-enforcement">
          {t("dispute.withEnforcement", { authority: t(`authority.${claim.authority}`) })}
        </p>
      ) : !claim.open ? (
        <p>{t("dispute.closedBill")}</p>
      ) : (
        <Form method="post" encType="multipart/form-data" className="card dispute-form">
          <p>{t("dispute.intro")}</p>
          <DisputeErrors errors={fileErrors} titleKey="dispute.errorTitle" />
          <input type="hidden" name="intent" value="file" />

          <label htmlFor="chargeId" className="field-label">
            {t("dispute.whatLabel")}
          </label>
          <select
            id="chargeId"
            name="chargeId"
            defaultValue={values?.chargeId ?? data.chargeId ?? ""}
            aria-invalid={has("chargeId") || undefined}
            className="text-input"
          >
            <option value="">{t("dispute.whole")}</option>
            {claim.fees.map((fee) => (
              <option key={fee.id} value={fee.id}>
                {t("dispute.feeOption", {
                  kind: t(`chargeKind.${fee.kind}`),
                  amount: f.money(fee.amount, claim.currency),
                  date: f.date(fee.chargedOn),
                })}
              </option>
            ))}
          </select>

          <fieldset className="radio-group" aria-invalid={has("reason") || undefined}>
            <legend className="field-label">{t("dispute.reasonLegend")}</legend>
            {DISPUTE_REASONS.map((r) => (
              <div key={r} className="radio">
                <input
                  type="radio"
                  id={`reason-${r}`}
                  name="reason"
                  value={r}
                  required
                  defaultChecked={values?.reason === r}
                />{" "}
                <label htmlFor={`reason-${r}`}>{t(`dispute.reason.${r}`)}</label>
              </div>
            ))}
          </fieldset>

          <label htmlFor="text" className="field-label">
            {t("dispute.textLabel")}
          </label>
          <p id="text-hint" className="hint">
            {t("dispute.textHint")}
          </p>
          <textarea
            id="text"
            name="text"
            rows={6}
            maxLength={4000}
            required
            defaultValue={values?.text ?? ""}
            aria-describedby="text-hint"
            aria-invalid={has("text") || undefined}
            className="text-input text-area"
          />

          <label htmlFor="files" className="field-label">
            {t("dispute.filesLabel")}
          </label>
          <p id="files-hint" className="hint">
            {filesHint}
          </p>
          <input
            id="files"
            name="files"
            type="file"
            multiple
            accept={ACCEPT}
            aria-describedby="files-hint"
            aria-invalid={fileErrors.some((e) => e.field.startsWith("files")) || undefined}
            className="file-input"
          />

          <p>
            <button type="submit" className="button button--primary button--large">
              {t("dispute.submit")}
            </button>
          </p>
        </Form>
      )}
    </div>
  );
}
