// Above every admin page: which Checkout.com environment acts on orders, so nobody mistakes test
// payments for live ones (or the reverse) on any screen.
import { Link } from "@remix-run/react";
import { Badge, Box, InlineStack } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { CheckoutEnvironment } from "../keys";

export function EnvironmentBadge({ environment }: { environment: CheckoutEnvironment }) {
  const { t } = useTranslation("checkout");
  return (
    <Box paddingBlockStart="300" paddingInlineEnd="400" paddingInlineStart="400">
      <InlineStack align="end">
        <Link to="/app/settings" aria-label={t("badge.label")}>
          {environment === "production" ? <Badge tone="success">{t("badge.production")}</Badge> : <Badge tone="attention">{t("badge.sandbox")}</Badge>}
        </Link>
      </InlineStack>
    </Box>
  );
}
