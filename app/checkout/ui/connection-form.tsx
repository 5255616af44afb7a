// Settings → Checkout.com connection: one environment's account, keys, processing channels and
// entities. Keys are write-only: the form shows the last 4 characters of a stored key and leaves it as
// it is when the field stays empty. A disconnected connection keeps its settings and asks for keys again.
import { Banner, Button, Card, Checkbox, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IntentForm } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import { useFormat } from "../../ui/format";
import type { ConnectionSummary } from "../connection.server";
import type { CheckoutEnvironment } from "../keys";

export function ConnectionForm(props: { environment: CheckoutEnvironment; connection: ConnectionSummary | null; reply: FormReply | undefined; busy: boolean }) {
  const { t } = useTranslation("checkout");
  const { dateTime } = useFormat();
  const stored = (last4: string | null | undefined) => (last4 ? t("form.stored", { last4 }) : undefined);
  const { environment, connection, reply, busy } = props;
  const errors = (reply?.intent === "save" ? reply.fieldErrors : undefined) ?? {};
  const [accountType, setAccountType] = useState(connection?.accountType ?? "NAS");
  const [subdomain, setSubdomain] = useState(connection?.subdomain ?? "");
  const [processingChannelIds, setProcessingChannelIds] = useState(connection?.processingChannelIds.join("\n") ?? "");
  const [entityIds, setEntityIds] = useState(connection?.entityIds.join("\n") ?? "");
  const [secretKey, setSecretKey] = useState("");
  const [signatureKey, setSignatureKey] = useState("");
  const [authorizationHeader, setAuthorizationHeader] = useState("");
  const [clearAuthorization, setClearAuthorization] = useState(false);
  return (
    <Card>
      <IntentForm intent="save" reply={reply}>
        {/* One layout item with the field after it: a hidden input alone would leave an empty row. */}
        <>
          <input type="hidden" name="environment" value={environment} />
          <Select
            label={t("form.accountType.label")}
            name="accountType"
            options={[
              { label: t("form.accountType.nas"), value: "NAS" },
              { label: t("form.accountType.abc"), value: "ABC" },
            ]}
            value={accountType}
            onChange={(v) => setAccountType(v as typeof accountType)}
            error={errors.accountType}
          />
        </>
        {connection?.disconnectedAt && (
          <Banner tone="warning" title={t("form.disconnected.title", { date: dateTime(connection.disconnectedAt) })}>
            <p>{t("form.disconnected.body")}</p>
          </Banner>
        )}
        {accountType === "NAS" && (
          <TextField
            label={t("form.subdomain.label")}
            name="subdomain"
            value={subdomain}
            onChange={setSubdomain}
            autoComplete="off"
            helpText={t("form.subdomain.help")}
            error={errors.subdomain}
          />
        )}
        <TextField
          label={t("form.secretKey.label")}
          name="secretKey"
          type="password"
          value={secretKey}
          onChange={setSecretKey}
          autoComplete="off"
          helpText={stored(connection?.secretKeyLast4) ?? t(`form.secretKey.help.${environment}`)}
          error={errors.secretKey}
        />
        {connection?.previousWebhookKey && (
          <Banner tone="info" title={t("form.previousKey.title")}>
            <p>{t("form.previousKey.body", { last4: connection.previousWebhookKey.last4, until: dateTime(connection.previousWebhookKey.until) })}</p>
          </Banner>
        )}
        {accountType === "NAS" && (
          <TextField
            label={t("form.signatureKey.label")}
            name="signatureKey"
            type="password"
            value={signatureKey}
            onChange={setSignatureKey}
            autoComplete="off"
            helpText={stored(connection?.signatureKeyLast4) ?? t("form.signatureKey.help")}
            error={errors.signatureKey}
          />
        )}
        <TextField
          label={t("form.authorization.label")}
          name="authorizationHeader"
          type="password"
          value={authorizationHeader}
          onChange={setAuthorizationHeader}
          autoComplete="off"
          helpText={stored(connection?.authorizationLast4) ?? t("form.authorization.help")}
          error={errors.authorizationHeader}
        />
        {connection?.authorizationLast4 && (
          <Checkbox label={t("form.authorization.clear")} name="clearAuthorizationHeader" checked={clearAuthorization} onChange={setClearAuthorization} />
        )}
        <TextField
          label={t("form.processingChannels.label")}
          name="processingChannelIds"
          value={processingChannelIds}
          onChange={setProcessingChannelIds}
          multiline={2}
          autoComplete="off"
          helpText={t("form.processingChannels.help")}
          error={errors.processingChannelIds}
        />
        <TextField
          label={t("form.entities.label")}
          name="entityIds"
          value={entityIds}
          onChange={setEntityIds}
          multiline={2}
          autoComplete="off"
          helpText={t("form.entities.help")}
          error={errors.entityIds}
        />
        <Button submit variant="primary" loading={busy}>
          {t("form.save")}
        </Button>
      </IntentForm>
    </Card>
  );
}
