import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { scheduleDisputeDeadlines } from "../disputes/deadlines.server";
import { enabledFlowTriggers, saveFlowSettings } from "../flow/settings.server";
import { FLOW_TRIGGERS, FLOW_TRIGGER_NAMES } from "../flow/triggers";
import { readForm } from "../lib/form";
import { requireStaff } from "../shopify/staff.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const enabled = await enabledFlowTriggers(staff.shopId);
  return {
    triggers: FLOW_TRIGGER_NAMES.map((name) => {
      const { handle, label, help } = FLOW_TRIGGERS[name];
      return { handle, label, help, enabled: enabled.includes(handle) };
    }),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "admin");
  const result = await saveFlowSettings(staff.shopId, await readForm(request));
  if (!result.ok) return json(result, { status: 400 });
  // "Dispute evidence due soon" is sent by the hourly dispute-deadline job: turning it on (re)starts it.
  if (result.enabled.includes(FLOW_TRIGGERS.dispute_evidence_due.handle)) await scheduleDisputeDeadlines(staff.shopId);
  return json({ ok: true as const, message: "Flow triggers saved." });
};

export default function FlowSettings() {
  const { triggers } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const [checked, setChecked] = useState(() => Object.fromEntries(triggers.map((t) => [t.handle, t.enabled])));

  return (
    <Page title="Shopify Flow" subtitle="Start Flow workflows from Checkout.com events">
      <Layout>
        <Layout.AnnotatedSection
          id="triggers"
          title="Triggers"
          description="Turn on the triggers your workflows use. Each one carries the order, so Flow can tag it, notify your team in Slack or email, add a row to Google Sheets, or anything else Flow connects to."
        >
          <Card>
            <Form method="post">
              <BlockStack gap="300">
                {result && <Banner tone={result.ok ? "success" : "critical"} title={result.message} />}
                {triggers.map((t) => (
                  <Checkbox
                    key={t.handle}
                    label={t.label}
                    helpText={t.help}
                    name="trigger"
                    value={t.handle}
                    checked={checked[t.handle]}
                    onChange={(value) => setChecked((c) => ({ ...c, [t.handle]: value }))}
                  />
                ))}
                <Text as="p" tone="subdued">
                  Triggers fire only for payments matched to a Shopify order.
                </Text>
                <Button submit variant="primary" loading={saving}>
                  Save
                </Button>
              </BlockStack>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
