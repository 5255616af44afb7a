import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { getConnection, saveConnection, summarize, testConnection } from "../checkout/connection.server";
import { env } from "../env.server";
import { KNOWN_EVENT_TYPES } from "../webhooks/event-types";
import { StaffRolesCard } from "../components/StaffRolesCard";
import { formObject, readForm } from "../lib/form";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, STAFF_ROLES } from "../shopify/roles";
import { requireStaff, setStaffRole, staffList } from "../shopify/staff.server";
import { IntentForm, ReplyBanner } from "../ui/form-page";
import { formReply } from "../ui/form-reply.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const [connection, roles] = await Promise.all([getConnection(staff.shopId), staffList(staff.shopId)]);
  return {
    connection: connection ? summarize(connection) : null,
    webhookBaseUrl: `${env().SHOPIFY_APP_URL.replace(/\/$/, "")}/webhooks/checkout/`,
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
  const result = await saveConnection(staff.shopId, form, staff.actor);
  if (!result.ok) return formReply({ intent: "save", ok: false, message: "Fix the highlighted fields. Nothing was saved.", fieldErrors: result.fieldErrors });
  return formReply({ intent: "save", ok: true, message: "Checkout.com connection saved." });
};

const stored = (last4: string | null | undefined) => (last4 ? `Stored (ends in ${last4}). Leave empty to keep it.` : undefined);

export default function Settings() {
  const { connection, webhookBaseUrl, eventTypes, canEdit, roles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  const errors = result?.fieldErrors ?? {};
  const [accountType, setAccountType] = useState(connection?.accountType ?? "NAS");
  const [environment, setEnvironment] = useState(connection?.environment ?? "sandbox");
  const [subdomain, setSubdomain] = useState(connection?.subdomain ?? "");
  const [processingChannelId, setProcessingChannelId] = useState(connection?.processingChannelId ?? "");
  const [secretKey, setSecretKey] = useState("");
  const [signatureKey, setSignatureKey] = useState("");
  const [authorizationHeader, setAuthorizationHeader] = useState("");
  const [clearAuthorization, setClearAuthorization] = useState(false);
  const webhookUrl = connection ? webhookBaseUrl + connection.endpointId : null;

  return (
    <Page title="Settings" subtitle="Connect this shop to its Checkout.com account">
      <Layout>
        <Layout.AnnotatedSection
          id="connection"
          title="Checkout.com connection"
          description="Keys are encrypted before they are stored and are never shown again; only their last 4 characters are."
        >
          <Card>
            <IntentForm intent="save" reply={result}>
              <FormLayout.Group>
                <Select
                  label="Account type"
                  name="accountType"
                  options={[
                    { label: "Current platform (NAS)", value: "NAS" },
                    { label: "Previous platform (ABC)", value: "ABC" },
                  ]}
                  value={accountType}
                  onChange={(v) => setAccountType(v as typeof accountType)}
                  error={errors.accountType}
                />
                <Select
                  label="Environment"
                  name="environment"
                  options={[
                    { label: "Sandbox", value: "sandbox" },
                    { label: "Production", value: "production" },
                  ]}
                  value={environment}
                  onChange={(v) => setEnvironment(v as typeof environment)}
                  error={errors.environment}
                />
              </FormLayout.Group>
              {accountType === "NAS" && (
                <TextField
                  label="API subdomain"
                  name="subdomain"
                  value={subdomain}
                  onChange={setSubdomain}
                  autoComplete="off"
                  helpText="The first 8 characters of your client id after cli_ (Dashboard → Developers → Keys)."
                  error={errors.subdomain}
                />
              )}
              <TextField
                label="Secret key"
                name="secretKey"
                type="password"
                value={secretKey}
                onChange={setSecretKey}
                autoComplete="off"
                helpText={
                  stored(connection?.secretKeyLast4) ?? (environment === "sandbox" ? "Starts with sk_sbox_ (NAS) or sk_test_ (ABC)." : "Starts with sk_.")
                }
                error={errors.secretKey}
              />
              {connection?.previousWebhookKey && (
                <Banner tone="info" title="Webhook signing key changed">
                  <p>
                    {`Deliveries signed with the previous key (ending in ${connection.previousWebhookKey.last4}) are still accepted until ${new Date(
                      connection.previousWebhookKey.until,
                    ).toUTCString()}, so events Checkout.com signed before the change and retries later are not lost.`}
                  </p>
                </Banner>
              )}
              {accountType === "NAS" && (
                <TextField
                  label="Webhook signature key"
                  name="signatureKey"
                  type="password"
                  value={signatureKey}
                  onChange={setSignatureKey}
                  autoComplete="off"
                  helpText={
                    stored(connection?.signatureKeyLast4) ??
                    "Shown when you create the webhook in the Checkout.com Dashboard. Verifies the Cko-Signature header."
                  }
                  error={errors.signatureKey}
                />
              )}
              <TextField
                label="Webhook Authorization header (optional)"
                name="authorizationHeader"
                type="password"
                value={authorizationHeader}
                onChange={setAuthorizationHeader}
                autoComplete="off"
                helpText={
                  stored(connection?.authorizationLast4) ??
                  "If you set a fixed Authorization value on the webhook, enter it here and every delivery must carry it."
                }
                error={errors.authorizationHeader}
              />
              {connection?.authorizationLast4 && (
                <Checkbox
                  label="Remove the stored Authorization value"
                  name="clearAuthorizationHeader"
                  checked={clearAuthorization}
                  onChange={setClearAuthorization}
                />
              )}
              <TextField
                label="Processing channel id (optional)"
                name="processingChannelId"
                value={processingChannelId}
                onChange={setProcessingChannelId}
                autoComplete="off"
                error={errors.processingChannelId}
              />
              <Button submit variant="primary" loading={busy === "save"}>
                Save
              </Button>
            </IntentForm>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection id="status" title="Connection test" description="Calls Checkout.com with the stored key.">
          <Card>
            <BlockStack gap="300">
              {connection ? (
                <InlineStack gap="200" blockAlign="center">
                  {connection.lastTestOk === null ? (
                    <Badge>Not tested</Badge>
                  ) : connection.lastTestOk ? (
                    <Badge tone="success">Working</Badge>
                  ) : (
                    <Badge tone="critical">Failing</Badge>
                  )}
                  <Text as="span" tone="subdued">
                    {connection.lastTestMessage ?? "Test the connection after saving your keys."}
                  </Text>
                </InlineStack>
              ) : (
                <Text as="p">Save your keys to test the connection.</Text>
              )}
              {result?.intent === "test" && <ReplyBanner reply={result} />}
              <Form method="post">
                <input type="hidden" name="intent" value="test" />
                <Button submit disabled={!connection} loading={busy === "test"}>
                  Test connection
                </Button>
              </Form>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>

        <Layout.AnnotatedSection
          id="webhook"
          title="Webhook"
          description="In the Checkout.com Dashboard, create a webhook with this URL and subscribe it to these events."
        >
          <Card>
            <BlockStack gap="300">
              {webhookUrl ? (
                <TextField label="Webhook URL" value={webhookUrl} readOnly autoComplete="off" selectTextOnFocus />
              ) : (
                <Text as="p">Your webhook URL appears here once the connection is saved.</Text>
              )}
              <Text as="h3" variant="headingSm">
                Events to subscribe to
              </Text>
              <Box maxWidth="100%">
                <List type="bullet">
                  {eventTypes.map((t) => (
                    <List.Item key={t}>
                      <code>{t}</code>
                    </List.Item>
                  ))}
                </List>
              </Box>
            </BlockStack>
          </Card>
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
