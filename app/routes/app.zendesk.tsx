// Settings > Zendesk: connect Zendesk accounts to this shop, show a new shared secret once with the
// installation steps, and decide what agents may do from the ticket sidebar.
import { type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineStack, Layout, List, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planRefusal } from "../billing/billing.server";
import { env } from "../env.server";
import { domainErrorMessage } from "../lib/errors.server";
import { sayFieldErrors, textOf } from "../i18n/domain-words";
import { translator } from "../i18n/i18n";
import { formatDateTime } from "../lib/dates";
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
  stopAcceptingPreviousSecret,
  updateZendeskPermissions,
  type ConnectionSummary,
} from "../zendesk/connections.server";
import { zendeskAccountSummary, zendeskOAuthConfigured } from "../zendesk/account.server";
import { answerAccountForm } from "../zendesk/account-form.server";
import { DISPUTE_TICKETS_INTENT, isAccountIntent } from "../zendesk/form-intents";
import { OAUTH_OUTCOMES } from "../zendesk/oauth.server";
import { ZendeskAccountCard, type AccountReply } from "../zendesk/ui/account-card";
import { DEFAULT_ROTATION_GRACE_HOURS, ROTATION_GRACE_HOURS } from "../zendesk/rotation";
import { DISPUTE_CATEGORIES } from "../disputes/status";
import { answerDisputeTicketSettingsForm, disputeTicketForm, loadDisputeTicketSettings } from "../zendesk/dispute-ticket-settings.server";
import { DisputeTicketsCard } from "../zendesk/ui/dispute-tickets-card";
import { DownloadButton } from "../ui/download-button";
import { availableSidebarVersion } from "../zendesk/app-package.server";
import { installSidebar } from "../zendesk/app-install.server";

/** The staff member and their shop (its currency is the first refund limit's); connecting Zendesk is an admin's. */
async function staff(request: Request, role: StaffRole = "viewer") {
  const { shopId, actor, locale } = await requireStaff(request, role);
  return { shop: await db().shop.findUniqueOrThrow({ where: { id: shopId } }), actor, locale };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await staff(request);
  const [connections, planRefused, account] = await Promise.all([
    listZendeskConnections(shop.id),
    planRefusal(shop.id, "zendesk"),
    zendeskAccountSummary(shop.id),
  ]);
  const outcome = z.enum(OAUTH_OUTCOMES).safeParse(new URL(request.url).searchParams.get("zendeskAccount"));
  return {
    account,
    disputeTickets: disputeTicketForm(await loadDisputeTicketSettings(shop.id)),
    oauthAvailable: zendeskOAuthConfigured(),
    // How an OAuth authorization just ended: the callback sends the merchant back here with it.
    accountOutcome: outcome.success ? outcome.data : null,
    backendUrl: env().SHOPIFY_APP_URL.replace(/\/$/, ""),
    // The sidebar this deployment would install (null: not built with the app, so only the manual steps).
    sidebarVersion: await availableSidebarVersion(),
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
  z.object({ intent: z.enum(["rotate", "revoke", "permissions", "stopPreviousSecret", "install"]), id: z.string().uuid() }),
]);

/** Shown once, right after creation or rotation. */
type OnceSecret = { value: string; connection: ConnectionSummary };
type ActionData = FormReply & { id?: string; secret?: OnceSecret };

