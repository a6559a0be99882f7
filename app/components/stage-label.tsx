import { useTranslation } from "react-i18next";

/** The stage in words; the enforcement authority named is the creditor's country's. */
export function StageLabel({ stage, country }: { stage: string; country: string }) {
  const { t } = useTranslation();
  return <>{t(`stage.${stage}`, { authority: t(`authority.${country}`) })}</>;
}
