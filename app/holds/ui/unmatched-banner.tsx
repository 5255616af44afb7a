// The alert that risky payments wait for their order (review queue and Home): nothing is held until
// a reviewer links each to its order.
import { Banner } from "@shopify/polaris";

export function UnmatchedBanner({ count }: { count: number }) {
  return (
    <Banner
      tone="warning"
      title={`${count} risky payment${count === 1 ? " has" : "s have"} no order`}
      action={{ content: "Link them to their orders", url: "/app/holds/unmatched" }}
    >
      <p>No Shopify order was found for {count === 1 ? "it" : "them"}, so nothing is held. Link each to its order to review it.</p>
    </Banner>
  );
}
