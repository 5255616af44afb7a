// Settings > Zendesk, top: the merchant's Zendesk account the app acts as (dispute tickets,
// conversations). Not connected: connect with Zendesk (OAuth) or, behind a disclosure, an API token.
// Connected: where, how, by whom, its state (reconnect when Zendesk refused it) and Disconnect.
import { Form } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Collapsible, FormLayout, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { FormReply } from "../../ui/form-reply.server";
import { ConfirmModal } from "../../ui/confirm-modal";
import { useFormat } from "../../ui/format";
import type { ZendeskAccountSummary } from "../account.server";
import type { OAuthOutcome } from "../oauth.server";

export type AccountReply = FormReply & { authorizeUrl?: string };

interface Props {
  account: ZendeskAccountSummary | null;
  oauthAvailable: boolean;
  /** How an OAuth authorization just ended (the callback's `?zendeskAccount=`). */
  outcome: OAuthOutcome | null;
  /** The action's answer when it was one of this card's forms. */
  reply: AccountReply | undefined;
  /** The intent being submitted, if any. */
  busy: string | null;
}

function ConnectForms({ oauthAvailable, reply, busy, subdomain }: Pick<Props, "oauthAvailable" | "reply" | "busy"> & { subdomain: string }) {
  const { t } = useTranslation("zendesk");
  const [value, setValue] = useState(subdomain);
  const [email, setEmail] = useState("");
  const [apiToken, setApiToken] = useState("");
  const [tokenOpen, setTokenOpen] = useState(!oauthAvailable || reply?.intent === "account.apiToken");
  const errors = reply?.fieldErrors ?? {};
  const subdomainField = (
    <TextField
      label={t("connect.subdomain")}
      name="subdomain"
      value={value}
      onChange={setValue}
      autoComplete="off"
      suffix=".zendesk.com"
      error={errors.subdomain}
    />
  );
  return (
    <BlockStack gap="300">
      {oauthAvailable ? (
        <Form method="post">
          <input type="hidden" name="intent" value="account.oauth" />
          <FormLayout>
            {subdomainField}
            <Button submit variant="primary" loading={busy === "account.oauth:"}>
              {t("account.connectOAuth")}
            </Button>
          </FormLayout>
        </Form>
      ) : (
        <Banner tone="info" title={t("account.oauthNotConfigured")} />
      )}
      {oauthAvailable && (
        <InlineStack>
          <Button
            variant="plain"
            disclosure={tokenOpen ? "up" : "down"}
            onClick={() => setTokenOpen(!tokenOpen)}
            ariaExpanded={tokenOpen}
            ariaControls="zendesk-api-token"
          >
            {t("account.useApiToken")}
          </Button>
        </InlineStack>
      )}
      <Collapsible id="zendesk-api-token" open={tokenOpen}>
        <Form method="post">
          <input type="hidden" name="intent" value="account.apiToken" />
          <FormLayout>
            {!oauthAvailable && subdomainField}
            {oauthAvailable && <input type="hidden" name="subdomain" value={value} />}
            <TextField label={t("account.email")} name="email" type="email" value={email} onChange={setEmail} autoComplete="off" error={errors.email} />
            <TextField
              label={t("account.apiToken")}
              name="apiToken"
              type="password"
              value={apiToken}
              onChange={setApiToken}
              autoComplete="off"
              helpText={t("account.apiTokenHelp")}
              error={errors.apiToken}
            />
            <Button submit loading={busy === "account.apiToken:"}>
              {t("account.connectApiToken")}
            </Button>
          </FormLayout>
        </Form>
      </Collapsible>
    </BlockStack>
  );
}

export function ZendeskAccountCard({ account, oauthAvailable, outcome, reply, busy }: Props) {
  const { t } = useTranslation("zendesk");
  const { date } = useFormat();
  const [confirming, setConfirming] = useState(false);
  const authorizeUrl = reply?.ok ? reply.authorizeUrl : undefined;
  // Zendesk's consent page cannot be framed: the whole admin window goes there (App Bridge allows _top).
  useEffect(() => {
    if (authorizeUrl) window.open(authorizeUrl, "_top");
  }, [authorizeUrl]);
  const outcomeBanner = outcome && !reply && <Banner tone={outcome === "connected" ? "success" : "critical"} title={t(`account.outcome.${outcome}`)} />;
  const replyBanner = reply && !authorizeUrl && <Banner tone={reply.ok ? "success" : "critical"} title={reply.message} />;

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("account.title")}
          </Text>
          {account &&
            (account.status === "connected" ? (
              <Badge tone="success">{t("account.connectedBadge")}</Badge>
            ) : (
              <Badge tone="critical">{t("account.needsReauthBadge")}</Badge>
            ))}
        </InlineStack>
        <Text as="p" tone="subdued">
          {t("account.description")}
        </Text>
        {outcomeBanner}
        {replyBanner}
        {account ? (
          <>
            <Text as="p">
              {t(account.authKind === "oauth" ? "account.factsOAuth" : "account.factsApiToken", {
                subdomain: `${account.subdomain}.zendesk.com`,
                email: account.email ?? "",
                by: account.connectedBy,
                at: date(account.connectedAt),
              })}
            </Text>
            {account.status === "needs_reauth" && (
              <>
                <Banner tone="critical" title={t("account.needsReauth")}>
                  {account.statusDetail && <Text as="p">{account.statusDetail}</Text>}
                </Banner>
                <ConnectForms oauthAvailable={oauthAvailable} reply={reply} busy={busy} subdomain={account.subdomain} />
              </>
            )}
            <InlineStack>
              <Button tone="critical" onClick={() => setConfirming(true)} loading={busy === "account.disconnect:"}>
                {t("account.disconnect")}
              </Button>
            </InlineStack>
            <Form method="post" id="zendesk-account-disconnect">
              <input type="hidden" name="intent" value="account.disconnect" />
            </Form>
            <ConfirmModal
              open={confirming}
              title={t("account.disconnectTitle", { subdomain: `${account.subdomain}.zendesk.com` })}
              confirm={t("account.disconnect")}
              destructive
              loading={busy === "account.disconnect:"}
              onClose={() => setConfirming(false)}
              onConfirm={() => {
                setConfirming(false);
                (document.getElementById("zendesk-account-disconnect") as HTMLFormElement | null)?.requestSubmit();
              }}
            >
              {[t("account.disconnectBody")]}
            </ConfirmModal>
          </>
        ) : (
          <ConnectForms oauthAvailable={oauthAvailable} reply={reply} busy={busy} subdomain="" />
        )}
      </BlockStack>
    </Card>
  );
}
