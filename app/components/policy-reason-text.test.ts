import { createInstance, type TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { formatMoney, type Currency } from "~/domain/money";
import { legalFiguresOn, validatePolicy, type LegalRateRow, type Policy } from "~/domain/policy";
import { POLICY_REASON_CODES, type PolicyError } from "~/domain/policy-reasons";
import { i18nOptions, intlLocale, supportedLngs, type Lang } from "~/i18n/config";
import { resources } from "~/i18n/resources.server";
import { policyReasonText, type ReasonFormat } from "./policy-reason-text";

type Tree = { [key: string]: string | Tree };
const reasonTexts = (lng: Lang) =>
  ((resources[lng].common as unknown as Tree).backoffice as Tree).caseFlows as Tree;

/** What `useFormat()` gives a page in `lng`, without React. */
function formatIn(lng: Lang): ReasonFormat {
  const locale = intlLocale[lng];
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  const region = new Intl.DisplayNames([locale], { type: "region" });
  return {
    money: (amount, currency) => formatMoney({ amount, currency: currency as Currency }, locale),
    date: (iso) => date.format(new Date(`${iso}T00:00:00Z`)),
    country: (code) => region.of(code) ?? code,
  };
}

const NO_RATES: LegalRateRow[] = [
  { kind: "REMINDER_FEE_CAP", value: 3_750, validFrom: "2026-01-01" },
  { kind: "COLLECTION_FEE_CAP", value: 3_500, validFrom: "2025-01-01" },
  { kind: "PAYMENT_DEMAND_FEE_CAP", value: 10_500, validFrom: "2025-01-01" },
  { kind: "MIN_COLLECTION_DEADLINE_DAYS", value: 14, validFrom: "2020-01-01" },
];
const noFigures = legalFiguresOn("NO", "2026-12-06", NO_RATES);

const NO_POLICY: Policy = {
  steps: [
    // prettier-ignore
    { stage: "REMINDER", daysAfter: 14, notice: true, deadlineDays: 14, fee: { kind: "REMINDER_FEE", amount: 3_750 } },
    // prettier-ignore
    { stage: "COLLECTION_NOTICE", daysAfter: 14, notice: true, deadlineDays: 14, fee: { kind: "COLLECTION_FEE", amount: 3_500 } },
    { stage: "READY_FOR_ENFORCEMENT", daysAfter: 14, notice: false },
  ],
  enforcementMinimum: 50_000,
  chargesInterest: true,
  allocationOrder: ["costs", "interest", "principal"],
  resumeDeadlineDays: 14,
};

const reasonsOf = (policy: unknown): PolicyError[] => {
  const result = validatePolicy(policy, "NO", noFigures);
  if (result.ok) throw new Error("expected the draft to be refused");
  return result.errors;
};

describe("law-check reason texts", () => {
  it("has a text for every reason code in every language, naming the same figures", () => {
    expect(new Set(POLICY_REASON_CODES).size).toBe(POLICY_REASON_CODES.length);
    const placeholders = (text: string) => [...text.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
    for (const code of [...POLICY_REASON_CODES, "where", "whereOn"]) {
      const english = (reasonTexts("en").reason as Tree)[code];
      expect(typeof english, `en: ${code}`).toBe("string");
      for (const lng of supportedLngs) {
        const text = (reasonTexts(lng).reason as Tree)[code];
        expect(typeof text === "string" && text.trim() !== "", `${lng}: ${code}`).toBe(true);
        expect(placeholders(text as string), `${lng}: ${code}`).toEqual(
          placeholders(english as string),
        );
      }
    }
    // No text for a code the domain no longer produces.
    for (const lng of supportedLngs)
      expect(Object.keys(reasonTexts(lng).reason as Tree).sort()).toEqual(
        [...POLICY_REASON_CODES, "where", "whereOn"].sort(),
      );
  });

  describe("in Norwegian", () => {
    const t: Partial<Record<Lang, TFunction>> = {};
    beforeAll(async () => {
      for (const lng of ["nb", "nn"] as const) {
        const i = createInstance();
        await i.init({ ...i18nOptions, resources, lng });
        t[lng] = i.getFixedT(lng, "common");
      }
    });
    const say = (lng: "nb" | "nn", errors: PolicyError[]) =>
      // Intl puts no-break spaces in amounts; compared here as plain spaces.
      errors.map((e) => policyReasonText(e, t[lng]!, formatIn(lng), "NOK").replace(/\s/g, " "));

    it("names a fee above the cap as money, the fee kind and the date in words", () => {
      const steps = structuredClone(NO_POLICY.steps);
      steps[1]!.fee = { kind: "COLLECTION_FEE", amount: 70_000 };
      const errors = reasonsOf({ ...NO_POLICY, steps });
      expect(errors.map((e) => e.code)).toEqual(["fee_above_cap"]);
      expect(say("nb", errors)).toEqual([
        "700,00 kr er over lovens øvre grense på 35,00 kr for «Gebyr for inkassovarsel» i Norge per 6. desember 2026.",
      ]);
      expect(say("nn", errors)).toEqual([
        "700,00 kr er over den øvre grensa i lova på 35,00 kr for «Gebyr for inkassovarsel» i Noreg per 6. desember 2026.",
      ]);
    });

    it("names short deadlines, a fee without a letter and a wrong fee kind", () => {
      const errors = reasonsOf({
        ...NO_POLICY,
        resumeDeadlineDays: 7,
        steps: [
          { stage: "REMINDER", daysAfter: 14, notice: false, fee: { kind: "REMINDER_FEE", amount: 100 } }, // prettier-ignore
          { stage: "COLLECTION_NOTICE", daysAfter: 14, notice: true, deadlineDays: 10 },
          { stage: "PAYMENT_DEMAND", daysAfter: 14, notice: true, deadlineDays: 14, fee: { kind: "COLLECTION_FEE", amount: 100 } }, // prettier-ignore
        ],
      });
      expect(say("nb", errors)).toEqual([
        "Den nye fristen etter en pause er kortere enn lovens minstefrist på 14 dager i Norge per 6. desember 2026.",
        "Gebyr kreves bare sammen med et brev: kryss av for «Send brev», eller fjern gebyret.",
        "Fristen er kortere enn lovens minstefrist på 14 dager for «Inkassovarsel» i Norge per 6. desember 2026.",
        "Feil gebyr for steget «Betalingsoppfordring»: det kan bare være «Gebyr for betalingsoppfordring», ikke «Gebyr for inkassovarsel».",
      ]);
      expect(say("nn", errors)[1]).toBe(
        "Gebyr vert berre kravd saman med eit brev: kryss av for «Send brev», eller fjern gebyret.",
      );
    });

    it("names plan and small-balance rules, and never shows the English words", () => {
      const errors = reasonsOf({
        ...NO_POLICY,
        planRules: {
          maxMonths: 200,
          minInstalment: 0,
          maxTotal: 1_000_000,
          qualifyingStages: ["REMINDER"],
          maxPlans: 1,
          plansWindowMonths: 12,
          maxDeferralMonths: 1,
          planFee: 500,
          graceDays: 7,
          firstDueDays: 14,
        },
        writeOff: { belowMinor: 0, afterDays: 30, feesAndInterestOnly: false, mode: "auto" },
      });
      expect(errors.map((e) => e.code)).toEqual([
        "not_positive_amount",
        "months_at_most",
        "plan_fee_no_legal_cap",
        "write_off_nothing",
      ]);
      const nb = say("nb", errors);
      expect(nb).toEqual([
        "Skriv et beløp over null.",
        "Høyst 120 måneder.",
        "Gebyr for betalingsavtale kan ikke kreves i Norge per 6. desember 2026: ingen lovbestemt øvre grense er registrert.",
        "Uten beløp, og uten «bare gebyrer og renter står igjen», avskriver regelen ingenting.",
      ]);
      expect(say("nn", errors)[3]).toBe(
        "Utan beløp, og utan «berre gebyr og renter står att», skriv regelen ikkje av noko.",
      );
      for (const [i, text] of nb.entries()) expect(text).not.toContain(errors[i]!.message);
    });
  });
});
