import { useTranslation } from "react-i18next";

/**
 * A text kept in the translation files as a list of paragraphs (or list items), so a page of
 * prose is one key per part and a new language is one more JSON file.
 */
export function Paragraphs({
  k,
  ns = "site",
  list = false,
}: {
  k: string;
  ns?: string;
  list?: boolean;
}) {
  const { t } = useTranslation(ns);
  const parts = t(k, { returnObjects: true }) as unknown;
  const lines = Array.isArray(parts) ? parts.map(String) : [String(parts)];
  if (list)
    return (
      <ul>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    );
  return (
    <>
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </>
  );
}
