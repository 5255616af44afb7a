// Settings > Zendesk: connect Zendesk accounts to this shop, show a new shared secret once with the
// installation steps, and decide what agents may do from the ticket sidebar.
import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineStack, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { planRefusal, requireFeature } from "../billing/billing.server";
import { env } from "../env.server";
import { domainErrorReply } from "../lib/errors.server";
import { formObject, readForm } from "../lib/form";
import { db } from "../db.server";
import type { StaffRole } from "../shopify/roles";
import { requireStaff } from "../shopify/staff.server";
import { formReply, type FormReply } from "../ui/form-reply.server";
import { useFormat } from "../ui/format";
import {
  createZendeskConnection,
  limitText,
  listZendeskConnections,
  revokeZendeskConnection,
  rotateZendeskSecret,
  updateZendeskPermissions,
  type ConnectionSummary,
} from "../zendesk/connections.server";

/** The staff member and their shop (its currency is the first refund limit's); connecting Zendesk is an admin's. */
async function staff(request: Request, role: StaffRole = "viewer") {
  const { shopId, actor } = await requireStaff(request, role);
  return { shop: await db().shop.findUniqueOrThrow({ where: { id: shopId } }), actor };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await staff(request);
  const [connections, planRefused] = await Promise.all([listZendeskConnections(shop.id), planRefusal(shop.id, "zendesk")]);
  return {
    backendUrl: env().SHOPIFY_APP_URL.replace(/\/$/, ""),
    // Connections made before a downgrade keep working; a new one needs a plan with Zendesk.
    planRefused,
    connections: connections.map((c) => ({
      ...c,
      refundCaps: c.refundCaps.map((cap) => ({ currency: cap.currency, amount: limitText(cap.maxAmount, cap.currency) })),
    })),
  };
};

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create") }),
  z.object({ intent: z.enum(["rotate", "revoke", "permissions"]), id: z.string().uuid("Unknown connection.") }),
]);

/** Shown once, right after creation or rotation. */
type OnceSecret = { value: string; connection: ConnectionSummary };
type ActionData = FormReply & { id?: string; secret?: OnceSecret };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await staff(request, "admin");
  const form = formObject(await readForm(request));
  const parsed = intentSchema.safeParse(form);
  if (!parsed.success) return formReply({ intent: null, ok: false, message: parsed.error.issues[0].message });
  const asked = parsed.data;
  switch (asked.intent) {
    case "create": {
      try {
        await requireFeature(shop.id, "zendesk");
      } catch (error) {
        return domainErrorReply(error);
      }
      const result = await createZendeskConnection(shop.id, form, actor, shop.currency);
      if (!result.ok) return formReply({ intent: "create", ...result });
      const secret: OnceSecret = { value: result.secret, connection: result.connection };
      return formReply({ intent: "create", ok: true, message: `Connected ${result.connection.subdomain}.zendesk.com.`, secret });
    }
    case "rotate": {
      const result = await rotateZendeskSecret(shop.id, asked.id, actor);
      if (!result.ok) return formReply({ intent: "rotate", id: asked.id, ...result }, 404);
      const secret: OnceSecret = { value: result.secret, connection: result.connection };
      return formReply({
        intent: "rotate",
        id: asked.id,
        ok: true,
        message: "New shared secret made. The old one no longer works: update the Zendesk app's settings now.",
        secret,
      });
    }
    case "revoke": {
      const revoked = await revokeZendeskConnection(shop.id, asked.id, actor);
      return revoked
        ? formReply({ intent: "revoke", id: asked.id, ok: true, message: "Revoked. The Zendesk app can no longer read or change this shop's payments." })
        : formReply({ intent: "revoke", id: asked.id, ok: false, message: "That Zendesk connection does not exist in this shop or was already revoked." }, 404);
    }
    case "permissions": {
      const result = await updateZendeskPermissions(shop.id, asked.id, form, actor);
      if (!result.ok) return formReply({ intent: "permissions", id: asked.id, ...result }, Object.keys(result.fieldErrors).length ? 400 : 404);
      return formReply({ intent: "permissions", id: asked.id, ok: true, message: "Permissions saved." });
    }
  }
};

type LoadedConnection = ReturnType<typeof useLoaderData<typeof loader>>["connections"][number];

