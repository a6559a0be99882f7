import { createInstance } from "i18next";
import { fallbackLng, intlLocale } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { escapeHtml, safeHref } from "./mail-format.server";

/** A security message to a staff member, frozen when it is queued (Outbox.content). */
export type StaffSecurityMailContent = {
  kind: "locked";
  language: "sv" | "nb" | "en";
  name: string;
  failedLogins: number;
  /** When the lock ends (an instant), shown in the creditor's time zone. */
  until: string;
  timeZone: string;
  loginUrl: string;
};

/** "Your account was locked after N failed sign-ins", HTML and text, in the staff's language. */
export function renderStaffSecurityMail(c: StaffSecurityMailContent): {
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
  const until = new Intl.DateTimeFormat(intlLocale[c.language], {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: c.timeZone,
  }).format(new Date(c.until));
  const paragraphs = [
    t("staffSecurity.greeting", { name: c.name }),
    t("staffSecurity.locked", { failed: c.failedLogins, until }),
    t("staffSecurity.ifYou"),
    t("staffSecurity.ifNotYou"),
  ];
  const subject = t("staffSecurity.subject");
  const text = [...paragraphs, t("staffSecurity.link", { url: c.loginUrl })].join("\n\n");
  const href = safeHref(c.loginUrl);
  const html = `<!doctype html><html lang="${c.language}"><body style="font-family:Arial,sans-serif;color:#1b1f24">${paragraphs
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join(
      "",
    )}${href ? `<p><a href="${escapeHtml(href)}">${escapeHtml(t("staffSecurity.linkText"))}</a></p>` : ""}</body></html>`;
  return { subject, html, text };
}
