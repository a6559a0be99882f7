import { useTranslation } from "react-i18next";

/** Why a request was answered with an error page; each has a title and a body in every language. */
export type StatusKind =
  | "notFound"
  | "badUrl"
  | "badRequest"
  | "controlChars"
  | "tooLarge"
  | "unsupported"
  | "method"
  | "unavailable"
  | "forbidden"
  | "generic";

/** The kind of page an HTTP status gets when nothing more specific is known. */
export function statusKindOf(status: number): StatusKind {
  switch (status) {
    case 400:
      return "badRequest";
    case 403:
      return "forbidden";
    case 404:
      return "notFound";
    case 405:
      return "method";
    case 413:
      return "tooLarge";
    case 415:
      return "unsupported";
    case 503:
      return "unavailable";
    default:
      return "generic";
  }
}

/** The body of an error page: what happened, that nothing changed, and the way back. */
export function StatusMessage({
  kind,
  home = { href: "/", label: "errors.backHome" },
}: {
  kind: StatusKind;
  /** The way back: the start page, or for staff their queues. */
  home?: { href: string; label: string };
}) {
  const { t } = useTranslation();
  const [title, body] =
    kind === "notFound"
      ? [t("errors.notFoundTitle"), t("errors.notFoundBody")]
      : kind === "generic"
        ? [t("errors.genericTitle"), t("errors.genericBody")]
        : [t(`errors.kind.${kind}.title`), t(`errors.kind.${kind}.body`)];
  return (
    <div className="page">
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <a href={home.href}>{t(home.label)}</a>
      </p>
    </div>
  );
}
