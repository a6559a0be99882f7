import { describe, expect, it } from "vitest";
import { intlLocale, supportedLngs, type Lang } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { escapeHtml } from "./mail-format.server";
import type { NoticeContent, NoticeKind } from "./notice-content";
import { renderNoticeMail } from "./render-notice.server";

const EVIL = "<script>alert(1)</script>";

function notice(language: Lang, country: "SE" | "NO", kind: NoticeKind): NoticeContent {
  const se = country === "SE";
  const feeKind = se ? "COLLECTION_FEE" : "PAYMENT_DEMAND_FEE";
  return {
    kind,
    country,
    language,
    residentName: EVIL,
    creditorName: se ? "Region Väst & Co" : "Drammen kemnerkontor",
    claimTypeName: se ? "Patientavgift" : "Vann og avløp",
    description: 'Faktura "2026-0042"',
    currency: se ? "SEK" : "NOK",
    sentOn: "2026-11-20",
    deadline: "2026-12-04",
    lines: [
      {
        kind: "PRINCIPAL",
        amount: 123_456,
        date: "2026-09-30",
        causeType: "claim.received",
        legalBasis: "principal.invoice",
      },
      {
        kind: "REMINDER_FEE",
        amount: se ? 6_000 : 3_500,
        date: "2026-10-15",
        causeType: "reminder.sent",
        legalBasis: se ? "se.reminder_fee" : "no.reminder_fee",
      },
      {
        kind: feeKind,
        amount: se ? 18_000 : 10_500,
        date: "2026-11-20",
        causeType: "payment_demand.sent",
        legalBasis: se ? "se.collection_fee" : "no.payment_demand_fee",
      },
      {
        kind: "INTEREST",
        amount: 1_234,
        date: "2026-11-20",
        causeType: "interest.accrued",
        legalBasis: se ? "se.late_interest" : "no.late_interest",
      },
    ],
    payments: [{ amount: 20_000, receivedOn: "2026-10-20" }],
    balance: se
      ? { principal: 103_456, fees: 24_000, interest: 1_234, total: 128_690 }
      : { principal: 103_456, fees: 14_000, interest: 1_234, total: 118_690 },
    fee: kind === "FRESH_DEADLINE" ? null : { kind: feeKind, amount: se ? 18_000 : 10_500 },
    paymentReference: se ? "4711000000015" : "1234567890128",
    bankAccount: se ? "5050-1055" : "1503.12.34567",
    claimUrl: "https://krav.example.org/claims/c_42?lang=x&y=1",
  };
}

// What each language calls each letter, as a resident would recognise it in the inbox.
const SUBJECT_WORD: Record<Lang, Record<string, string>> = {
  sv: {
    REMINDER: "Påminnelse",
    SE: "Inkassokrav",
    NO: "Inkassovarsel",
    PAYMENT_DEMAND: "Betalningsuppmaning",
    FRESH_DEADLINE: "Ny sista dag",
  },
  nb: {
    REMINDER: "Purring",
    SE: "Inkassokrav",
    NO: "Inkassovarsel",
    PAYMENT_DEMAND: "Betalingsoppfordring",
    FRESH_DEADLINE: "Ny betalingsfrist",
  },
  nn: {
    REMINDER: "Purring",
    SE: "Inkassokrav",
    NO: "Inkassovarsel",
    PAYMENT_DEMAND: "Betalingsoppfordring",
    FRESH_DEADLINE: "Ny betalingsfrist",
  },
  en: {
    REMINDER: "Reminder",
    SE: "Collection notice",
    NO: "Collection notice",
    PAYMENT_DEMAND: "Payment demand",
    FRESH_DEADLINE: "New deadline",
  },
};

const CASES: { country: "SE" | "NO"; kind: NoticeKind }[] = [
  { country: "SE", kind: "REMINDER" },
  { country: "SE", kind: "COLLECTION_NOTICE" },
  { country: "SE", kind: "FRESH_DEADLINE" },
  { country: "NO", kind: "REMINDER" },
  { country: "NO", kind: "COLLECTION_NOTICE" },
  { country: "NO", kind: "PAYMENT_DEMAND" },
  { country: "NO", kind: "FRESH_DEADLINE" },
];

describe("renderNoticeMail", () => {
  for (const lng of supportedLngs) {
    for (const { country, kind } of CASES) {
      it(`${lng} ${country} ${kind}: states every fact in that language, in HTML and text`, () => {
        const content = notice(lng, country, kind);
        const { subject, html, text } = renderNoticeMail(content);
        const locale = intlLocale[lng];
        const money = (minor: number) =>
          new Intl.NumberFormat(locale, { style: "currency", currency: content.currency }).format(
            minor / 100,
          );
        const date = (iso: string) =>
          new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
            new Date(`${iso}T00:00:00Z`),
          );

        const word = SUBJECT_WORD[lng][kind === "COLLECTION_NOTICE" ? country : kind];
        expect(subject).toContain(word);
        expect(subject).toContain(content.claimTypeName);
        expect(html).toContain(`<html lang="${lng}">`);

        const total = money(content.balance.total);
        const deadline = date("2026-12-04");
        for (const out of [html, text]) {
          expect(out).toContain(total);
          expect(out).toContain(deadline);
          for (const line of content.lines) expect(out).toContain(money(line.amount));
          expect(out).toContain(money(-20_000));
          expect(out).toContain(content.paymentReference);
          expect(out).toContain(content.bankAccount);
        }
        expect(html).toContain(`href="${escapeHtml(content.claimUrl)}"`);
        expect(text).toContain(content.claimUrl);

        const legal = resources[lng].legal;
        const feeBasis = country === "SE" ? legal.se.reminder_fee : legal.no.reminder_fee;
        expect(html).toContain(escapeHtml(feeBasis));
        expect(text).toContain(feeBasis);
        expect(html).toContain(`<th scope="col"`);
        expect(html).toContain(`<th scope="row"`);

        expect(html).not.toContain("<script");
        expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        expect(html).toContain("Faktura &quot;2026-0042&quot;");
        if (country === "SE") expect(html).toContain("Region Väst &amp; Co");
        expect(text).toContain(EVIL); // plain text is not markup: it shows the name as given
      });
    }
  }

  it("says when a notice adds no fee and sets no deadline, without inventing one", () => {
    const content = { ...notice("en", "SE", "FRESH_DEADLINE"), deadline: null };
    const { html, text } = renderNoticeMail(content);
    expect(text).toContain("This letter adds no new fee.");
    expect(text).toContain("As soon as you can");
    expect(html).not.toContain("If the bill is not paid");
  });

  it("names the bill's type once when its description begins with it", () => {
    for (const lng of supportedLngs) {
      const named = { ...notice(lng, "NO", "REMINDER"), description: "Vann og avløp, 3. termin" };
      const { text } = renderNoticeMail(named);
      expect(text).toContain("Vann og avløp, 3. termin");
      expect(text).not.toContain("Vann og avløp (Vann og avløp");
      // A description that does not begin with the name still has the name before it.
      const plain = renderNoticeMail(notice(lng, "NO", "REMINDER")).text;
      expect(plain).toContain('Vann og avløp (Faktura "2026-0042")');
    }
  });

  it("never links to anything but a web address", () => {
    const content = { ...notice("en", "SE", "REMINDER"), claimUrl: "javascript:alert(1)" };
    expect(renderNoticeMail(content).html).not.toContain('href="javascript:');
  });
});
