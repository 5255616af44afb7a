// Settings → Agent tools (MCP): where an agent connects, the shop's agent tokens (app/mcp/tokens.server.ts)
// with Revoke, and a form to make one. Admins make and revoke them (the server checks that too) on a plan
// with agent tools. A new token is shown once, from the action's reply: the loader never has it, as
// only its hash is kept.
import { useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Checkbox, Divider, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal } from "../../ui/confirm-modal";
import { IntentForm, ReplyBanner } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import { useFormat } from "../../ui/format";
import { TitledCard } from "../../ui/titled-card";
import type { AgentLimits } from "../limits";
import { AGENT_SCOPES, SCOPE_ROLES } from "../scopes";
import type { AgentTokensView } from "../token-form.server";
import type { AgentTokenView } from "../tokens.server";
import { AGENT_TOKEN_INTENTS, EXPIRY_CHOICES, scopeField, type ExpiryChoice } from "./token-form-fields";

export type AgentTokenReply = Pick<FormReply, "intent" | "ok" | "message" | "fieldErrors"> & { token?: { name: string; value: string } };

/** Copies `text`; where the admin's frame may not write the clipboard, the text stays selectable beside it. */
function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation("settings");
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <Button onClick={() => void copy()} accessibilityLabel={label}>
      {copied ? t("agents.copied") : t("agents.copy")}
    </Button>
  );
}

/** A value to copy: read-only, selected on focus, with a Copy button. */
function CopyField({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation("settings");
  return (
    <TextField
      label={label}
      value={value}
      readOnly
      autoComplete="off"
      selectTextOnFocus
      monospaced
      connectedRight={<CopyButton text={value} label={t("agents.copyLabel", { what: label })} />}
    />
  );
}

function useLimitsText() {
  const { t } = useTranslation("settings");
  const { money } = useFormat();
  return (limits: AgentLimits) => {
    const lines = Object.entries(limits).map(([currency, { perAction, perDay }]) => {
      const values = { currency, perAction: perAction && money(perAction, currency), perDay: perDay && money(perDay, currency) };
      return t(perAction && perDay ? "agents.limits.both" : perAction ? "agents.limits.perAction" : "agents.limits.perDay", values);
    });
    return lines.length ? t("agents.limits.list", { limits: lines.join("; ") }) : t("agents.limits.none");
  };
}

const STATE_TONES = { active: "success", expired: "attention", revoked: undefined } as const;

function TokenRow({ token, canEdit, onRevoke }: { token: AgentTokenView; canEdit: boolean; onRevoke: () => void }) {
  const { t } = useTranslation("settings");
  const { dateTime } = useFormat();
  const limitsText = useLimitsText();
  const facts = [
    t("agents.tokens.prefix", { prefix: token.prefix }),
    t("agents.tokens.scopes", { scopes: token.scopes.map((scope) => t(`agents.scopes.${scope}.label`)).join(", ") }),
    limitsText(token.limits),
    t("agents.tokens.created", { by: token.createdBy, at: dateTime(token.createdAt) }),
    token.revokedAt
      ? t("agents.tokens.revoked", { at: dateTime(token.revokedAt) })
      : token.expiresAt
        ? t(token.state === "expired" ? "agents.tokens.expired" : "agents.tokens.expires", { at: dateTime(token.expiresAt) })
        : t("agents.tokens.neverExpires"),
    token.lastUsedAt ? t("agents.tokens.lastUsed", { at: dateTime(token.lastUsedAt) }) : t("agents.tokens.neverUsed"),
  ];
  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {token.name}
          </Text>
          <Badge tone={STATE_TONES[token.state]}>{t(`agents.tokens.state.${token.state}`)}</Badge>
        </InlineStack>
        {canEdit && token.state === "active" && (
          <Button tone="critical" onClick={onRevoke} accessibilityLabel={t("agents.tokens.revokeLabel", { name: token.name })}>
            {t("agents.tokens.revoke")}
          </Button>
        )}
      </InlineStack>
      <BlockStack gap="050">
        {facts.map((fact) => (
          <Text key={fact} as="p" tone="subdued" variant="bodySm">
            {fact}
          </Text>
        ))}
      </BlockStack>
    </BlockStack>
  );
}

