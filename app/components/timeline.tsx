import { useTranslation } from "react-i18next";
import { isEventType } from "~/domain/events";
import { useFormat } from "./format";

type TimelineEvent = { type: string; occurredOn: string; data: Record<string, unknown> };

/**
 * The claim's history in plain words, oldest first, from the append-only event log. Each type's
 * text comes from the event catalogue's keys: `event.<type>` in the resident's words, or
 * `staffEvent.<type>` in the office's.
 */
export function Timeline({
  events,
  audience = "resident",
}: {
  events: TimelineEvent[];
  audience?: "resident" | "staff";
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const prefix = audience === "staff" ? "staffEvent" : "event";
  return (
    <ol className="timeline">
      {events.map((e, i) => (
        <li key={i}>
          <time dateTime={e.occurredOn}>{f.date(e.occurredOn)}</time>{" "}
          <span>{t(isEventType(e.type) ? `${prefix}.${e.type}` : `${prefix}.other`)}</span>
        </li>
      ))}
    </ol>
  );
}
