import { useTranslation } from "react-i18next";

/**
 * Reasons that are each a whole sentence (translation keys), one to a line under a short lead-in:
 * joined with commas or semicolons they read ".," and ".;".
 */
export function ReasonList({ keys, label }: { keys: readonly string[]; label: string }) {
  const { t } = useTranslation();
  return (
    <div className="reason-list" data-testid="reasons">
      <span className="hint">{label}</span>
      <ul>
        {keys.map((k) => (
          <li key={k} data-testid="reason">
            {t(k)}
          </li>
        ))}
      </ul>
    </div>
  );
}
