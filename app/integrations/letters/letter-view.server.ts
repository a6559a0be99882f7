/**
 * A letter worded in the resident's language: every text the PDF (and the plain-text rendering)
 * prints, with amounts and dates formatted. The layout code then only places strings.
 */
import { createInstance, type TFunction } from "i18next";
import { descriptionNamesType } from "~/domain/bill-name";
import { resources } from "~/i18n/resources.server";
import type { LetterContent, LetterLanguage } from "./letter-content";
import { addressLines, formatters, LETTER_LOCALE } from "./letter-format";

export type Fact = { label: string; value: string };
export type Table = {
  heading: string;
  cols: string[];
  rows: { cells: string[]; note?: string }[];
  total: Fact;
};

export type LetterView = {
  lang: string;
  title: string;
  senderName: string;
  returnAddress: string;
  recipientLines: string[];
  meta: Fact[];
  about: string | null;
  greeting: string;
  intro: string;
  message: { heading: string; body: string } | null;
  due: { heading: string; facts: Fact[]; notes: string[] } | null;
  plan: Table | null;
  breakdown: Table | null;
  pay: { heading: string; intro: string; facts: Fact[]; abroad: Fact[]; online: string } | null;
  consequence: { heading: string; body: string } | null;
  options: { heading: string; paragraphs: string[] } | null;
  contact: { heading: string; intro: string; facts: Fact[] };
  closing: string[];
  signoff: string;
  footer: string;
  pageLabel: (page: number, pages: number) => string;
};

const translators = new Map<LetterLanguage, TFunction>();

// One instance per language, made once: a batch renders thousands of letters in a few languages,
// and a shared instance whose language changed under a render would mix them.
function translator(lng: LetterLanguage): TFunction {
  let t = translators.get(lng);
  if (!t) {
    const i18n = createInstance();
    void i18n.init({
      resources,
      lng,
      // Nynorsk has only the letter's own texts so far; charge, cause and rule come from bokmål.
      fallbackLng: { nn: ["nb", "en"], default: ["en"] },
      ns: ["letter", "common", "legal"],
      defaultNS: "letter",
      initImmediate: false,
      interpolation: { escapeValue: false },
    });
    t = i18n.t;
    translators.set(lng, t);
  }
  return t;
}

type F = ReturnType<typeof formatters>;

/** A link starts on its own line, so it is never broken where a reader would have to join it. */
const unbroken = (url: string) => `\n${url}`;

/** Kinds whose word differs by country: Sweden's inkassokrav is Norway's inkassovarsel. */
function textKey(content: LetterContent): string {
  return content.kind === "COLLECTION_NOTICE" || content.kind === "ENFORCEMENT_FILED"
    ? `${content.kind}_${content.country}`
    : content.kind;
}

const CLAIM_NOTICES = new Set([
  "REMINDER",
  "COLLECTION_NOTICE",
  "PAYMENT_DEMAND",
  "FRESH_DEADLINE",
]);
const ANSWER_BY = new Set(["DISPUTE_INFO_REQUESTED", "PLAN_OFFERED"]);
/** Letters that start a plan's schedule: what happens if an instalment is missed. */
const PLAN_SCHEDULES = new Set(["PLAN_GRANTED", "PLAN_CHANGED"]);
const isPlanLetter = (kind: string) => kind.startsWith("PLAN_");

function breakdown(content: LetterContent, t: TFunction, f: F): Table | null {
  if (content.lines.length === 0 && content.payments.length === 0) return null;
  const rates = content.interestRates
    .map((r) => t("breakdown.interestRate", { rate: f.rate(r.basisPoints), date: f.date(r.from) }))
    .join(" ");
  // A rule is explained once, on the first line it allows: twenty invoice lines need it once.
  const explained = new Set<string>();
  const rows = content.lines.map((line) => {
    const what = t(`chargeKind.${line.kind}`, { ns: "common", defaultValue: line.kind });
    const cause =
      line.kind === "INTEREST"
        ? [t("breakdown.interestCause", { date: f.date(line.date) }), rates].filter(Boolean)
        : [
            t(`cause.${line.causeType}`, {
              ns: "common",
              defaultValue: t("cause.other", { ns: "common" }),
            }),
          ];
    const fresh = line.legalBasis !== "" && !explained.has(line.legalBasis);
    explained.add(line.legalBasis);
    const basis = fresh ? t(line.legalBasis, { ns: "legal", defaultValue: "" }) : "";
    return {
      cells: [what, f.short(line.date), cause.join(" "), f.money(line.amount)],
      note: basis || undefined,
    };
  });
  const payments = content.payments.map((p) => ({
    cells: [
      t("breakdown.payment"),
      f.short(p.receivedOn),
      t("breakdown.paymentBasis"),
      f.money(-p.amount),
    ],
  }));
  return {
    heading: t("breakdown.heading"),
    cols: [t("breakdown.what"), t("breakdown.date"), t("breakdown.why"), t("breakdown.amount")],
    rows: [...rows, ...payments],
    total: { label: t("breakdown.total"), value: f.money(content.balance?.total ?? 0) },
  };
}

function payBlock(content: LetterContent, t: TFunction, f: F): LetterView["pay"] {
  const p = content.payment;
  if (!p) return null;
  const referenceName = t(`pay.reference${p.referenceKind}`);
  const abroad: Fact[] = [
    ...(p.iban ? [{ label: t("pay.iban"), value: p.iban }] : []),
    ...(p.bic ? [{ label: t("pay.bic"), value: p.bic }] : []),
  ];
  return {
    heading: t("pay.heading"),
    intro: t("pay.intro", { referenceName }),
    facts: [
      { label: t(`pay.account${content.country}`), value: p.bankAccount },
      { label: referenceName, value: p.reference },
      { label: t("pay.amount"), value: f.money(p.amount) },
    ],
    abroad: abroad.length > 0 ? [{ label: t("pay.abroad"), value: "" }, ...abroad] : [],
    online: t("pay.online", { url: unbroken(content.claimUrl) }),
  };
}

