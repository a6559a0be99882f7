import { createInstance } from "i18next";
import { formatMoney, type Currency } from "~/domain/money";
import { fallbackLng, intlLocale, type Lang } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { escapeHtml, safeHref } from "./mail-format.server";

export type PlanMailKind =
  | "granted"
  | "requested"
  | "offered"
  | "refused"
  | "reminder"
  | "ended"
  | "completed"
  | "restructured";

/** What a plan message says, frozen when it is queued (Outbox.content). */
export type PlanMailContent = {
  kind: PlanMailKind;
  language: Lang;
  residentName: string;
  creditorName: string;
  currency: string;
  sentOn: string;
  planUrl: string;
  amount?: number;
  dueOn?: string;
  graceUntil?: string;
  reason?: string;
};

/** A message about a payment plan, HTML and text, in the resident's language. */
export function renderPlanMail(c: PlanMailContent): {
  subject: string;
  html: string;
  text: string;
} {
  const i18n = createInstance();
  void i18n.init({
    resources,
    lng: c.language,
    fallbackLng,
    ns: ["mail"],
    defaultNS: "mail",
    initImmediate: false,
    interpolation: { escapeValue: false },
  });
  const t = i18n.t.bind(i18n);
  const locale = intlLocale[c.language];
  const date = (iso: string | undefined) =>
    iso
      ? new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
          new Date(`${iso}T00:00:00Z`),
        )
      : "";
  const values = {
    creditor: c.creditorName,
    amount:
      c.amount === undefined
        ? ""
        : formatMoney({ amount: c.amount, currency: c.currency as Currency }, locale),
    dueOn: date(c.dueOn),
    graceUntil: date(c.graceUntil),
  };
  const subject = t(`plan.${c.kind}.subject`, values);
  const body = t(`plan.${c.kind}.body`, values);
  const reason = c.reason ? t("plan.reason", { reason: c.reason }) : null;
  const text = [
    t("plan.greeting", { name: c.residentName }),
    "",
    body,
    ...(reason ? ["", reason] : []),
    "",
    t("plan.link", { url: c.planUrl }),
  ].join("\n");
  const href = safeHref(c.planUrl);
  const html = `<!doctype html><html lang="${c.language}"><body style="font-family:Arial,sans-serif;color:#1b1f24">
<p>${escapeHtml(t("plan.greeting", { name: c.residentName }))}</p>
<p>${escapeHtml(body)}</p>
${reason ? `<p>${escapeHtml(reason)}</p>` : ""}
${href ? `<p><a href="${escapeHtml(href)}">${escapeHtml(t("plan.linkText"))}</a></p>` : ""}
</body></html>`;
  return { subject, html, text };
}
