// The review queue's alert that the plan's holds for this month are used up: risky payments are still
// recorded and listed, as ones the app would have held, until the month ends or the plan changes.
import { Banner } from "@shopify/polaris";

export interface HoldLimitView {
  planName: string;
  used: number;
  limit: number;
}

export function HoldLimitBanner({ usage }: { usage: HoldLimitView }) {
  return (
    <Banner
      tone="warning"
      title={`${usage.planName} plan: ${usage.used} of ${usage.limit} holds used this month — upgrade to keep holding`}
      action={{ content: "See plans", url: "/app/plan" }}
    >
      <p>
        New risky payments are still reviewed and listed here as orders the app would have held, but their orders are not held in Shopify. Holds already placed
        stay in place. Holding starts again on the 1st (UTC), or at once on a plan without a limit.
      </p>
    </Banner>
  );
}