function dueBlock(content: LetterContent, t: TFunction, f: F): LetterView["due"] {
  const facts: Fact[] = [];
  if (content.payment)
    facts.push({ label: t("due.amount"), value: f.money(content.payment.amount) });
  if (content.deadline) {
    const label = ANSWER_BY.has(content.kind) ? "due.answerBy" : "due.payBy";
    facts.push({ label: t(label), value: f.day(content.deadline) });
  }
  if (facts.length === 0) return null;
  const notes: string[] = [];
  const b = content.balance;
  if (
    b &&
    content.payment &&
    b.total === content.payment.amount &&
    (b.fees > 0 || b.interest > 0)
  ) {
    notes.push(
      t("due.madeUp", {
        principal: f.money(b.principal),
        fees: f.money(b.fees),
        interest: f.money(b.interest),
      }),
    );
  }
  if (CLAIM_NOTICES.has(content.kind)) {
    notes.push(
      content.fee
        ? t("fee.added", {
            fee: t(`chargeKind.${content.fee.kind}`, {
              ns: "common",
              defaultValue: content.fee.kind,
            }),
            amount: f.money(content.fee.amount),
          })
        : t("fee.none"),
    );
  }
  return { heading: t("due.heading"), facts, notes };
}

function consequence(content: LetterContent, t: TFunction, f: F, key: string) {
  if (!content.deadline || !content.payment || ANSWER_BY.has(content.kind)) return null;
  // A missed instalment's letter says what happens in its first lines already.
  if (content.kind === "PLAN_INSTALMENT_MISSED") return null;
  const which = CLAIM_NOTICES.has(content.kind)
    ? key
    : PLAN_SCHEDULES.has(content.kind)
      ? "plan"
      : "other";
  return {
    heading: t("consequence.heading"),
    body: t(`consequence.${which}`, { date: f.date(content.deadline) }),
  };
}

/** The bill a letter is about: its type's name and its own description, the name once. */
export function aboutLine(
  claim: { claimTypeName: string; description: string },
  t: TFunction,
): string {
  const description = claim.description.trim();
  return descriptionNamesType(claim.claimTypeName, description)
    ? t("aboutDescription", { description })
    : t("about", { claimType: claim.claimTypeName.trim(), description });
}

export function buildLetterView(content: LetterContent): LetterView {
  const t = translator(content.language);
  const f = formatters(content);
  const key = textKey(content);
  const s = content.sender;
  const senderCountry = s.postalAddress.country;
  const senderLines = addressLines(s.postalAddress, senderCountry);
  return {
    lang: LETTER_LOCALE[content.language],
    title: t(`title.${key}`),
    senderName: s.name,
    returnAddress: t("returnAddress", { address: senderLines.join(", ") }),
    recipientLines: addressLines(content.recipient, senderCountry),
    meta: [
      { label: t("meta.date"), value: f.date(content.date) },
      ...(content.claim?.externalId
        ? [{ label: t("meta.ourReference"), value: content.claim.externalId }]
        : []),
    ],
    about: content.claim ? aboutLine(content.claim, t) : null,
    greeting: t("greeting", { name: content.recipient.name }),
    intro: t(`intro.${key}`, {
      creditor: s.name,
      amount: content.payment ? f.money(content.payment.amount) : "",
      date: content.deadline ? f.date(content.deadline) : "",
    }),
    message: content.message ? { heading: t("message.heading"), body: content.message } : null,
    due: dueBlock(content, t, f),
    plan: content.plan
      ? {
          heading: t("plan.heading"),
          cols: [t("plan.dueOn"), t("plan.amount")],
          rows: content.plan.instalments.map((i) => ({
            cells: [f.date(i.dueOn), f.money(i.amount)],
          })),
          total: { label: t("plan.total"), value: f.money(content.plan.total) },
        }
      : null,
    breakdown: breakdown(content, t, f),
    pay: payBlock(content, t, f),
    consequence: consequence(content, t, f, key),
    // Asking for a plan or objecting: not what a resident already in a plan is told to do.
    options:
      content.payment && !isPlanLetter(content.kind)
        ? {
            heading: t("options.heading"),
            paragraphs: [
              t("options.pause"),
              t("options.plan"),
              t("options.object"),
              t("options.where", { url: unbroken(content.claimUrl) }),
            ],
          }
        : null,
    contact: {
      heading: t("contact.heading"),
      intro: t("contact.intro", { creditor: s.name }),
      facts: [
        { label: t("contact.phone"), value: s.phone },
        { label: t("contact.hours"), value: s.openingHours },
        ...(s.email ? [{ label: t("contact.email"), value: s.email }] : []),
        { label: t("contact.web"), value: s.web },
        { label: t("contact.address"), value: senderLines.join(", ") },
      ],
    },
    closing: content.payment ? [t("alreadyPaid")] : [],
    signoff: t("signoff"),
    footer: [s.name, s.orgNumber ? t("footer.orgNumber", { number: s.orgNumber }) : null]
      .filter(Boolean)
      .join(" · "),
    pageLabel: (page, pages) => t("meta.page", { page, pages }),
  };
}
