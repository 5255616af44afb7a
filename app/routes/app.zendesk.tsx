// Settings > Zendesk: connect Zendesk accounts to this shop, show a new shared secret once with the
// installation steps, and decide what agents may do from the ticket sidebar.
import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineStack, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planRefusal } from "../billing/billing.server";
import { env } from "../env.server";
import { domainErrorMessage } from "../lib/errors.server";
import { sayFieldErrors } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
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
  const { shopId, actor, locale } = await requireStaff(request, role);
  return { shop: await db().shop.findUniqueOrThrow({ where: { id: shopId } }), actor, locale };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await staff(request);
  const [connections, planRefused] = await Promise.all([listZendeskConnections(shop.id), planRefusal(shop.id, "zendesk")]);
  return {
    backendUrl: env().SHOPIFY_APP_URL.replace(/\/$/, ""),
    // Connections made before a downgrade keep working; a new one needs a plan with Zendesk.
    planRefused: planRefused && domainErrorMessage(planRefused, locale),
    connections: connections.map((c) => ({
      ...c,
      refundCaps: c.refundCaps.map((cap) => ({ currency: cap.currency, amount: limitText(cap.maxAmount, cap.currency) })),
    })),
  };
};

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create") }),
  z.object({ intent: z.enum(["rotate", "revoke", "permissions"]), id: z.string().uuid() }),
]);

/** Shown once, right after creation or rotation. */
type OnceSecret = { value: string; connection: ConnectionSummary };
type ActionData = FormReply & { id?: string; secret?: OnceSecret };

