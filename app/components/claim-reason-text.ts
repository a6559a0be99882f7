import type { TFunction } from "i18next";
import type { ClaimReasonParams } from "~/domain/claim-reasons";
import type { ReasonFormat } from "./policy-reason-text";

const AMOUNT_CODES = new Set(["amount_too_small", "amount_too_large"]);

/**
 * One reason a claims file's line was refused, in the staff member's language (decision 0110):
 * the file's column it is about (as the file names it), then the code's text with its figures;
 * amounts as money in the creditor's currency, an identity number's country by its name.
 */
export function claimReasonText(
  reason: { field: string; code: string; params?: ClaimReasonParams },
  t: TFunction,
  f: ReasonFormat,
  currency: string,
): string {
  const p = reason.params ?? {};
  const amount = AMOUNT_CODES.has(reason.code);
  const values: Record<string, string | number> = { ...p };
  if (p.minimum !== undefined) values.minimum = amount ? f.money(p.minimum, currency) : p.minimum;
  if (p.maximum !== undefined) values.maximum = amount ? f.money(p.maximum, currency) : p.maximum;
  const bound = p.minimum ?? p.maximum;
  if (!amount && bound !== undefined) values.count = bound;
  if (p.country) values.country = f.country(p.country);
  const text = t(`claimImports.reason.${reason.code}`, values);
  return reason.field
    ? t("claimImports.reason.inColumn", { column: reason.field, reason: text })
    : text;
}