function TokenList({ tokens, canEdit, reply }: { tokens: AgentTokenView[]; canEdit: boolean; reply: AgentTokenReply | undefined }) {
  const { t } = useTranslation("settings");
  const submit = useSubmit();
  const navigation = useNavigation();
  const revokingNow = navigation.state !== "idle" && navigation.formData?.get("intent") === AGENT_TOKEN_INTENTS.revoke;
  const [confirming, setConfirming] = useState<AgentTokenView | null>(null);
  return (
    <TitledCard title={t("agents.tokens.title")} gap="300">
      {reply?.intent === AGENT_TOKEN_INTENTS.revoke && <ReplyBanner reply={reply} />}
      {tokens.length === 0 && (
        <Text as="p" tone="subdued">
          {t("agents.tokens.empty")}
        </Text>
      )}
      {tokens.map((token, i) => (
        <BlockStack key={token.id} gap="300">
          {i > 0 && <Divider />}
          <TokenRow token={token} canEdit={canEdit} onRevoke={() => setConfirming(token)} />
        </BlockStack>
      ))}
      {confirming && (
        <ConfirmModal
          open
          title={t("agents.tokens.confirmRevoke.title", { name: confirming.name })}
          confirm={t("agents.tokens.revoke")}
          destructive
          loading={revokingNow}
          onClose={() => setConfirming(null)}
          onConfirm={() => {
            submit({ intent: AGENT_TOKEN_INTENTS.revoke, id: confirming.id }, { method: "post" });
            setConfirming(null);
          }}
        >
          {[t("agents.tokens.confirmRevoke.body")]}
        </ConfirmModal>
      )}
    </TitledCard>
  );
}

