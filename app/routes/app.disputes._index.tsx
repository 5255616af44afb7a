import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, IndexTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { IntentForm } from "../ui/form-page";
import { formReply } from "../ui/form-reply.server";
import { ListTable } from "../ui/list-page";
import { updateAutoSubmitSettings } from "../disputes/auto-submit.server";
import { formatDateTime } from "../lib/dates";
import { listDisputes } from "../disputes/queries.server";
import { DeadlineBadge, DisputeStatusBadge } from "../disputes/ui/badges";
import { categoryLabel } from "../disputes/status";
import { db } from "../db.server";
import { requireStaff } from "../shopify/staff.server";
import { formObject, readForm } from "../lib/form";
import { formatMoney } from "../lib/money";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const [disputes, settings] = await Promise.all([listDisputes(staff.shopId), db().shopSettings.findUnique({ where: { shopId: staff.shopId } })]);
  return { disputes, autoSubmit: { enabled: settings?.autoSubmitEvidence ?? false, days: settings?.autoSubmitDaysBefore ?? 2 }, now: new Date().toISOString() };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  // Automatic submission sends evidence on the merchant's behalf: a setting for admins.
  const staff = await requireStaff(request, "admin");
  const result = await updateAutoSubmitSettings(staff.shopId, formObject(await readForm(request)), { actor: staff.actor, source: "admin" });
  if (!result.ok)
    return formReply({ intent: "auto-submit", ok: false, message: "Fix the highlighted field. Nothing was saved.", fieldErrors: result.fieldErrors });
  const message = result.enabled
    ? `Complete evidence will be submitted automatically ${result.days} day${result.days === 1 ? "" : "s"} before each deadline.`
    : "Automatic submission is off. Evidence is submitted only when you click Submit evidence.";
  return formReply({ intent: "auto-submit", ok: true, message });
};

export default function Disputes() {
  const { disputes, autoSubmit, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [enabled, setEnabled] = useState(autoSubmit.enabled);
  const [days, setDays] = useState(String(autoSubmit.days));

  return (
    <Page title="Disputes" subtitle="Chargebacks from Checkout.com, soonest deadline first">
      <Layout>
        <ListTable
          empty={{ heading: "No disputes", body: "Disputes appear here when Checkout.com reports them to your webhook." }}
          resourceName={{ singular: "dispute", plural: "disputes" }}
          itemCount={disputes.length}
          headings={[
            { title: "Order" },
            { title: "Reason" },
            { title: "Amount", alignment: "end" },
            { title: "Status" },
            { title: "Respond by" },
            { title: "Evidence" },
          ]}
        >
          {disputes.map((d, position) => (
            <IndexTable.Row id={d.id} key={d.id} position={position}>
              <IndexTable.Cell>
                <Link to={`/app/disputes/${d.id}`} data-primary-link>
                  <Text as="span" fontWeight="semibold">
                    {d.orderName ?? d.ckoDisputeId}
                  </Text>
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>{categoryLabel(d.category)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {formatMoney(d.amount, d.currency)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <DisputeStatusBadge status={d.status} responseState={d.responseState} />
              </IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span">{d.evidenceRequiredBy ? formatDateTime(d.evidenceRequiredBy) : "–"}</Text>
                  {d.needsResponse && <DeadlineBadge deadline={d.evidenceRequiredBy} now={now} />}
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>{d.evidenceBuilt ? "Drafted" : d.needsResponse ? "Not built yet" : "–"}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>

        <Layout.AnnotatedSection
          id="auto-submit"
          title="Automatic submission"
          description="Off by default. When on, evidence that covers everything Checkout.com asked for is submitted this many days before the deadline, if you have not submitted it yourself."
        >
          <Card>
            <IntentForm intent="auto-submit" reply={result}>
              <Checkbox label="Submit complete evidence automatically" name="autoSubmitEvidence" value="true" checked={enabled} onChange={setEnabled} />
              <TextField
                label="Days before the deadline"
                name="autoSubmitDaysBefore"
                type="number"
                min={1}
                max={14}
                value={days}
                onChange={setDays}
                autoComplete="off"
                error={result?.fieldErrors.autoSubmitDaysBefore}
              />
              <BlockStack inlineAlign="start">
                <Button submit loading={navigation.state === "submitting"}>
                  Save automatic submission
                </Button>
              </BlockStack>
            </IntentForm>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
