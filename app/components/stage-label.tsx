import { useTranslation } from "react-i18next";
import { authorityKey } from "~/domain/claim-stages";

/**
 * The stage in words; the enforcement authority named is the creditor's country's (in Norway the
 * municipality itself, for claim types it enforces as særnamsmann: `own`).
 */
export function StageLabel({
  stage,
  country,
  own = false,
}: {
  stage: string;
  country: string;
  own?: boolean;
}) {
  const { t } = useTranslation();
  return <>{t(`stage.${stage}`, { authority: t(`authority.${authorityKey(country, own)}`) })}</>;
}
