// Home → "Set up the app": the onboarding steps (app/shops/onboarding.server.ts), each ticked from real
// state, with where to do the ones left. Gone once every step is done. A step's title is
// `home:setup.steps.<id>.title`, its detail `home:setup.steps.<id>.<detail>` (with `count`).
import { Badge, BlockStack, Box, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { OnboardingStep } from "../onboarding.server";

export function SetupChecklist({ steps }: { steps: OnboardingStep[] }) {
  const { t } = useTranslation("home");
  const done = steps.filter((s) => s.done).length;
  if (done === steps.length) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("setup.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("setup.progress", { done, total: steps.length })}
          </Text>
        </InlineStack>
        <ProgressBar progress={(done / steps.length) * 100} size="small" tone="success" />
        <BlockStack gap="200" as="ul">
          {steps.map((step) => {
            const title = t(`setup.steps.${step.id}.title`);
            return (
              <Box as="li" key={step.id} paddingBlock="100">
                <InlineStack align="space-between" blockAlign="center" wrap={false} gap="300">
                  <BlockStack gap="050">
                    {/* align is set: Polaris stacks inherit an unset alignment from the stack around them. */}
                    <InlineStack gap="200" align="start" blockAlign="center">
                      {step.done ? <Badge tone="success">{t("setup.done")}</Badge> : <Badge>{t("setup.toDo")}</Badge>}
                      <Text as="span" variant="bodyMd" fontWeight="semibold">
                        {title}
                      </Text>
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {t(`setup.steps.${step.id}.${step.detail}`, { count: step.count })}
                    </Text>
                  </BlockStack>
                  {!step.done && step.url && (
                    <Button url={step.url} accessibilityLabel={title}>
                      {t("setup.open")}
                    </Button>
                  )}
                </InlineStack>
              </Box>
            );
          })}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
