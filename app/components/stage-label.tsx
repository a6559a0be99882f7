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

/** For staff: an open claim's stage, or how a closed one ended (paid, cancelled, written off). */
export function StaffClaimState(props: {
  status: string;
  stage: string;
  country: string;
  own?: boolean;
}) {
  const { t } = useTranslation();
  return props.status === "OPEN" ? (
    <StageLabel stage={props.stage} country={props.country} own={props.own} />
  ) : (
    <>{t(`backoffice.words.claimStatus.${props.status}`)}</>
  );
}