/** A refused form's field errors in the staff member's language: a field's words where the domain gave them, else its English. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor, locale } = await staff(request, "admin");
  const t = translator(locale, "zendesk");
  const form = formObject(await readForm(request));
  const parsed = intentSchema.safeParse(form);
  if (!parsed.success) {
    const message = parsed.error.issues[0].path[0] === "id" ? t("replies.unknownConnection") : t("replies.unknownAction");
    return formReply({ intent: null, ok: false, message });
  }
  const asked = parsed.data;
  // The field errors come from connections.server.ts, said in the staff member's language; the banners' messages are said here.
  switch (asked.intent) {
    case "create": {
      // Connections made before a downgrade keep working; a new one needs a plan with Zendesk (402).
      const refused = await planRefusal(shop.id, "zendesk");
      if (refused) return formReply({ intent: null, ok: false, message: domainErrorMessage(refused, locale) }, 402);
      const result = await createZendeskConnection(shop.id, form, actor, shop.currency);
      if (!result.ok)
        return formReply({
          intent: "create",
          ok: false,
          message: t("replies.createInvalid"),
          fieldErrors: sayFieldErrors(locale, result.fieldErrors, result.fieldWords),
        });
      const secret: OnceSecret = { value: result.secret, connection: result.connection };
      return formReply({ intent: "create", ok: true, message: t("replies.connected", { subdomain: result.connection.subdomain }), secret });
    }
    case "rotate": {
      const result = await rotateZendeskSecret(shop.id, asked.id, actor);
      if (!result.ok)
        return formReply(
          {
            intent: "rotate",
            id: asked.id,
            ok: false,
            message: t("replies.notFound"),
            fieldErrors: sayFieldErrors(locale, result.fieldErrors, result.fieldWords),
          },
          404,
        );
      const secret: OnceSecret = { value: result.secret, connection: result.connection };
      return formReply({ intent: "rotate", id: asked.id, ok: true, message: t("replies.rotated"), secret });
    }
    case "revoke": {
      const revoked = await revokeZendeskConnection(shop.id, asked.id, actor);
      return revoked
        ? formReply({ intent: "revoke", id: asked.id, ok: true, message: t("replies.revoked") })
        : formReply({ intent: "revoke", id: asked.id, ok: false, message: t("replies.alreadyRevoked") }, 404);
    }
    case "permissions": {
      const result = await updateZendeskPermissions(shop.id, asked.id, form, actor);
      if (!result.ok) {
        const invalid = Object.keys(result.fieldErrors).length > 0;
        return formReply(
          {
            intent: "permissions",
            id: asked.id,
            ok: false,
            message: invalid ? t("replies.permissionsInvalid") : t("replies.notFound"),
            fieldErrors: sayFieldErrors(locale, result.fieldErrors, result.fieldWords),
          },
          invalid ? 400 : 404,
        );
      }
      return formReply({ intent: "permissions", id: asked.id, ok: true, message: t("replies.permissionsSaved") });
    }
  }
};

type LoadedConnection = ReturnType<typeof useLoaderData<typeof loader>>["connections"][number];

function InstallSteps({ backendUrl, connectionId, secret }: { backendUrl: string; connectionId?: string; secret?: string }) {
  const { t } = useTranslation("zendesk");
  return (
    <List type="number">
      <List.Item>
        {t("install.steps.build", {
          command: <code>SHOPIFY_APP_URL={backendUrl} npm run zendesk:package</code>,
          file: <code>zendesk-app/dist/checkout-com-payments.zip</code>,
        })}
      </List.Item>
      <List.Item>{t("install.steps.upload")}</List.Item>
      <List.Item>
        {t("install.steps.settings", {
          backendUrl: <code>{backendUrl}</code>,
          secret: secret ? <code>{secret}</code> : t("install.steps.secretLater"),
          connectionId: connectionId ? <code>{connectionId}</code> : t("install.steps.connectionIdBelow"),
        })}
      </List.Item>
      <List.Item>{t("install.steps.ticketField")}</List.Item>
      <List.Item>{t("install.steps.open")}</List.Item>
    </List>
  );
}

function NewSecret({ secret, backendUrl }: { secret: NonNullable<ActionData["secret"]>; backendUrl: string }) {
  const { t } = useTranslation("zendesk");
  return (
    <Banner tone="warning" title={t("secret.title")}>
      <BlockStack gap="300">
        <TextField label={t("secret.sharedSecret")} value={secret.value} readOnly autoComplete="off" selectTextOnFocus monospaced />
        <TextField label={t("secret.connectionId")} value={secret.connection.id} readOnly autoComplete="off" selectTextOnFocus monospaced />
        <TextField label={t("secret.backendUrl")} value={backendUrl} readOnly autoComplete="off" selectTextOnFocus monospaced />
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
  const { t } = useTranslation("zendesk");
  const [rows, setRows] = useState([...initial, { currency: "", amount: "" }]);
  const set = (i: number, field: "currency" | "amount", value: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
  return (
    <BlockStack gap="200">
      <Text as="p" variant="headingSm">
        {t("caps.title")}
      </Text>
      <Text as="p" tone="subdued">
        {t("caps.help")}
      </Text>
      {rows.map((row, i) => (
        <InlineStack key={i} gap="200" blockAlign="start" wrap={false}>
          <TextField
            label={t("caps.currency")}
            labelHidden={i > 0}
            name={`cap.${i}.currency`}
            value={row.currency}
            onChange={(v) => set(i, "currency", v.toUpperCase())}
            autoComplete="off"
            maxLength={3}
            placeholder={i === rows.length - 1 ? t("caps.addPlaceholder") : undefined}
            error={errors[`cap.${i}.currency`]}
          />
          <TextField
            label={t("caps.limit")}
            labelHidden={i > 0}
            name={`cap.${i}.amount`}
            value={row.amount}
            onChange={(v) => set(i, "amount", v)}
            autoComplete="off"
            placeholder={t("caps.noLimit")}
            error={errors[`cap.${i}.amount`]}
          />
          {row.currency && i < rows.length - 1 && (
            <Box paddingBlockStart={i === 0 ? "600" : undefined}>
              <Button onClick={() => setRows(rows.filter((_, j) => j !== i))} accessibilityLabel={t("caps.removeLabel", { currency: row.currency })}>
                {t("caps.remove")}
              </Button>
            </Box>
          )}
        </InlineStack>
      ))}
    </BlockStack>
  );
}

function ConnectionCard({ connection, result, busy }: { connection: LoadedConnection; result?: ActionData; busy: string | null }) {
  const { t } = useTranslation("zendesk");
  const { date } = useFormat();
  const revoked = connection.revokedAt !== null;
  const mine = result?.id === connection.id ? result : undefined;
  const errors = mine?.fieldErrors ?? {};
  const facts = { id: <code>{connection.id}</code>, last4: <code>{connection.secretLast4}</code>, connected: date(connection.createdAt) };
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h3" variant="headingMd">
            {connection.subdomain}.zendesk.com
          </Text>
          {revoked ? <Badge>{t("connection.revokedBadge")}</Badge> : <Badge tone="success">{t("connection.activeBadge")}</Badge>}
        </InlineStack>
        <Text as="p" tone="subdued">
          {revoked ? t("connection.factsRevoked", { ...facts, revoked: date(connection.revokedAt!) }) : t("connection.facts", facts)}
        </Text>
        {mine && mine.intent !== "rotate" && <Banner tone={mine.ok ? "success" : "critical"} title={mine.message} />}
        {!revoked && (
          <>
            <Form method="post">
              <input type="hidden" name="intent" value="permissions" />
              <input type="hidden" name="id" value={connection.id} />
              <FormLayout>
                <Permission name="allowRefunds" label={t("permissions.refunds")} initial={connection.allowRefunds} />
                <Permission name="allowVoids" label={t("permissions.voids")} initial={connection.allowVoids} />
                <Permission name="allowEvidence" label={t("permissions.evidence")} initial={connection.allowEvidence} />
                <RefundCaps key={JSON.stringify(connection.refundCaps)} initial={connection.refundCaps} errors={errors} />
                {Object.entries(errors)
                  .filter(([field]) => !field.startsWith("cap."))
                  .map(([field, message]) => (
                    <Text key={field} as="p" tone="critical">
                      {message}
                    </Text>
                  ))}
                <Button submit variant="primary" loading={busy === `permissions:${connection.id}`}>
                  {t("permissions.save")}
                </Button>
              </FormLayout>
            </Form>
            <InlineStack gap="200">
              <Form method="post">
                <input type="hidden" name="intent" value="rotate" />
                <input type="hidden" name="id" value={connection.id} />
                <Button submit loading={busy === `rotate:${connection.id}`}>
                  {t("connection.rotate")}
                </Button>
              </Form>
              <Form method="post">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="id" value={connection.id} />
                <Button submit tone="critical" loading={busy === `revoke:${connection.id}`}>
                  {t("connection.revoke")}
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
  const { t } = useTranslation("zendesk");
  const { backendUrl, connections, planRefused } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData ? `${navigation.formData.get("intent")}:${navigation.formData.get("id") ?? ""}` : null;
  const [subdomain, setSubdomain] = useState("");

  return (
    <Page title={t("page.title")} subtitle={t("page.subtitle")}>
      <Layout>
        {result?.secret && (
          <Layout.Section>
            <NewSecret secret={result.secret} backendUrl={backendUrl} />
          </Layout.Section>
        )}
        <Layout.AnnotatedSection id="connect" title={t("connect.title")} description={t("connect.description")}>
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="create" />
              <FormLayout>
                {planRefused && <Banner tone="info" title={planRefused} action={{ content: t("connect.seePlans"), url: "/app/plan" }} />}
                {result?.intent === "create" && !result.ok && <Banner tone="critical" title={result.message} />}
                <TextField
                  label={t("connect.subdomain")}
                  name="subdomain"
                  value={subdomain}
                  onChange={setSubdomain}
                  autoComplete="off"
                  suffix=".zendesk.com"
                  helpText={t("connect.subdomainHelp")}
                  error={result?.intent === "create" ? result.fieldErrors.subdomain : undefined}
                />
                <Button submit variant="primary" loading={busy === "create:"} disabled={Boolean(planRefused)}>
                  {t("connect.submit")}
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection id="connections" title={t("connections.title")} description={t("connections.description")}>
          <BlockStack gap="400">
            {connections.length === 0 ? (
              <Card>
                <Text as="p">{t("connections.empty")}</Text>
              </Card>
            ) : (
              connections.map((c) => <ConnectionCard key={`${c.id}:${c.secretLast4}:${c.revokedAt}`} connection={c} result={result} busy={busy} />)
            )}
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection id="install" title={t("install.title")} description={t("install.description")}>
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