function InstallSteps({ backendUrl, connectionId, secret }: { backendUrl: string; connectionId?: string; secret?: string }) {
  return (
    <List type="number">
      <List.Item>
        Build the Zendesk app: <code>SHOPIFY_APP_URL={backendUrl} npm run zendesk:package</code> writes <code>zendesk-app/dist/checkout-com-payments.zip</code>.
      </List.Item>
      <List.Item>In Zendesk Admin Center, go to Apps and integrations → Zendesk Support apps → Upload private app, and upload the zip.</List.Item>
      <List.Item>
        In the app&apos;s settings enter: Backend URL <code>{backendUrl}</code>; Shared secret{" "}
        {secret ? <code>{secret}</code> : "(shown once when you connect or rotate)"}; Connection id{" "}
        {connectionId ? <code>{connectionId}</code> : "(listed below)"}.
      </List.Item>
      <List.Item>
        Optional: the id of a ticket field where agents put the Checkout.com payment id or the order name. Without it the app searches by the requester&apos;s
        email.
      </List.Item>
      <List.Item>Open a ticket: the Checkout.com Payments app appears in the sidebar.</List.Item>
    </List>
  );
}

function NewSecret({ secret, backendUrl }: { secret: NonNullable<ActionData["secret"]>; backendUrl: string }) {
  return (
    <Banner tone="warning" title="Copy the shared secret now: it is shown only once">
      <BlockStack gap="300">
        <TextField label="Shared secret" value={secret.value} readOnly autoComplete="off" selectTextOnFocus monospaced />
        <TextField label="Connection id" value={secret.connection.id} readOnly autoComplete="off" selectTextOnFocus monospaced />
        <TextField label="Backend URL" value={backendUrl} readOnly autoComplete="off" selectTextOnFocus monospaced />
        <InstallSteps backendUrl={backendUrl} connectionId={secret.connection.id} secret={secret.value} />
      </BlockStack>
    </Banner>
  );
}

/** A permission checkbox: submitted as "true" when checked and absent (off) when not. */
function Permission({ name, label, initial }: { name: string; label: string; initial: boolean }) {
  const [checked, setChecked] = useState(initial);
  return <Checkbox name={name} value="true" label={label} checked={checked} onChange={setChecked} />;
}

/** Refund limits per currency: one row each, and an empty row to add one. Amounts in the currency's decimals. */
function RefundCaps({ initial, errors }: { initial: Array<{ currency: string; amount: string }>; errors: Record<string, string> }) {
  const [rows, setRows] = useState([...initial, { currency: "", amount: "" }]);
  const set = (i: number, field: "currency" | "amount", value: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
  return (
    <BlockStack gap="200">
      <Text as="p" variant="headingSm">
        Most an agent may refund per payment, by currency
      </Text>
      <Text as="p" tone="subdued">
        All refunds from Zendesk on one payment together, in that payment&apos;s currency. Leave the amount empty for no limit. Payments in a currency not
        listed cannot be refunded from Zendesk.
      </Text>
      {rows.map((row, i) => (
        <InlineStack key={i} gap="200" blockAlign="start" wrap={false}>
          <TextField
            label="Currency"
            labelHidden={i > 0}
            name={`cap.${i}.currency`}
            value={row.currency}
            onChange={(v) => set(i, "currency", v.toUpperCase())}
            autoComplete="off"
            maxLength={3}
            placeholder={i === rows.length - 1 ? "Add, e.g. EUR" : undefined}
            error={errors[`cap.${i}.currency`]}
          />
          <TextField
            label="Limit"
            labelHidden={i > 0}
            name={`cap.${i}.amount`}
            value={row.amount}
            onChange={(v) => set(i, "amount", v)}
            autoComplete="off"
            placeholder="No limit"
            error={errors[`cap.${i}.amount`]}
          />
          {row.currency && i < rows.length - 1 && (
            <Box paddingBlockStart={i === 0 ? "600" : undefined}>
              <Button onClick={() => setRows(rows.filter((_, j) => j !== i))} accessibilityLabel={`Remove the ${row.currency} limit`}>
                Remove
              </Button>
            </Box>
          )}
        </InlineStack>
      ))}
    </BlockStack>
  );
}

function ConnectionCard({ connection, result, busy }: { connection: LoadedConnection; result?: ActionData; busy: string | null }) {
  const { date } = useFormat();
  const revoked = connection.revokedAt !== null;
  const mine = result?.id === connection.id ? result : undefined;
  const errors = mine?.fieldErrors ?? {};
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingMd">
            {connection.subdomain}.zendesk.com
          </Text>
          {revoked ? <Badge>Revoked</Badge> : <Badge tone="success">Active</Badge>}
        </InlineStack>
        <Text as="p" tone="subdued">
          Connection id <code>{connection.id}</code> · shared secret ends in <code>{connection.secretLast4}</code> · connected {date(connection.createdAt)}
          {revoked ? ` · revoked ${date(connection.revokedAt!)}` : ""}
        </Text>
        {mine && mine.intent !== "rotate" && <Banner tone={mine.ok ? "success" : "critical"} title={mine.message} />}
        {!revoked && (
          <>
            <Form method="post">
              <input type="hidden" name="intent" value="permissions" />
              <input type="hidden" name="id" value={connection.id} />
              <FormLayout>
                <Permission name="allowRefunds" label="Agents may refund from Zendesk" initial={connection.allowRefunds} />
                <Permission name="allowVoids" label="Agents may void authorised payments from Zendesk" initial={connection.allowVoids} />
                <Permission name="allowEvidence" label="Agents may submit complete dispute evidence from Zendesk" initial={connection.allowEvidence} />
                <RefundCaps key={JSON.stringify(connection.refundCaps)} initial={connection.refundCaps} errors={errors} />
                {Object.entries(errors)
                  .filter(([field]) => !field.startsWith("cap."))
                  .map(([field, message]) => (
                    <Text key={field} as="p" tone="critical">
                      {message}
                    </Text>
                  ))}
                <Button submit variant="primary" loading={busy === `permissions:${connection.id}`}>
                  Save permissions
                </Button>
              </FormLayout>
            </Form>
            <InlineStack gap="200">
              <Form method="post">
                <input type="hidden" name="intent" value="rotate" />
                <input type="hidden" name="id" value={connection.id} />
                <Button submit loading={busy === `rotate:${connection.id}`}>
                  Rotate shared secret
                </Button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="id" value={connection.id} />
                <Button submit tone="critical" loading={busy === `revoke:${connection.id}`}>
                  Revoke
                </Button>
              </Form>
            </InlineStack>
          </>
        )}
      </BlockStack>
    </Card>
  );
}

