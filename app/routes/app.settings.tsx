import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import { z } from "zod";
import { getConnection, saveConnection, summarize, testConnection, webhookUrlOf } from "../checkout/connection.server";
import { KNOWN_EVENT_TYPES } from "../webhooks/event-types";
import { StaffRolesCard } from "../shopify/ui/staff-roles-card";
import { ConnectionForm } from "../checkout/ui/connection-form";
import { ConnectionTestCard } from "../checkout/ui/connection-test-card";
import { WebhookSetupCard } from "../checkout/ui/webhook-setup-card";
import { registerWebhookWorkflow, sendWorkflowTestEvent, workflowView } from "../checkout/workflow.server";
import { formObject, readForm } from "../lib/form";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, STAFF_ROLES } from "../shopify/roles";
import { requireStaff, setStaffRole, staffList } from "../shopify/staff.server";
import { ReplyBanner } from "../ui/form-page";
import { formReply } from "../ui/form-reply.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const [connection, roles] = await Promise.all([getConnection(staff.shopId), staffList(staff.shopId)]);
  return {
    connection: connection ? summarize(connection) : null,
    workflow: await workflowView(staff.shopId, connection),
    webhookUrl: connection ? webhookUrlOf(connection) : null,
    eventTypes: KNOWN_EVENT_TYPES,
    canEdit: staff.role === "admin",
    roles: { ...roles, roles: STAFF_ROLES.map((value) => ({ value, label: ROLE_LABELS[value], description: ROLE_DESCRIPTIONS[value] })) },
  };
};

const roleChangeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("staff-role"), userId: z.string().min(1).max(64), role: z.enum([...STAFF_ROLES, "default"]) }),
  z.object({ intent: z.literal("default-role"), role: z.enum(STAFF_ROLES) }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "admin");
  const form = formObject(await readForm(request));
  if (form.intent === "staff-role" || form.intent === "default-role") {
    const parsed = roleChangeSchema.safeParse(form);
    if (!parsed.success) return formReply({ intent: form.intent, ok: false, message: "Choose a role." });
    const change = parsed.data.intent === "staff-role" ? { userId: parsed.data.userId, role: parsed.data.role } : { defaultRole: parsed.data.role };
    const result = await setStaffRole(staff.shopId, change, staff.actor);
    return formReply({ intent: form.intent, ...result }, result.ok ? 200 : 404);
  }
  if (form.intent === "test") {
    const result = await testConnection(staff.shopId);
    return formReply({ intent: "test", ...result }, 200);
  }
  if (form.intent === "register-webhook") {
    const { ok, message } = await registerWebhookWorkflow(staff.shopId, staff.actor);
    return formReply({ intent: "register-webhook", ok, message }, 200);
  }
  if (form.intent === "test-webhook") {
    const result = await sendWorkflowTestEvent(staff.shopId);
    return formReply({ intent: "test-webhook", ...result }, 200);
  }
  const result = await saveConnection(staff.shopId, form, staff.actor);
  if (!result.ok) return formReply({ intent: "save", ok: false, message: "Fix the highlighted fields. Nothing was saved.", fieldErrors: result.fieldErrors });
  // Every save brings the webhook workflow in line with the keys, channel and header just saved.
  const webhook = await registerWebhookWorkflow(staff.shopId, staff.actor);
  return formReply({
    intent: "save",
    ok: true,
    message:
      webhook.status === "registered" ? "Checkout.com connection saved, and its webhook registered." : `Checkout.com connection saved. ${webhook.message}`,
  });
};

export default function Settings() {
  const { connection, workflow, webhookUrl, eventTypes, canEdit, roles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;

  return (
    <Page title="Settings" subtitle="Connect this shop to its Checkout.com account">
      <Layout>
        <Layout.AnnotatedSection
          id="connection"
          title="Checkout.com connection"
          description="Keys are encrypted before they are stored and are never shown again; only their last 4 characters are."
        >
          <ConnectionForm connection={connection} reply={result} busy={busy === "save"} />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection id="status" title="Connection test" description="Calls Checkout.com with the stored key.">
          <ConnectionTestCard connection={connection} reply={result} busy={busy === "test"} />
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="webhook"
          title="Webhook"
          description="How Checkout.com delivers this shop's payment and dispute events. The app registers it through Checkout.com's Workflows API when the key allows."
        >
          <BlockStack gap="300">
            {result && (result.intent === "register-webhook" || result.intent === "test-webhook") && <ReplyBanner reply={result} />}
            <WebhookSetupCard
              webhookUrl={webhookUrl}
              eventTypes={eventTypes}
              workflow={workflow}
              canEdit={canEdit}
              busy={busy === "register-webhook" || busy === "test-webhook" ? busy : null}
            />
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          id="staff"
          title="Staff and roles"
          description="Who may do what in this app. Store owners are admins; money moves only for Finance and Admin."
        >
          <BlockStack gap="300">
            {result && (result.intent === "staff-role" || result.intent === "default-role") && <ReplyBanner reply={result} />}
            <StaffRolesCard view={roles} canEdit={canEdit} />
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
