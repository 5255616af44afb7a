import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, IndexTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IntentForm } from "../ui/form-page";
import { formReply } from "../ui/form-reply.server";
import { ListTable } from "../ui/list-page";
import { updateAutoSubmitSettings, updateEvidenceReminderSettings } from "../disputes/deadlines.server";
import { listDisputes } from "../disputes/queries.server";
import { DeadlineBadge, DisputeStatusBadge } from "../disputes/ui/badges";
import { useDisputeWords } from "../disputes/ui/labels";
import { db } from "../db.server";
import { sayFieldErrors } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import { enabledFlowTriggers } from "../flow/settings.server";
import { FLOW_TRIGGERS } from "../flow/triggers";
import { requireStaff } from "../shopify/staff.server";
import { formObject, readForm } from "../lib/form";
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

/** A refused setting's field errors in the staff member's language (the domain's English where it has no words). */
export const action = async ({ request }: ActionFunctionArgs) => {
  // Automatic submission sends evidence on the merchant's behalf: its settings are for admins.
  const staff = await requireStaff(request, "admin");
  const t = translator(staff.locale, "disputes");
  const form = formObject(await readForm(request));
  const by = { actor: staff.actor, source: "admin" as const };
  if (form.intent === "evidence-reminder") {
    const saved = await updateEvidenceReminderSettings(staff.shopId, form, by);
    if (!saved.ok)
      return formReply({
        intent: "evidence-reminder",
        ok: false,
        message: t("form.fixField"),
        fieldErrors: sayFieldErrors(staff.locale, saved.fieldErrors, saved.fieldWords),
      });
    return formReply({ intent: "evidence-reminder", ok: true, message: t("reminder.saved", { count: saved.hours }) });
  }
  const result = await updateAutoSubmitSettings(staff.shopId, form, by);
  if (!result.ok)
    return formReply({
      intent: "auto-submit",
      ok: false,
      message: t("form.fixField"),
      fieldErrors: sayFieldErrors(staff.locale, result.fieldErrors, result.fieldWords),
    });
  const message = result.enabled ? t("autoSubmit.saved.on", { count: result.days }) : t("autoSubmit.saved.off");
  return formReply({ intent: "auto-submit", ok: true, message });
};

export default function Disputes() {
  const { t } = useTranslation("disputes");
  const { dateTime, money } = useFormat();
  const words = useDisputeWords();
  const { disputes, autoSubmit, reminder, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [enabled, setEnabled] = useState(autoSubmit.enabled);
  const [days, setDays] = useState(String(autoSubmit.days));
  const [hours, setHours] = useState(String(reminder.hours));

  return (
    <Page title={t("list.title")} subtitle={t("list.subtitle")}>
      <Layout>
        <ListTable
          empty={{ heading: t("list.empty.heading"), body: t("list.empty.body") }}
          resourceName={{ singular: t("list.resourceName.singular"), plural: t("list.resourceName.plural") }}
          itemCount={disputes.length}
          headings={[
            { title: t("list.headings.order") },
            { title: t("list.headings.reason") },
            { title: t("list.headings.amount"), alignment: "end" },
            { title: t("list.headings.status") },
            { title: t("list.headings.respondBy") },
            { title: t("list.headings.evidence") },
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
              <IndexTable.Cell>{words.category(d.category)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {money(d.amount, d.currency)}
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
              <IndexTable.Cell>{d.evidenceBuilt ? t("list.evidence.drafted") : d.needsResponse ? t("list.evidence.notBuilt") : "–"}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>

        <Layout.AnnotatedSection id="auto-submit" title={t("autoSubmit.title")} description={t("autoSubmit.description")}>
          <Card>
            <IntentForm intent="auto-submit" reply={result}>
              <Checkbox label={t("autoSubmit.enable")} name="autoSubmitEvidence" value="true" checked={enabled} onChange={setEnabled} />
              <TextField
                label={t("autoSubmit.days")}
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
                  {t("autoSubmit.save")}
                </Button>
              </BlockStack>
            </IntentForm>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection id="evidence-reminder" title={t("reminder.title")} description={t("reminder.description")}>
          <Card>
            <IntentForm intent="evidence-reminder" reply={result}>
              <TextField
                label={t("reminder.hours")}
                name="evidenceReminderHours"
                type="number"
                min={1}
                max={336}
                value={hours}
                onChange={setHours}
                autoComplete="off"
                helpText={t(reminder.triggerOn ? "reminder.help.on" : "reminder.help.off", { link: <Link to="/app/flow">{t("reminder.flowLink")}</Link> })}
                error={result?.intent === "evidence-reminder" ? result.fieldErrors.evidenceReminderHours : undefined}
              />
              <BlockStack inlineAlign="start">
                <Button submit loading={navigation.state === "submitting"}>
                  {t("reminder.save")}
                </Button>
              </BlockStack>
            </IntentForm>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