export default function ZendeskSettings() {
  const { backendUrl, connections, planRefused } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData ? `${navigation.formData.get("intent")}:${navigation.formData.get("id") ?? ""}` : null;
  const [subdomain, setSubdomain] = useState("");

  return (
    <Page title="Zendesk" subtitle="Let support agents see and act on Checkout.com payments from a Zendesk ticket">
      <Layout>
        {result?.secret && (
          <Layout.Section>
            <NewSecret secret={result.secret} backendUrl={backendUrl} />
          </Layout.Section>
        )}
        <Layout.AnnotatedSection
          id="connect"
          title="Connect a Zendesk account"
          description="Each connection has its own shared secret. Zendesk signs every request of the sidebar with it; this app checks the signature and answers for this shop only."
        >
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="create" />
              <FormLayout>
                {planRefused && <Banner tone="info" title={planRefused} action={{ content: "See plans", url: "/app/plan" }} />}
                {result?.intent === "create" && !result.ok && <Banner tone="critical" title={result.message} />}
                <TextField
                  label="Zendesk subdomain"
                  name="subdomain"
                  value={subdomain}
                  onChange={setSubdomain}
                  autoComplete="off"
                  suffix=".zendesk.com"
                  helpText="The part before .zendesk.com in your Zendesk address."
                  error={result?.intent === "create" ? result.fieldErrors.subdomain : undefined}
                />
                <Button submit variant="primary" loading={busy === "create:"} disabled={Boolean(planRefused)}>
                  Connect and show the shared secret
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection id="connections" title="Connections" description="What agents may do is decided here, and checked again on every request.">
          <BlockStack gap="400">
            {connections.length === 0 ? (
              <Card>
                <Text as="p">No Zendesk account is connected yet.</Text>
              </Card>
            ) : (
              connections.map((c) => <ConnectionCard key={`${c.id}:${c.secretLast4}:${c.revokedAt}`} connection={c} result={result} busy={busy} />)
            )}
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection id="install" title="Install the Zendesk app" description="Once per Zendesk account, by a Zendesk admin.">
          <Card>
            <Box>
              <InstallSteps backendUrl={backendUrl} />
            </Box>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
