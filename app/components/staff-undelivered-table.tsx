import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useLetterWords } from "./staff-letter-words";

export type UndeliveredRow = {
  id: string;
  claimId: string | null;
  title: string;
  waitingDays: number;
  letter?: {
    residentName: string;
    kind: string;
    status: string;
    channel: string | null;
    reason: string | null;
  };
};

/** The queue of letters that did not arrive: who, which claim, what letter, how and why. */
export function UndeliveredTable({ items, caption }: { items: UndeliveredRow[]; caption: string }) {
  const { t } = useTranslation();
  const words = useLetterWords();
  const col = (k: string) => t(`backoffice.letters.col.${k}`);
  return (
    <table className="breakdown" data-testid="queue">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{col("resident")}</th>
          <th scope="col">{col("claim")}</th>
          <th scope="col">{col("letter")}</th>
          <th scope="col">{col("how")}</th>
          <th scope="col">{col("reason")}</th>
          <th scope="col">{col("waiting")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const l = item.letter!;
          const why = words.reason(l.reason);
          return (
            <tr key={item.id} data-testid="queue-item">
              <th scope="row" data-label={col("resident")}>
                {l.residentName}
              </th>
              <td data-label={col("claim")}>
                <Link to={`/staff/cases/${item.claimId}#letters-heading`}>{item.title}</Link>
              </td>
              <td data-label={col("letter")}>{words.kind(l.kind)}</td>
              <td data-label={col("how")}>{words.how(l.status, l.channel)}</td>
              <td data-label={col("reason")}>
                {why?.words}
                {why?.detail ? (
                  <>
                    <br />
                    <span className="hint">
                      {t("backoffice.letters.why.detail", { detail: why.detail })}
                    </span>
                  </>
                ) : null}
              </td>
              <td data-label={col("waiting")}>
                {item.waitingDays > 0
                  ? t("backoffice.letters.days", { count: item.waitingDays })
                  : t("backoffice.letters.today")}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
