import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BlockStack, Layout, Page, Tabs } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { connectCheckout, disconnectCheckout, switchEnvironment } from "../checkout/connect.server";
import { connectionsOf, summarizeIn, testConnection, webhookUrlOf } from "../checkout/connection.server";
import { ENVIRONMENTS, type CheckoutEnvironment } from "../checkout/keys";
import { EnvironmentsCard } from "../checkout/ui/environments-card";
import { KNOWN_EVENT_TYPES } from "../webhooks/event-types";
import { StaffRolesCard } from "../shopify/ui/staff-roles-card";
import { ConnectionForm } from "../checkout/ui/connection-form";
import { ConnectionTestCard } from "../checkout/ui/connection-test-card";
import { WebhookSetupCard } from "../checkout/ui/webhook-setup-card";
import { checkWorkflowExists, registerWebhookWorkflow, sendWorkflowTestEvent, workflowMessageWords, workflowView } from "../checkout/workflow.server";
import { sayAll, sayFieldErrors, textOf } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import { formObject, readForm } from "../lib/form";
import { STAFF_ROLES } from "../shopify/roles";
import { requireStaff, setStaffRole, staffList } from "../shopify/staff.server";
import { retentionView, updateRetentionSettings } from "../shops/retention.server";
import { RetentionCard } from "../shops/ui/retention-card";
import { ReplyBanner } from "../ui/form-page";
import { formReply } from "../ui/form-reply.server";
import { planRefusal } from "../billing/billing.server";
import { domainErrorMessage } from "../lib/errors.server";
import { agentTokensView, createAgentTokenFromForm } from "../mcp/token-form.server";
import { revokeAgentToken } from "../mcp/tokens.server";
import { AgentTokensCard, type AgentTokenReply } from "../mcp/ui/agent-tokens-card";
import { AGENT_TOKEN_INTENTS } from "../mcp/ui/token-form-fields";

const environmentSchema = z.enum(ENVIRONMENTS);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const [connections, roles, agents] = await Promise.all([connectionsOf(staff.shopId), staffList(staff.shopId), agentTokensView(staff.shopId, staff.locale)]);
  // The environment whose connection the page shows: the one asked for, else the active one.
  const asked = environmentSchema.safeParse(new URL(request.url).searchParams.get("environment"));
  const environment: CheckoutEnvironment = asked.success ? asked.data : (ENVIRONMENTS.find((e) => connections[e]?.active) ?? "sandbox");
  const connection = await checkWorkflowExists(connections[environment]);
  const workflow = await workflowView(connection);
  // Recorded in English (the last test, the webhook's state): said in the staff member's language where known.
  const workflowWords = workflowMessageWords(workflow.message);
  return {
    environment,
    connections: {
      sandbox: connections.sandbox && summarizeIn(staff.locale, connections.sandbox),
      production: connections.production && summarizeIn(staff.locale, connections.production),
    },
    workflow: workflowWords ? { ...workflow, message: sayAll(staff.locale, workflowWords) } : workflow,
    webhookUrl: connection && !connection.disconnectedAt ? webhookUrlOf(connection) : null,
    eventTypes: KNOWN_EVENT_TYPES,
    canEdit: staff.role === "admin",
    retention: await retentionView(staff.shopId),
    roles,
    // Never a token itself: only its hash is kept, and a new one is shown once, from the action's reply.
    agents,
  };
};

const roleChangeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("staff-role"), userId: z.string().min(1).max(64), role: z.enum([...STAFF_ROLES, "default"]) }),
  z.object({ intent: z.literal("default-role"), role: z.enum(STAFF_ROLES) }),
]);