/** A refused form's field errors in the staff member's language: a field's words where the domain gave them, else its English. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor, locale } = await staff(request, "admin");
  const t = translator(locale, "zendesk");
  const form = formObject(await readForm(request));
  if (isAccountIntent(form.intent)) return answerAccountForm(form.intent, { shopId: shop.id, actor, locale }, form);
  if (form.intent === DISPUTE_TICKETS_INTENT) return answerDisputeTicketSettingsForm({ shopId: shop.id, actor, locale }, form);
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
      const result = await rotateZendeskSecret(shop.id, asked.id, actor, form);
      if (!result.ok) {
        const invalid = Object.keys(result.fieldErrors).length > 0;
        return formReply(
          {
            intent: "rotate",
            id: asked.id,
            ok: false,
            message: invalid ? t("replies.rotateInvalid") : t("replies.notFound"),
            fieldErrors: sayFieldErrors(locale, result.fieldErrors, result.fieldWords),
          },
          invalid ? 400 : 404,
        );
      }
      const secret: OnceSecret = { value: result.secret, connection: result.connection };
      // Installed through the Apps API: the installation gets the new secret at once.
      const pushed = result.connection.installed ? await installSidebar(shop.id, asked.id, actor) : null;
      if (pushed?.ok) return formReply({ intent: "rotate", id: asked.id, ok: true, message: t("replies.rotatedAndInstalled") });
      const until = result.connection.previousSecretExpiresAt;
      const rotated = until ? t("replies.rotatedWithGrace", { until: formatDateTime(until, shop.ianaTimezone, locale) }) : t("replies.rotated");
      const message = pushed ? `${rotated} ${t("replies.installFailed", { reason: textOf(locale, pushed) })}` : rotated;
      return formReply({ intent: "rotate", id: asked.id, ok: true, message, secret });
    }
    case "install": {
      const installed = await installSidebar(shop.id, asked.id, actor, form);
      const message = textOf(locale, installed);
      const fieldErrors: Record<string, string> = installed.ok || installed.status !== 400 ? {} : { ticketFieldId: message };
      return formReply({ intent: "install", id: asked.id, ok: installed.ok, message, fieldErrors }, installed.ok ? 200 : installed.status);
    }
    case "stopPreviousSecret": {
      const stopped = await stopAcceptingPreviousSecret(shop.id, asked.id, actor);
      return stopped
        ? formReply({ intent: "stopPreviousSecret", id: asked.id, ok: true, message: t("replies.previousSecretStopped") })
        : formReply({ intent: "stopPreviousSecret", id: asked.id, ok: false, message: t("replies.noPreviousSecret") }, 404);
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
        <BlockStack gap="200">
          <Text as="span">{t("install.steps.download")}</Text>
          <DownloadButton url="/app/zendesk/package" filename="checkout-com-payments.zip" label={t("install.download")} />
        </BlockStack>
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

/** The secret before the last rotation, while it is still accepted: until when, whether the app still uses it, and a way to stop it now. */
function PreviousSecret({ connectionId, until, usedAt, busy }: { connectionId: string; until: string; usedAt: string | null; busy: string | null }) {
  const { t } = useTranslation("zendesk");
  const { dateTime } = useFormat();
  return (
    <Banner tone="info" title={t("rotation.previousWorksUntil", { until: dateTime(until) })}>
      <BlockStack gap="200">
        {usedAt && <Text as="p">{t("rotation.previousUsed", { at: dateTime(usedAt) })}</Text>}
        <Form method="post">
          <input type="hidden" name="intent" value="stopPreviousSecret" />
          <input type="hidden" name="id" value={connectionId} />
          <Button submit loading={busy === `stopPreviousSecret:${connectionId}`}>
            {t("rotation.stopPrevious")}
          </Button>
        </Form>
      </BlockStack>
    </Banner>
  );
}

/** Rotating: a new secret, and how long the one it replaces keeps working (none for a leaked secret). */
function RotateForm({ connectionId, error, busy }: { connectionId: string; error?: string; busy: string | null }) {
  const { t } = useTranslation("zendesk");
  const [graceHours, setGraceHours] = useState<string>(DEFAULT_ROTATION_GRACE_HOURS);
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="rotate" />
      <input type="hidden" name="id" value={connectionId} />
      <InlineStack gap="200" blockAlign="end">
        <Select
          label={t("rotation.grace")}
          name="graceHours"
          value={graceHours}
          onChange={setGraceHours}
          options={ROTATION_GRACE_HOURS.map((hours) => ({ value: hours, label: t(`rotation.graceHours.${hours}`) }))}
          error={error}
        />
        <Button submit loading={busy === `rotate:${connectionId}`}>
          {t("connection.rotate")}
        </Button>
      </InlineStack>
    </Form>
  );
}

/** The optional ticket field the installed app reads a payment id or order name from. */
function TicketFieldInput({ initial, error }: { initial: string; error?: string }) {
  const { t } = useTranslation("zendesk");
  const [value, setValue] = useState(initial);
  return (
    <TextField
      label={t("inZendesk.ticketField")}
      name="ticketFieldId"
      value={value}
      onChange={setValue}
      autoComplete="off"
      inputMode="numeric"
      helpText={t("inZendesk.ticketFieldHelp")}
      error={error}
    />
  );
}

