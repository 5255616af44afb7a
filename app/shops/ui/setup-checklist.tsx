// Home → "Set up the app": the onboarding steps (app/shops/onboarding.server.ts), each ticked from real
// state, with where to do the ones left. Gone once every step is done.
import { Badge, BlockStack, Box, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { OnboardingStep } from "../onboarding.server";

export function SetupChecklist({ steps }: { steps: OnboardingStep[] }) {
  const done = steps.filter((s) => s.done).length;
  if (done === steps.length) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Set up the app
          </Text>
          <Text as="p" tone="subdued">
            {`${done} of ${steps.length} done`}
          </Text>
        </InlineStack>
        <ProgressBar progress={(done / steps.length) * 100} size="small" tone="success" />
        <BlockStack gap="200" as="ul">
          {steps.map((step) => (
            <Box as="li" key={step.id} paddingBlock="100">
              <InlineStack align="space-between" blockAlign="center" wrap={false} gap="300">
                <BlockStack gap="050">
                  {/* align is set: Polaris stacks inherit an unset alignment from the stack around them. */}
                  <InlineStack gap="200" align="start" blockAlign="center">
                    {step.done ? <Badge tone="success">Done</Badge> : <Badge>To do</Badge>}
                    <Text as="span" variant="bodyMd" fontWeight="semibold">
                      {step.title}
                    </Text>
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    {step.detail}
                  </Text>
                </BlockStack>
                {!step.done && step.url && (
                  <Button url={step.url} accessibilityLabel={step.title}>
                    Open
                  </Button>
                )}
              </InlineStack>
            </Box>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
