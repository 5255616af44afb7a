// The review queue's alert that the plan's holds for this month are used up: risky payments are still
// recorded and listed, as ones the app would have held, until the month ends or the plan changes.
import { Banner } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { PLANS } from "../plans";

export interface HoldLimitView {
  /** The plan's name (plans.ts), shown in the staff member's language. */
  planName: string;
  used: number;
  limit: number;
}

export function HoldLimitBanner({ usage }: { usage: HoldLimitView }) {
  const { t } = useTranslation("plan");
  const plan = Object.values(PLANS).find((p) => p.name === usage.planName);
  return (
    <Banner
      tone="warning"
      title={t("holdLimit.title", { plan: plan ? t(`names.${plan.id}`) : usage.planName, used: usage.used, limit: usage.limit })}
      action={{ content: t("holdLimit.seePlans"), url: "/app/plan" }}
    >
      <p>{t("holdLimit.body")}</p>
    </Banner>
  );
}
