import { createInstance, type TFunction } from "i18next";
import { descriptionNamesType } from "~/domain/bill-name";
import { formatMoney, type Currency } from "~/domain/money";
import { fallbackLng, intlLocale } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { renderNoticeHtml, renderNoticeText, type NoticeView } from "./mail-format.server";
import type { NoticeContent } from "./notice-content";

// Sweden's collection letter is an inkassokrav, Norway's an inkassovarsel: the same step, but a
// resident must see the word their own law uses, so the text key carries the country.
function noticeKey(content: NoticeContent): string {
  return content.kind === "COLLECTION_NOTICE"
    ? `COLLECTION_NOTICE_${content.country}`
    : content.kind;
}

function translator(lng: NoticeContent["language"]): TFunction {
  // A fresh instance per mail: the worker renders many languages side by side and must never
  // change a shared instance's language under another render.
  const i18n = createInstance();
  void i18n.init({
    resources,
    lng,
    fallbackLng,
    ns: ["mail", "common", "legal"],
    defaultNS: "mail",
    initImmediate: false,
    // Values are escaped once, when the HTML is built; escaping here would double it in HTML and
    // garble the plain-text version.
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

function formatters(content: NoticeContent) {
  const locale = intlLocale[content.language];
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  return {
    money: (amount: number) =>
      formatMoney({ amount, currency: content.currency as Currency }, locale),
    date: (iso: string) => dates.format(new Date(`${iso}T00:00:00Z`)),
  };
}

/** Every charge explained with the same words as the claim's page in the portal. */
function breakdownRows(content: NoticeContent, t: TFunction, f: ReturnType<typeof formatters>) {
  const charges = content.lines.map((line) => ({
    what: t(`chargeKind.${line.kind}`, { ns: "common", defaultValue: line.kind }),
    date: f.date(line.date),
    cause:
      line.kind === "INTEREST"
        ? t("breakdown.interestCause", { date: f.date(line.date) })
        : t(`cause.${line.causeType}`, {
            ns: "common",
            defaultValue: t("cause.other", { ns: "common" }),
          }),
    basis: line.legalBasis ? t(line.legalBasis, { ns: "legal", defaultValue: "" }) : "",
    amount: f.money(line.amount),
  }));
  const payments = content.payments.map((p) => ({
    what: t("breakdown.payment"),
    date: f.date(p.receivedOn),
    cause: "",
    basis: t("breakdown.paymentBasis"),
    amount: f.money(-p.amount),
  }));
  return [...charges, ...payments];
}

export function buildNoticeView(content: NoticeContent): NoticeView {
  const t = translator(content.language);
  const f = formatters(content);
  const key = noticeKey(content);
  const names = {
    claimType: content.claimTypeName,
    creditor: content.creditorName,
    // "Vann og avløp (Faktura 42)", or the description alone when it names the type already.
    bill: descriptionNamesType(content.claimTypeName, content.description)
      ? content.description
      : `${content.claimTypeName} (${content.description})`,
  };
  const total = f.money(content.balance.total);
  const se = content.country === "SE";
  return {
    lang: content.language,
    subject: t(`subject.${key}`, names),
    title: t(`kind.${key}`),
    creditor: content.creditorName,
    sentOn: t("sentOn", { date: f.date(content.sentOn) }),
    greeting: t("greeting", { name: content.residentName }),
    about: t(`about.${key}`, names),
    fee: content.fee
      ? t("fee.added", {
          fee: t(`chargeKind.${content.fee.kind}`, {
            ns: "common",
            defaultValue: content.fee.kind,
          }),
          amount: f.money(content.fee.amount),
        })
      : t("fee.none"),
    due: {
      amountLabel: t("due.amount"),
      amount: total,
      deadlineLabel: t("due.deadline"),
      deadline: content.deadline ? f.date(content.deadline) : t("due.noDeadline"),
    },
    madeUp: t("due.madeUp", {
      principal: f.money(content.balance.principal),
      fees: f.money(content.balance.fees),
      interest: f.money(content.balance.interest),
    }),
    ways: {
      heading: t("ways.heading"),
      pause: t("ways.pause"),
      pay: {
        heading: t("ways.pay.heading"),
        bank: t("ways.pay.bank"),
        online: t("ways.pay.online"),
      },
      plan: { heading: t("ways.plan.heading"), body: t("ways.plan.body") },
      object: { heading: t("ways.object.heading"), body: t("ways.object.body") },
      link: t("ways.link"),
      linkText: t("ways.linkText", { url: content.claimUrl }),
    },
    bankFacts: [
      { label: t(se ? "bank.accountSe" : "bank.accountNo"), value: content.bankAccount },
      { label: t(se ? "bank.referenceSe" : "bank.referenceNo"), value: content.paymentReference },
      { label: t("bank.amount"), value: total },
    ],
    claimUrl: content.claimUrl,
    consequence: content.deadline
      ? {
          heading: t("consequence.heading"),
          body: t(`consequence.${key}`, { date: f.date(content.deadline) }),
        }
      : null,
    breakdown: {
      heading: t("breakdown.heading"),
      caption: t("breakdown.caption"),
      cols: {
        what: t("breakdown.col.what"),
        date: t("breakdown.col.date"),
        cause: t("breakdown.col.cause"),
        basis: t("breakdown.col.basis"),
        amount: t("breakdown.col.amount"),
      },
      rows: breakdownRows(content, t, f),
      totalLabel: t("breakdown.total"),
      total,
    },
    closing: [t("alreadyPaid"), t("help", { creditor: content.creditorName })],
    signoff: t("signoff"),
    footer: t("footer", { creditor: content.creditorName }),
  };
}

/** The notice as an email in the resident's language: subject, HTML and plain text. */
export function renderNoticeMail(content: NoticeContent): {
  subject: string;
  html: string;
  text: string;
} {
  const view = buildNoticeView(content);
  return { subject: view.subject, html: renderNoticeHtml(view), text: renderNoticeText(view) };
}
