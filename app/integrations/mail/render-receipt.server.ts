import { createInstance } from "i18next";
import { formatMoney, type Currency } from "~/domain/money";
import { fallbackLng, intlLocale, type Lang } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { escapeHtml, safeHref } from "./mail-format.server";

/** What a payment receipt says, frozen when the payment is recorded (Outbox.content). */
export type ReceiptContent = {
  language: Lang;
  residentName: string;
  paidOn: string;
  currency: string;
  total: number;
  items: { creditorName: string; claimTypeName: string; amount: number; remaining: number }[];
  receiptUrl: string;
};

/** The emailed receipt for an online payment, HTML and text, in the resident's language. */
export function renderReceiptMail(c: ReceiptContent): {
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
  const money = (minor: number) =>
    formatMoney({ amount: minor, currency: c.currency as Currency }, locale);
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${c.paidOn}T00:00:00Z`),
  );
  const subject = t("receipt.subject", { amount: money(c.total) });
  const lines = c.items.map((i) => ({
    what: `${i.claimTypeName} – ${i.creditorName}`,
    paid: money(i.amount),
    left:
      i.remaining > 0
        ? t("receipt.remaining", { amount: money(i.remaining) })
        : t("receipt.settled"),
  }));
  const text = [
    t("receipt.greeting", { name: c.residentName }),
    "",
    t("receipt.intro", { amount: money(c.total), date }),
    "",
    ...lines.map((l) => `- ${l.what}: ${l.paid} (${l.left})`),
    "",
    t("receipt.link", { url: c.receiptUrl }),
  ].join("\n");
  const href = safeHref(c.receiptUrl);
  const html = `<!doctype html><html lang="${c.language}"><body style="font-family:Arial,sans-serif;color:#1b1f24">
<p>${escapeHtml(t("receipt.greeting", { name: c.residentName }))}</p>
<p>${escapeHtml(t("receipt.intro", { amount: money(c.total), date }))}</p>
<table style="border-collapse:collapse"><caption style="text-align:left;font-weight:bold">${escapeHtml(t("receipt.caption"))}</caption>
<thead><tr><th scope="col" style="text-align:left;padding:4px 8px">${escapeHtml(t("receipt.colWhat"))}</th><th scope="col" style="text-align:right;padding:4px 8px">${escapeHtml(t("receipt.colPaid"))}</th><th scope="col" style="text-align:left;padding:4px 8px">${escapeHtml(t("receipt.colLeft"))}</th></tr></thead>
<tbody>${lines.map((l) => `<tr><td style="padding:4px 8px">${escapeHtml(l.what)}</td><td style="text-align:right;padding:4px 8px">${escapeHtml(l.paid)}</td><td style="padding:4px 8px">${escapeHtml(l.left)}</td></tr>`).join("")}</tbody></table>
${href ? `<p><a href="${escapeHtml(href)}">${escapeHtml(t("receipt.linkText"))}</a></p>` : ""}
</body></html>`;
  return { subject, html, text };
}
