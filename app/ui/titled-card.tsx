// A card with a heading over its content: the side cards of the payment and dispute pages, and the
// other small summaries; Home's cards link to their screen beside the heading.
import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Text, type BlockStackProps } from "@shopify/polaris";
import type { ReactNode } from "react";

export function TitledCard({
  title,
  gap = "200",
  link,
  children,
}: {
  title: ReactNode;
  gap?: BlockStackProps["gap"];
  /** A link to the screen the card sums up, beside the heading. */
  link?: { to: string; label: string };
  children: ReactNode;
}) {
  const heading = (
    <Text as="h2" variant="headingMd">
      {title}
    </Text>
  );
  return (
    <Card>
      <BlockStack gap={gap}>
        {link ? (
          <InlineStack align="space-between" blockAlign="center" gap="200">
            {heading}
            <Link to={link.to}>{link.label}</Link>
          </InlineStack>
        ) : (
          heading
        )}
        {children}
      </BlockStack>
    </Card>
  );
}
