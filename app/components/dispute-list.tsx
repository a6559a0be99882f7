import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";

export type DisputeView = {
  id: string;
  reason: string;
  text: string;
  status: string;
  createdAt: string;
  charge: { kind: string; chargedOn: string } | null;
  decisionReason: string | null;
  freshDeadline: string | null;
  messages: { fromResident: boolean; text: string; at: string }[];
  attachments: { id: string; fileName: string; size: number }[];
};

/** A resident's objections with their status; `renderAnswer` adds a form where staff asked. */
export function DisputeList({
  disputes,
  renderAnswer,
}: {
  disputes: DisputeView[];
  renderAnswer?: (dispute: DisputeView) => ReactNode;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ul className="plain-list dispute-list" data-testid="disputes">
      {disputes.map((d) => (
        <li key={d.id} className="card dispute" data-testid="dispute">
          <p className="dispute__about">
            <strong>
              {d.charge
                ? t("dispute.aboutFee", {
                    kind: t(`chargeKind.${d.charge.kind}`),
                    date: f.date(d.charge.chargedOn),
                  })
                : t("dispute.aboutWhole")}
            </strong>{" "}
            <span className="hint">
              {t("dispute.filedOn", { date: f.date(d.createdAt.slice(0, 10)) })}
            </span>
          </p>
          <dl className="facts facts--stacked">
            <div>
              <dt>{t("dispute.statusLabel")}</dt>
              <dd
                data-testid="dispute-status"
                className={`dispute__status dispute__status--${d.status.toLowerCase()}`}
              >
                {t(`dispute.status.${d.status}`)}
              </dd>
            </div>
            {d.decisionReason ? (
              <div>
                <dt>{t("dispute.decisionReason")}</dt>
                <dd className="dispute__text">{d.decisionReason}</dd>
              </div>
            ) : null}
            {d.freshDeadline ? (
              <div>
                <dt>{t("dispute.statusLabel")}</dt>
                <dd>{t("dispute.freshDeadline", { date: f.date(d.freshDeadline) })}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t("dispute.yourReason")}</dt>
              <dd>{t(`dispute.reason.${d.reason}`)}</dd>
            </div>
            <div>
              <dt>{t("dispute.yourText")}</dt>
              <dd className="dispute__text">{d.text}</dd>
            </div>
            {d.attachments.length > 0 ? (
              <div>
                <dt>{t("dispute.attachments")}</dt>
                <dd>
                  <ul className="plain-list">
                    {d.attachments.map((a) => (
                      <li key={a.id}>
                        <a href={`/attachments/${a.id}`} download>
                          {t("dispute.download", { name: a.fileName })}
                        </a>
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            ) : null}
            {d.messages.length > 0 ? (
              <div>
                <dt>{t("dispute.messages")}</dt>
                <dd>
                  <ul className="plain-list">
                    {d.messages.map((m, i) => (
                      <li key={i} className="dispute__text">
                        <strong>
                          {m.fromResident ? t("dispute.fromYou") : t("dispute.fromStaff")}:
                        </strong>{" "}
                        {m.text}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            ) : null}
          </dl>
          {d.status === "INFO_REQUESTED" && renderAnswer ? renderAnswer(d) : null}
        </li>
      ))}
    </ul>
  );
}