/** The sidebar in Zendesk for this connection: installed (which version, when), or one click to install or update it. */
function InZendesk({
  connection,
  sidebarVersion,
  accountConnected,
  busy,
  error,
}: {
  connection: LoadedConnection;
  sidebarVersion: string | null;
  accountConnected: boolean;
  busy: string | null;
  error?: string;
}) {
  const { t } = useTranslation("zendesk");
  const { date } = useFormat();
  const installed = connection.installed;
  const outdated = installed !== null && sidebarVersion !== null && installed.version !== sidebarVersion;
  return (
    <BlockStack gap="200">
      <Text as="p" tone={installed ? undefined : "subdued"}>
        {installed ? t("inZendesk.installed", { version: installed.version, at: date(installed.at) }) : t("inZendesk.notInstalled")}
      </Text>
      {outdated && <Text as="p">{t("inZendesk.newer", { version: sidebarVersion })}</Text>}
      {!accountConnected ? (
        <Text as="p" tone="subdued">
          {t("inZendesk.connectAccountFirst")}
        </Text>
      ) : sidebarVersion === null ? (
        <Text as="p" tone="subdued">
          {t("inZendesk.notBuilt")}
        </Text>
      ) : (
        <Form method="post">
          <input type="hidden" name="intent" value="install" />
          <input type="hidden" name="id" value={connection.id} />
          <InlineStack gap="200" blockAlign="end">
            <TicketFieldInput initial={connection.ticketFieldId ?? ""} error={error} />
            <Button submit variant={installed && !outdated ? undefined : "primary"} loading={busy === `install:${connection.id}`}>
              {installed ? (outdated ? t("inZendesk.update") : t("inZendesk.reapply")) : t("inZendesk.install")}
            </Button>
          </InlineStack>
        </Form>
      )}
    </BlockStack>
  );
}

function ConnectionCard({
  connection,
  result,
  busy,
  sidebarVersion,
  accountConnected,
}: {
  connection: LoadedConnection;
  result?: ActionData;
  busy: string | null;
  sidebarVersion: string | null;
  accountConnected: boolean;
}) {
  const { t } = useTranslation("zendesk");
  const { date } = useFormat();
  const revoked = connection.revokedAt !== null;
  const mine = result?.id === connection.id ? result : undefined;
  const errors = mine?.intent === "permissions" ? mine.fieldErrors : {};
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
        {mine && !(mine.intent === "rotate" && mine.ok && mine.secret) && <Banner tone={mine.ok ? "success" : "critical"} title={mine.message} />}
        {!revoked && (
          <InZendesk
            connection={connection}
            sidebarVersion={sidebarVersion}
            accountConnected={accountConnected}
            busy={busy}
            error={mine?.intent === "install" ? mine.fieldErrors.ticketFieldId : undefined}
          />
        )}
        {!revoked && connection.previousSecretExpiresAt && (
          <PreviousSecret connectionId={connection.id} until={connection.previousSecretExpiresAt} usedAt={connection.previousSecretUsedAt} busy={busy} />
        )}
        {!revoked && (
          <>
            <Form method="post">
              <input type="hidden" name="intent" value="permissions" />
              <input type="hidden" name="id" value={connection.id} />
              <FormLayout>
                <Permission name="allowRefunds" label={t("permissions.refunds")} initial={connection.allowRefunds} />
                <Permission name="allowVoids" label={t("permissions.voids")} initial={connection.allowVoids} />
                <Permission name="allowEvidence" label={t("permissions.evidence")} initial={connection.allowEvidence} />
                <Permission name="allowCancel" label={t("permissions.cancel")} initial={connection.allowCancel} />
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
            <InlineStack gap="200" blockAlign="end">
              <RotateForm connectionId={connection.id} error={mine?.intent === "rotate" ? mine.fieldErrors.graceHours : undefined} busy={busy} />
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
  const { backendUrl, connections, planRefused, account, oauthAvailable, accountOutcome, disputeTickets, sidebarVersion } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData ? `${navigation.formData.get("intent")}:${navigation.formData.get("id") ?? ""}` : null;
  const [subdomain, setSubdomain] = useState("");

  return (
    <Page title={t("page.title")} subtitle={t("page.subtitle")}>
      <Layout>
        <Layout.Section>
          <ZendeskAccountCard
            account={account}
            oauthAvailable={oauthAvailable}
            outcome={accountOutcome}
            reply={isAccountIntent(result?.intent) ? (result as AccountReply) : undefined}
            busy={busy}
          />
        </Layout.Section>
        <Layout.AnnotatedSection id="dispute-tickets" title={t("disputeTickets.title")} description={t("disputeTickets.description")}>
          <DisputeTicketsCard
            settings={disputeTickets}
            categories={DISPUTE_CATEGORIES}
            connected={account?.status === "connected"}
            intent={DISPUTE_TICKETS_INTENT}
            reply={result?.intent === DISPUTE_TICKETS_INTENT ? result : undefined}
            busy={busy === `${DISPUTE_TICKETS_INTENT}:`}
          />
        </Layout.AnnotatedSection>
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
              connections.map((c) => (
                <ConnectionCard
                  key={`${c.id}:${c.secretLast4}:${c.revokedAt}`}
                  connection={c}
                  result={result}
                  busy={busy}
                  sidebarVersion={sidebarVersion}
                  accountConnected={account?.status === "connected"}
                />
              ))
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
