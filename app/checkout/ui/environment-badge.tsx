// Above every admin page: which Checkout.com environment acts on orders, so nobody mistakes test
// payments for live ones (or the reverse) on any screen.
import { Link } from "@remix-run/react";
import { Badge, Box, InlineStack } from "@shopify/polaris";
import type { CheckoutEnvironment } from "../keys";

export function EnvironmentBadge({ environment }: { environment: CheckoutEnvironment }) {
  return (
    <Box paddingBlockStart="300" paddingInlineEnd="400" paddingInlineStart="400">
      <InlineStack align="end">
        <Link to="/app/settings" aria-label="Checkout.com environment: change it in Settings">
          {environment === "production" ? (
            <Badge tone="success">Checkout.com: live</Badge>
          ) : (
            <Badge tone="attention">Checkout.com: sandbox (test payments)</Badge>
          )}
        </Link>
      </InlineStack>
    </Box>
  );
}