function CreateForm({ currency, reply }: { currency: string; reply: AgentTokenReply | undefined }) {
  const { t } = useTranslation("settings");
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === AGENT_TOKEN_INTENTS.create;
  const errors = reply?.intent === AGENT_TOKEN_INTENTS.create ? reply.fieldErrors : {};
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ReadonlySet<string>>(new Set(["read"]));
  const [limit, setLimit] = useState({ currency, perAction: "", perDay: "" });
  const [expiresIn, setExpiresIn] = useState<ExpiryChoice>("90");
  const [expiresOn, setExpiresOn] = useState("");
  const toggle = (scope: string, on: boolean) => setScopes((current) => new Set([...current].filter((s) => s !== scope).concat(on ? [scope] : [])));

  return (
    // A new token's reply is its banner above; only a refusal shows on the form.
    <IntentForm intent={AGENT_TOKEN_INTENTS.create} reply={reply?.ok ? undefined : reply}>
      <TextField
        label={t("agents.create.name")}
        name="name"
        value={name}
        onChange={setName}
        autoComplete="off"
        maxLength={80}
        helpText={t("agents.create.nameHelp")}
        error={errors.name}
      />
      <BlockStack gap="200">
        <Text as="p" variant="headingSm">
          {t("agents.create.scopes")}
        </Text>
        <Text as="p" tone="subdued">
          {t("agents.create.scopesHelp")}
        </Text>
        {AGENT_SCOPES.map((scope) => (
          <Checkbox
            key={scope}
            name={scopeField(scope)}
            value="true"
            label={t(`agents.scopes.${scope}.label`)}
            helpText={`${t(`agents.scopes.${scope}.description`)} ${t("agents.scopes.needsRole", { role: t(`roles.${SCOPE_ROLES[scope]}.label`) })}`}
            checked={scopes.has(scope)}
            onChange={(on) => toggle(scope, on)}
          />
        ))}
        {errors.scopes && (
          <Text as="p" tone="critical">
            {errors.scopes}
          </Text>
        )}
      </BlockStack>
      <BlockStack gap="200">
        <Text as="p" variant="headingSm">
          {t("agents.create.limit.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("agents.create.limit.help")}
        </Text>
        <InlineGrid columns={3} gap="200">
          <TextField
            label={t("agents.create.limit.currency")}
            name="limitCurrency"
            value={limit.currency}
            onChange={(value) => setLimit((l) => ({ ...l, currency: value.toUpperCase() }))}
            autoComplete="off"
            maxLength={3}
            error={errors.limitCurrency}
          />
          <TextField
            label={t("agents.create.limit.perAction")}
            name="limitPerAction"
            value={limit.perAction}
            onChange={(value) => setLimit((l) => ({ ...l, perAction: value }))}
            autoComplete="off"
            inputMode="decimal"
            placeholder={t("agents.create.limit.noLimit")}
            error={errors.limitPerAction}
          />
          <TextField
            label={t("agents.create.limit.perDay")}
            name="limitPerDay"
            value={limit.perDay}
            onChange={(value) => setLimit((l) => ({ ...l, perDay: value }))}
            autoComplete="off"
            inputMode="decimal"
            placeholder={t("agents.create.limit.noLimit")}
            error={errors.limitPerDay}
          />
        </InlineGrid>
      </BlockStack>
      <InlineGrid columns={2} gap="200">
        <Select
          label={t("agents.create.expiry.label")}
          name="expiresIn"
          options={EXPIRY_CHOICES.map((choice) => ({ value: choice, label: t(`agents.create.expiry.choices.${choice}`) }))}
          value={expiresIn}
          onChange={(value) => setExpiresIn(value as ExpiryChoice)}
          error={errors.expiresIn}
        />
        {expiresIn === "date" && (
          <TextField
            label={t("agents.create.expiry.on")}
            name="expiresOn"
            type="date"
            value={expiresOn}
            onChange={setExpiresOn}
            autoComplete="off"
            helpText={t("agents.create.expiry.onHelp")}
            error={errors.expiresOn}
          />
        )}
      </InlineGrid>
      <Box>
        <Button submit variant="primary" loading={busy}>
          {t("agents.create.submit")}
        </Button>
      </Box>
    </IntentForm>
  );
}

export function AgentTokensCard({ view, canEdit, reply }: { view: AgentTokensView; canEdit: boolean; reply: AgentTokenReply | undefined }) {
  const { t } = useTranslation("settings");
  const created = reply?.intent === AGENT_TOKEN_INTENTS.create && reply.ok ? reply.token : undefined;
  return (
    <BlockStack gap="300">
      <TitledCard title={t("agents.connect.title")}>
        <CopyField label={t("agents.connect.url")} value={view.mcpUrl} />
        <Text as="p" tone="subdued">
          {t("agents.connect.howTo")}
        </Text>
      </TitledCard>
      {created && (
        <Banner tone="warning" title={t("agents.newToken.title", { name: created.name })}>
          <BlockStack gap="200">
            <CopyField label={t("agents.newToken.label")} value={created.value} />
            <Text as="p">{t("agents.newToken.warning")}</Text>
          </BlockStack>
        </Banner>
      )}
      <TokenList tokens={view.tokens} canEdit={canEdit} reply={reply} />
      <TitledCard title={t("agents.create.title")}>
        {view.planRefused ? (
          <Banner tone="info" title={view.planRefused} action={{ content: t("agents.create.seePlans"), url: "/app/plan" }} />
        ) : canEdit ? (
          // Keyed by the newest token: the form starts empty again once one is made.
          <CreateForm key={view.tokens[0]?.id ?? "first"} currency={view.currency} reply={reply} />
        ) : (
          <Text as="p" tone="subdued">
            {t("agents.create.adminOnly")}
          </Text>
        )}
      </TitledCard>
    </BlockStack>
  );
}
