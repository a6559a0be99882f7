import { useTranslation } from "react-i18next";

export type FormError = { field: string; message: string; fileName?: string };

/** The form's problems at the top, announced to screen readers, each with the file it concerns. */
export function DisputeErrors({ errors, titleKey }: { errors: FormError[]; titleKey: string }) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;
  return (
    <div className="notice notice--error" role="alert" data-testid="form-errors">
      <p>{t(titleKey)}</p>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            {e.fileName
              ? t("dispute.fileError", { name: e.fileName, message: t(e.message) })
              : t(e.message)}
          </li>
        ))}
      </ul>
    </div>
  );
}
