import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ResidentLetter } from "~/domain/resident-letters";
import { useFormat } from "./format";

/**
 * A claim's letters for the resident, newest first: what each is, how and when it went (or that it
 * is on its way, or did not arrive and what that means for the bill), its deadline, and the letter
 * itself to download once it has left. Plain links: it works without JavaScript.
 */
export function LetterList({ claimId, letters }: { claimId: string; letters: ResidentLetter[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (letters.length === 0) return <p>{t("letters.none")}</p>;
  return (
    <ul className="plain-list letter-list" data-testid="letters">
      {letters.map((l) => {
        const name = t(`letters.kind.${l.name}`);
        return (
          <li
            key={l.id}
            className="letter-list__item"
            data-testid="notice"
            data-state={l.state}
            data-dispatched={l.dispatchedOn ?? undefined}
            data-deadline={l.deadline ?? undefined}
          >
            <h3 className="letter-list__name">{name}</h3>
            <p data-testid="letter-status">{statusText(l, t, f.date)}</p>
            {l.deadline && l.state === "sent" ? (
              <p data-testid="letter-deadline">
                {t("letters.deadline", { date: f.date(l.deadline) })}
              </p>
            ) : null}
            {l.downloadable ? (
              <p>
                <Link
                  to={`/claims/${claimId}/letters/${l.id}.pdf`}
                  reloadDocument
                  download
                  data-testid="letter-download"
                >
                  {t("letters.download")}
                  <span className="visually-hidden">
                    {`: ${name}, ${l.dispatchedOn ? f.date(l.dispatchedOn) : ""}`}
                  </span>
                </Link>
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function statusText(
  l: ResidentLetter,
  t: (key: string, options?: Record<string, string>) => string,
  date: (iso: string) => string,
): string {
  if (l.state === "sending") return t("letters.sending");
  if (l.state === "resent") return t("letters.resent");
  if (l.state === "undelivered") {
    // A plan's letter on another of the plan's claims does not stop this bill.
    const suffix = l.elsewhere ? "Elsewhere" : "";
    return l.returned && l.dispatchedOn
      ? t(`letters.returned${suffix}`, { date: date(l.dispatchedOn) })
      : t(`letters.undelivered${suffix}`);
  }
  const on = { date: l.dispatchedOn ? date(l.dispatchedOn) : "" };
  return t(`letters.sent.${l.channel ?? "other"}`, on);
}