const revokeSchema = z.object({ id: z.string().min(1).max(64) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "admin");
  // The action's own messages, and the domain's (test, switch, register, roles, field errors) in their words.
  const t = translator(staff.locale, "settings");
  const { locale } = staff;
  const form = formObject(await readForm(request));
  const environment = environmentSchema.safeParse(form.environment);
  if (form.intent === "retention") {
    const saved = await updateRetentionSettings(staff.shopId, form, staff.actor);
    if (!saved.ok)
      return formReply({
        intent: "retention",
        ok: false,
        message: t("replies.fixFields"),
        fieldErrors: sayFieldErrors(locale, saved.fieldErrors, saved.fieldWords),
      });
    return formReply({ intent: "retention", ok: true, message: t("replies.retentionSaved") });
  }
  if (form.intent === AGENT_TOKEN_INTENTS.create) {
    const intent = AGENT_TOKEN_INTENTS.create;
    const refused = await planRefusal(staff.shopId, "agentTools");
    if (refused) return formReply({ intent, ok: false, message: domainErrorMessage(refused, locale) }, 402);
    // The token is bound to its maker's role, so it needs a maker Shopify named.
    if (!staff.userId) return formReply({ intent, ok: false, message: t("agents.replies.noStaffMember") }, 403);
    const made = await createAgentTokenFromForm({ shopId: staff.shopId, actor: staff.actor, userId: staff.userId }, form);
    if (!made.ok)
      return formReply({ intent, ok: false, message: t("replies.fixFields"), fieldErrors: sayFieldErrors(locale, made.fieldErrors, made.fieldWords) });
    return formReply({ intent, ok: true, message: t("agents.replies.created", { name: made.name }), token: { name: made.name, value: made.token } });
  }
  if (form.intent === AGENT_TOKEN_INTENTS.revoke) {
    const intent = AGENT_TOKEN_INTENTS.revoke;
    const asked = revokeSchema.safeParse(form);
    const revoked = asked.success && (await revokeAgentToken(staff.shopId, asked.data.id, staff.actor));
    return revoked
      ? formReply({ intent, ok: true, message: t("agents.replies.revoked") })
      : formReply({ intent, ok: false, message: t("agents.replies.notFound") }, 404);
  }
  if (form.intent === "staff-role" || form.intent === "default-role") {
    const parsed = roleChangeSchema.safeParse(form);
    if (!parsed.success) return formReply({ intent: form.intent, ok: false, message: t("replies.chooseRole") });
    const change = parsed.data.intent === "staff-role" ? { userId: parsed.data.userId, role: parsed.data.role } : { defaultRole: parsed.data.role };
    const result = await setStaffRole(staff.shopId, change, staff.actor);
    return formReply({ intent: form.intent, ok: result.ok, message: textOf(locale, result) }, result.ok ? 200 : 404);
  }
  if (form.intent === "test" || form.intent === "register-webhook" || form.intent === "activate") {
    if (!environment.success) return formReply({ intent: form.intent, ok: false, message: t("replies.chooseEnvironment") });
    const result =
      form.intent === "test"
        ? await testConnection(staff.shopId, environment.data)
        : form.intent === "activate"
          ? await switchEnvironment(staff.shopId, environment.data, staff.actor)
          : await registerWebhookWorkflow(staff.shopId, staff.actor, environment.data);
    return formReply({ intent: form.intent, ok: result.ok, message: textOf(locale, result) }, result.ok || form.intent !== "activate" ? 200 : 404);
  }
  if (form.intent === "disconnect") {
    if (!environment.success) return formReply({ intent: form.intent, ok: false, message: t("replies.chooseEnvironment") });
    const result = await disconnectCheckout(staff.shopId, environment.data, staff.actor);
    return formReply({ intent: form.intent, ok: result.ok, message: textOf(locale, result) }, result.ok ? 200 : 404);
  }
  if (form.intent === "test-webhook") {
    const result = await sendWorkflowTestEvent(staff.shopId);
    return formReply({ intent: "test-webhook", ok: result.ok, message: textOf(locale, result) }, 200);
  }
  const result = await connectCheckout(staff.shopId, form, staff.actor);
  if (!result.ok)
    return formReply({
      intent: "save",
      ok: false,
      message: t("replies.fixFields"),
      fieldErrors: sayFieldErrors(locale, result.fieldErrors, result.fieldWords),
    });
  return formReply({ intent: "save", ok: true, message: textOf(locale, result) });
};

export default function Settings() {
  const { t } = useTranslation("settings");
  const { environment, connections, workflow, webhookUrl, eventTypes, canEdit, roles, retention, agents } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [, setSearchParams] = useSearchParams();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  const connection = connections[environment];
  const tabs = ENVIRONMENTS.map((e) => ({ id: e, content: t(`checkout:environments.${e}`) }));

  return (
    <Page title={t("page.title")} subtitle={t("page.subtitle")}>
      <Layout>
        <Layout.AnnotatedSection id="environments" title={t("sections.environments.title")} description={t("sections.environments.description")}>
          <BlockStack gap="300">
            {result && (result.intent === "activate" || result.intent === "disconnect") && <ReplyBanner reply={result} />}
            <EnvironmentsCard connections={connections} canEdit={canEdit} busy={busy === "activate" || busy === "disconnect" ? busy : null} />
          </BlockStack>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection id="connection" title={t("sections.connection.title")} description={t("sections.connection.description")}>
          <BlockStack gap="300">
            <Tabs
              tabs={tabs}
              selected={ENVIRONMENTS.indexOf(environment)}
              onSelect={(index) => setSearchParams((params) => (params.set("environment", ENVIRONMENTS[index]), params), { preventScrollReset: true })}
            />
            {/* Keyed by environment: each tab's form starts from its own stored values. */}
            <ConnectionForm key={environment} environment={environment} connection={connection} reply={result} busy={busy === "save"} />
          </BlockStack>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection id="status" title={t("sections.status.title")} description={t(`sections.status.description.${environment}`)}>
          <ConnectionTestCard environment={environment} connection={connection} reply={result} busy={busy === "test"} />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection id="webhook" title={t("sections.webhook.title")} description={t("sections.webhook.description")}>
          <BlockStack gap="300">
            {result && (result.intent === "register-webhook" || result.intent === "test-webhook") && <ReplyBanner reply={result} />}
            <WebhookSetupCard
              environment={environment}
              webhookUrl={webhookUrl}
              eventTypes={eventTypes}
              workflow={workflow}
              canEdit={canEdit}
              busy={busy === "register-webhook" || busy === "test-webhook" ? busy : null}
            />
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection id="staff" title={t("sections.staff.title")} description={t("sections.staff.description")}>
          <BlockStack gap="300">
            {result && (result.intent === "staff-role" || result.intent === "default-role") && <ReplyBanner reply={result} />}
            <StaffRolesCard view={roles} canEdit={canEdit} />
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection id="retention" title={t("sections.retention.title")} description={t("sections.retention.description")}>
          <RetentionCard view={retention} canEdit={canEdit} reply={result} busy={busy === "retention"} />
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection id="agents" title={t("sections.agents.title")} description={t("sections.agents.description")}>
          <AgentTokensCard view={agents} canEdit={canEdit} reply={result as AgentTokenReply | undefined} />
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
