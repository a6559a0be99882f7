import { createInstance } from "i18next";
import { fallbackLng, type Lang } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { escapeHtml, safeHref } from "./mail-format.server";

/**
 * The only plan message that is an email: the receipt for a request that waits for staff. Every
 * decision on a plan (granted, refused, offered, changed, ended, completed, an instalment missed)
 * is a letter (`writePlanLetter`), sent the way every letter is.
 */
export type PlanMailKind = "requested";

/** What a plan message says, frozen when it is queued (Outbox.content). */
export type PlanMailContent = {
  kind: PlanMailKind;
  language: Lang;
  residentName: string;
  creditorName: string;
  currency: string;
  sentOn: string;
  planUrl: string;
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
  // A message queued before the decisions became letters, of a kind no longer sent: refused (the
  // outbox records why) rather than sent with the wrong words.
  if (c.kind !== "requested") throw new Error(`plan mail "${String(c.kind)}" is a letter now`);
  const values = { creditor: c.creditorName };
  const subject = t(`plan.${c.kind}.subject`, values);
  const body = t(`plan.${c.kind}.body`, values);
  const text = [
    t("plan.greeting", { name: c.residentName }),
    "",
    body,
    "",
    t("plan.link", { url: c.planUrl }),
  ].join("\n");
  const href = safeHref(c.planUrl);
  const html = `<!doctype html><html lang="${c.language}"><body style="font-family:Arial,sans-serif;color:#1b1f24">
<p>${escapeHtml(t("plan.greeting", { name: c.residentName }))}</p>
<p>${escapeHtml(body)}</p>
${href ? `<p><a href="${escapeHtml(href)}">${escapeHtml(t("plan.linkText"))}</a></p>` : ""}
</body></html>`;
  return { subject, html, text };
}
