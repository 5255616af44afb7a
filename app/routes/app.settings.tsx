import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { getConnection, saveConnection, summarize, testConnection } from "../checkout/connection.server";
import { env } from "../env.server";
import { KNOWN_EVENT_TYPES } from "../events/event-types";
import { formObject, readForm } from "../lib/form";
import { authenticate } from "../shopify.server";
import { ensureShop } from "../shops/shop.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const connection = await getConnection(shop.id);
  return {
    connection: connection ? summarize(connection) : null,
    webhookBaseUrl: `${env().SHOPIFY_APP_URL.replace(/\/$/, "")}/webhooks/checkout/`,
    eventTypes: KNOWN_EVENT_TYPES,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const form = formObject(await readForm(request));
  if (form.intent === "test") {
    const result = await testConnection(shop.id);
    return json({ intent: "test" as const, ...result, fieldErrors: {} as Record<string, string> });
  }
  const result = await saveConnection(shop.id, form);
  if (!result.ok) return json({ intent: "save" as const, ok: false, message: "Fix the highlighted fields. Nothing was saved.", fieldErrors: result.fieldErrors }, { status: 400 });
  return json({ intent: "save" as const, ok: true, message: "Checkout.com connection saved.", fieldErrors: {} as Record<string, string> });
};

const stored = (last4: string | null | undefined) => (last4 ? `Stored (ends in ${last4}). Leave empty to keep it.` : undefined);

export default function Settings() {
  const { connection, webhookBaseUrl, eventTypes } = useLoaderData<typeof loader>();
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
            <Form method="post">
              <input type="hidden" name="intent" value="save" />
              <FormLayout>
                {result?.intent === "save" && (
                  <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
                )}
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
                  helpText={stored(connection?.secretKeyLast4) ?? (environment === "sandbox" ? "Starts with sk_sbox_ (NAS) or sk_test_ (ABC)." : "Starts with sk_.")}
                  error={errors.secretKey}
                />
                {accountType === "NAS" && (
                  <TextField
                    label="Webhook signature key"
                    name="signatureKey"
                    type="password"
                    value={signatureKey}
                    onChange={setSignatureKey}
                    autoComplete="off"
                    helpText={stored(connection?.signatureKeyLast4) ?? "Shown when you create the webhook in the Checkout.com Dashboard. Verifies the Cko-Signature header."}
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
                  helpText={stored(connection?.authorizationLast4) ?? "If you set a fixed Authorization value on the webhook, enter it here and every delivery must carry it."}
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
              </FormLayout>
            </Form>
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
              {result?.intent === "test" && <Banner tone={result.ok ? "success" : "critical"} title={result.message} />}
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
      </Layout>
    </Page>
  );
}
