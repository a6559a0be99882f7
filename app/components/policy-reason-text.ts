import type { TFunction } from "i18next";
import type { PolicyError } from "~/domain/policy-reasons";

/** What a reason needs of `useFormat()`: money and dates in the reader's language, countries. */
export type ReasonFormat = {
  money: (amount: number, currency: string) => string;
  date: (iso: string) => string;
  country: (code: string) => string;
};

const REASON = "backoffice.caseFlows.reason";

/**
 * A law-check reason in the staff member's language (decision 0110): its code's text, with
 * amounts as money in the creditor's currency, stages and fee kinds in words, and the country
 * and date the law was read on. Never the English `message`, which is for the command line.
 */
export function policyReasonText(
  reason: Pick<PolicyError, "code" | "params">,
  t: TFunction,
  f: ReasonFormat,
  currency: string,
): string {
  const p = reason.params ?? {};
  const values: Record<string, string | number> = {};
  if (p.amount !== undefined) values.amount = f.money(p.amount, currency);
  if (p.cap !== undefined) values.cap = f.money(p.cap, currency);
  if (p.days !== undefined) values.days = p.days;
  if (p.minimum !== undefined) values.minimum = p.minimum;
  if (p.maximum !== undefined) values.maximum = p.maximum;
  if (p.stage) values.stage = t(`backoffice.caseFlows.stage.${p.stage}`);
  if (p.kind) values.kind = t(`chargeKind.${p.kind}`);
  if (p.expected) values.expected = t(`chargeKind.${p.expected}`);
  if (p.claimType) values.claimType = p.claimType;
  values.where = "";
  if (p.country) {
    const country = f.country(p.country);
    values.country = country;
    values.where = p.asOf
      ? t(`${REASON}.whereOn`, { country, date: f.date(p.asOf) })
      : t(`${REASON}.where`, { country });
  }
  return t(`${REASON}.${reason.code}`, values);
}
