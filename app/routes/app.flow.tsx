import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { scheduleDisputeDeadlines } from "../disputes/deadlines.server";
import { enabledFlowTriggers, saveFlowSettings } from "../flow/settings.server";
import { FLOW_TRIGGERS, FLOW_TRIGGER_NAMES } from "../flow/triggers";
import { translator } from "../i18n/i18n";
import { readForm } from "../lib/form";
import { requireStaff } from "../shopify/staff.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const enabled = await enabledFlowTriggers(staff.shopId);
  return {
    // Each trigger's name and help are the page's (flow namespace); triggers.ts keeps Flow's English ones.
    triggers: FLOW_TRIGGER_NAMES.map((name) => {
      const { handle } = FLOW_TRIGGERS[name];
      return { name, handle, enabled: enabled.includes(handle) };
    }),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "admin");
  const t = translator(staff.locale, "flow");
  const result = await saveFlowSettings(staff.shopId, await readForm(request));
  // The one refusal: a trigger this app does not offer.
  if (!result.ok) return json({ ok: false as const, message: t("replies.unknownTrigger") }, { status: 400 });
  // "Dispute evidence due soon" is sent by the hourly dispute-deadline job: turning it on (re)starts it.
  if (result.enabled.includes(FLOW_TRIGGERS.dispute_evidence_due.handle)) await scheduleDisputeDeadlines(staff.shopId);
  return json({ ok: true as const, message: t("replies.saved") });
};

export default function FlowSettings() {
  const { t } = useTranslation("flow");
  const { triggers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [checked, setChecked] = useState(() => Object.fromEntries(triggers.map((trigger) => [trigger.handle, trigger.enabled])));

  return (
    <Page title={t("page.title")} subtitle={t("page.subtitle")}>
      <Layout>
        <Layout.AnnotatedSection id="triggers" title={t("section.title")} description={t("section.description")}>
          <Card>
            <Form method="post">
              <BlockStack gap="300">
                {result && <Banner tone={result.ok ? "success" : "critical"} title={result.message} />}
                {triggers.map((trigger) => (
                  <Checkbox
                    key={trigger.handle}
                    label={t(`triggers.${trigger.name}.label`)}
                    helpText={t(`triggers.${trigger.name}.help`)}
                    name="trigger"
                    value={trigger.handle}
                    checked={checked[trigger.handle]}
                    onChange={(value) => setChecked((c) => ({ ...c, [trigger.handle]: value }))}
                  />
                ))}
                <Text as="p" tone="subdued">
                  {t("section.matchedOnly")}
                </Text>
                <Button submit variant="primary" loading={saving}>
                  {t("save")}
                </Button>
              </BlockStack>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
