import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { devMailCatcherUrl, getCaughtMail } from "~/services/letters/dev-mail.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const catcherUrl = devMailCatcherUrl();
  if (!catcherUrl) throw new Response("Not found", { status: 404 });
  const result = await getCaughtMail(catcherUrl, params.id ?? "");
  if (!result) throw new Response("Not found", { status: 404 });
  return result;
}

// Not imported from ./dev.mail: a route module pulls its loader's .server imports along.
function useReceivedAt() {
  const { locale } = useFormat();
  const format = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "medium",
    timeZone: "UTC",
  });
  return (iso: string) => `${format.format(new Date(iso))} UTC`;
}

/** Blank lines separate paragraphs in the text version; keep that shape without a <pre> that would not wrap. */
function PlainText({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((block, i) => (
        <p key={i}>
          {block.split("\n").map((line, j) => (
            <span key={j}>
              {j > 0 ? <br /> : null}
              {line}
            </span>
          ))}
        </p>
      ))}
    </>
  );
}

export default function DevMailMessage() {
  const result = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const receivedAt = useReceivedAt();
  if (result.status === "unreachable") {
    return (
      <p className="notice notice--error" role="alert">
        {t("devMail.unreachable", { url: result.catcherUrl })}
      </p>
    );
  }
  const m = result.data;
  return (
    <article className="card" aria-labelledby="mail-subject">
      <p className="breadcrumb">
        <Link to="/dev/mail">{t("devMail.back")}</Link>
      </p>
      <h2 id="mail-subject">{m.subject}</h2>
      <dl className="facts facts--stacked">
        <div>
          <dt>{t("devMail.from")}</dt>
          <dd>{m.from}</dd>
        </div>
        <div>
          <dt>{t("devMail.col.to")}</dt>
          <dd>{m.to}</dd>
        </div>
        <div>
          <dt>{t("devMail.col.date")}</dt>
          <dd>
            <time dateTime={m.date}>{receivedAt(m.date)}</time>
          </dd>
        </div>
      </dl>

      <section aria-labelledby="mail-html">
        <h3 id="mail-html">{t("devMail.htmlHeading")}</h3>
        {m.html === null ? (
          <p>{t("devMail.noHtml")}</p>
        ) : (
          <>
            <p className="hint">{t("devMail.cspNote")}</p>
            {m.rawHtmlUrl ? (
              <p>
                <a href={m.rawHtmlUrl} target="_blank" rel="noreferrer">
                  {t("devMail.rawHtml")}
                </a>
              </p>
            ) : null}
            {/* sandbox="" : the mail's markup gets no scripts, no forms and an opaque origin. */}
            <iframe
              sandbox=""
              srcDoc={m.html}
              title={t("devMail.htmlFrameTitle", { subject: m.subject })}
              width="100%"
              height="900"
            />
          </>
        )}
      </section>

      <section aria-labelledby="mail-text">
        <h3 id="mail-text">{t("devMail.textHeading")}</h3>
        <PlainText text={m.text} />
      </section>
    </article>
  );
}
