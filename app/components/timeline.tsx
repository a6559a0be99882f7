import { useTranslation } from "react-i18next";
import { useFormat } from "./format";

type TimelineEvent = { type: string; occurredOn: string; data: Record<string, unknown> };

/** The claim's history in plain words, oldest first, from the append-only event log. */
export function Timeline({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ol className="timeline">
      {events.map((e, i) => (
        <li key={i}>
          <time dateTime={e.occurredOn}>{f.date(e.occurredOn)}</time>{" "}
          <span>{t(`event.${e.type}`, { defaultValue: t("event.other") })}</span>
        </li>
      ))}
    </ol>
  );
}
