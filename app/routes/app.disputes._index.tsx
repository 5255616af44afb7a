import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, IndexTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { IntentForm } from "../ui/form-page";
import { formReply } from "../ui/form-reply.server";
import { ListTable } from "../ui/list-page";
import { updateAutoSubmitSettings, updateEvidenceReminderSettings } from "../disputes/deadlines.server";
import { listDisputes } from "../disputes/queries.server";
import { DeadlineBadge, DisputeStatusBadge } from "../disputes/ui/badges";
import { categoryLabel } from "../disputes/status";
import { db } from "../db.server";
import { enabledFlowTriggers } from "../flow/settings.server";
import { FLOW_TRIGGERS } from "../flow/triggers";
import { requireStaff } from "../shopify/staff.server";
import { formObject, readForm } from "../lib/form";
import { formatMoney } from "../lib/money";
import { useFormat } from "../ui/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const [disputes, settings, triggers] = await Promise.all([
    listDisputes(staff.shopId),
    db().shopSettings.findUnique({ where: { shopId: staff.shopId } }),
    enabledFlowTriggers(staff.shopId),
  ]);
  return {
    disputes,
    autoSubmit: { enabled: settings?.autoSubmitEvidence ?? false, days: settings?.autoSubmitDaysBefore ?? 2 },
    reminder: { hours: settings?.evidenceReminderHours ?? 72, triggerOn: triggers.includes(FLOW_TRIGGERS.dispute_evidence_due.handle) },
    now: new Date().toISOString(),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  // Automatic submission sends evidence on the merchant's behalf: its settings are for admins.
  const staff = await requireStaff(request, "admin");
  const form = formObject(await readForm(request));
  const by = { actor: staff.actor, source: "admin" as const };
  if (form.intent === "evidence-reminder") {
    const saved = await updateEvidenceReminderSettings(staff.shopId, form, by);
    if (!saved.ok)
      return formReply({ intent: "evidence-reminder", ok: false, message: "Fix the highlighted field. Nothing was saved.", fieldErrors: saved.fieldErrors });
    return formReply({
      intent: "evidence-reminder",
      ok: true,
      message: `Reminders go out ${saved.hours} hour${saved.hours === 1 ? "" : "s"} before each deadline while the Flow trigger "Dispute evidence due soon" is on.`,
    });
  }
  const result = await updateAutoSubmitSettings(staff.shopId, form, by);
  if (!result.ok)
    return formReply({ intent: "auto-submit", ok: false, message: "Fix the highlighted field. Nothing was saved.", fieldErrors: result.fieldErrors });
  const message = result.enabled
    ? `Complete evidence will be submitted automatically ${result.days} day${result.days === 1 ? "" : "s"} before each deadline.`
    : "Automatic submission is off. Evidence is submitted only when you click Submit evidence.";
  return formReply({ intent: "auto-submit", ok: true, message });
};

export default function Disputes() {
  const { dateTime } = useFormat();
  const { disputes, autoSubmit, reminder, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [enabled, setEnabled] = useState(autoSubmit.enabled);
  const [days, setDays] = useState(String(autoSubmit.days));
  const [hours, setHours] = useState(String(reminder.hours));

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
                  <Text as="span">{d.evidenceRequiredBy ? dateTime(d.evidenceRequiredBy) : "–"}</Text>
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

        <Layout.AnnotatedSection
          id="evidence-reminder"
          title="Evidence reminder"
          description="Disputes you have not answered whose deadline is within this many hours are shown on Home, and a Shopify Flow reminder goes out for each, once per deadline."
        >
          <Card>
            <IntentForm intent="evidence-reminder" reply={result}>
              <TextField
                label="Hours before the deadline"
                name="evidenceReminderHours"
                type="number"
                min={1}
                max={336}
                value={hours}
                onChange={setHours}
                autoComplete="off"
                helpText={
                  <>
                    From 1 to 336 hours (14 days). The reminder is the Flow trigger &ldquo;Dispute evidence due soon&rdquo;: it is sent only once you turn it on
                    in the <Link to="/app/flow">Shopify Flow</Link> screen
                    {reminder.triggerOn ? " (it is on)." : " (it is off now)."}
                  </>
                }
                error={result?.intent === "evidence-reminder" ? result.fieldErrors.evidenceReminderHours : undefined}
              />
              <BlockStack inlineAlign="start">
                <Button submit loading={navigation.state === "submitting"}>
                  Save reminder
                </Button>
              </BlockStack>
            </IntentForm>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
