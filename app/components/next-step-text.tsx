import { useTranslation } from "react-i18next";
import { authorityKey } from "~/domain/claim-stages";
import type { Action, Decision } from "~/domain/escalation";
import { useFormat } from "./format";

/**
 * One sentence: what happens next to the claim, and when. It reads the escalation engine's own
 * decision, so what a resident is told is what happens.
 */
export function NextStepText(props: {
  next: Decision;
  currency: string;
  country: string;
  /** Norway: the municipality enforces this claim type itself (særnamsmann). */
  own?: boolean;
  today: string;
}) {
  const { next, currency } = props;
  const { t } = useTranslation();
  const f = useFormat();
  const authority = t(`authority.${authorityKey(props.country, props.own)}`);

  const describe = (action: Action, on: string) => {
    if (action.type === "fresh_deadline") return t("next.freshDeadline", { date: f.date(on) });
    const step = t(`next.step.${action.stage}`, { date: f.date(on), authority });
    return action.fee
      ? `${step} ${t("next.fee", { amount: f.money(action.fee.amount, currency) })}`
      : step;
  };

  switch (next.kind) {
    case "act":
      return <>{describe(next.action, props.today)}</>;
    case "wait":
      return <>{describe(next.action, next.on)}</>;
    case "stop":
      if (next.reason === "held") {
        const reasons = (next.holds ?? []).map((h) => t(`hold.${h}`)).join(", ");
        return <>{t("next.held", { reasons })}</>;
      }
      return (
        <>
          {t(`next.${next.reason}`, {
            authority,
            ...(next.resumesOn ? { date: f.date(next.resumesOn) } : {}),
          })}
        </>
      );
  }
}
