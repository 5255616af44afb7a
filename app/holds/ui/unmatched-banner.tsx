// The alert that risky payments wait for their order (review queue and Home): nothing is held until
// a reviewer links each to its order.
import { Banner } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

export function UnmatchedBanner({ count }: { count: number }) {
  const { t } = useTranslation("holds");
  return (
    <Banner tone="warning" title={t("unmatched.banner.title", { count })} action={{ content: t("unmatched.banner.action"), url: "/app/holds/unmatched" }}>
      <p>{t("unmatched.banner.body", { count })}</p>
    </Banner>
  );
}
