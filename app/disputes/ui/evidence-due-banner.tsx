// Home's warning that unanswered disputes need evidence within the reminder's lead time (the Disputes
// screen sets it), shown whether or not the Flow trigger "Dispute evidence due soon" is on.
import { Banner } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../ui/format";

export function EvidenceDueBanner({ count, nearest, hours }: { count: number; nearest: string; hours: number }) {
  const { t } = useTranslation("disputes");
  const { dateTime } = useFormat();
  return (
    <Banner
      tone="warning"
      title={t("dueBanner.title", { count, hours: t("dueBanner.hours", { count: hours }) })}
      // The list shows disputes waiting for an answer first, soonest deadline first.
      action={{ content: t("dueBanner.open"), url: "/app/disputes" }}
    >
      <p>{t("dueBanner.body", { date: dateTime(nearest) })}</p>
    </Banner>
  );
}
