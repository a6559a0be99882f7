import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { addDays } from "~/domain/calendar-date";
import { authorityKey } from "~/domain/claim-stages";
import type { Action, Decision } from "~/domain/escalation";
import { useFormat } from "./format";

/**
 * What happens next to the claim, and when, in a sentence or two. It reads the escalation
 * engine's own decision, so what a resident is told is what happens.
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
      if (next.reason === "held") return <>{heldText(next, t, f.date)}</>;
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

/**
 * Why collection is paused and what ends the pause, for the kind of pause: objected, a plan asked
 * for or running, a payment on its way, and so on (`next.heldBy.<kind>`), each with its own end;
 * several at once are named in one sentence (`next.held`). Where every pause has an end, the
 * last day of it: the engine's `resumesOn` is the day after.
 */
export function heldText(
  next: Extract<Decision, { kind: "stop" }>,
  t: TFunction,
  date: (iso: string) => string,
): string {
  const kinds = next.holds ?? [];
  const until = next.resumesOn
    ? { context: "resumes", date: date(addDays(next.resumesOn, -1)) }
    : {};
  const reasons = kinds.map((h) => t(`hold.${h}`)).join(", ");
  const several = t("next.held", { ...until, reasons });
  return kinds.length === 1
    ? t(`next.heldBy.${kinds[0]}`, { ...until, defaultValue: several })
    : several;
}
