import { useTranslation } from "react-i18next";
import type { NextStep } from "~/domain/next-step";
import { useFormat } from "./format";

/** One sentence: what happens next to the claim, and when. The same decision the engine acts on. */
export function NextStepText(props: { next: NextStep; currency: string; country: string }) {
  const { next, currency } = props;
  const { t } = useTranslation();
  const f = useFormat();
  const authority = t(`authority.${props.country}`);
  switch (next.kind) {
    case "step":
      return (
        <>
          {t(`next.step.${next.stage}`, { date: f.date(next.on), authority })}
          {next.fee ? ` ${t("next.fee", { amount: f.money(next.fee.amount, currency) })}` : ""}
        </>
      );
    case "paused":
      return <>{t("next.paused", { reasons: next.holds.map((h) => t(`hold.${h}`)).join(", ") })}</>;
    default:
      return <>{t(`next.${next.kind}`, { authority })}</>;
  }
}
