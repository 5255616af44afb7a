// Beside an event: the environment it came from when that is the sandbox, and why it did not act
// when it was kept aside (another environment is active, another processing channel or entity).
import { Badge } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { isSkipReason } from "../inbox-view";

export function EventScopeBadges({ environment, skipped }: { environment: string; skipped: string | null }) {
  const { t } = useTranslation("events");
  return (
    <>
      {environment === "sandbox" && <Badge tone="attention">{t("scope.sandbox")}</Badge>}
      {skipped && <Badge tone="warning">{isSkipReason(skipped) ? t(`skipped.${skipped}`) : skipped}</Badge>}
    </>
  );
}
