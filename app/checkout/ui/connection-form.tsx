// Settings → Checkout.com connection: one environment's account, keys and processing channels. Keys
// are write-only: the form shows the last 4 characters of a stored key and leaves it as it is when
// the field stays empty.
import { Banner, Button, Card, Checkbox, Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import { IntentForm } from "../../ui/form-page";
import type { FormReply } from "../../ui/form-reply.server";
import { useFormat } from "../../ui/format";
import type { ConnectionSummary } from "../connection.server";
import type { CheckoutEnvironment } from "../keys";

const stored = (last4: string | null | undefined) => (last4 ? `Stored (ends in ${last4}). Leave empty to keep it.` : undefined);

export function ConnectionForm(props: { environment: CheckoutEnvironment; connection: ConnectionSummary | null; reply: FormReply | undefined; busy: boolean }) {
  const { dateTime } = useFormat();
  const { environment, connection, reply, busy } = props;
  const errors = (reply?.intent === "save" ? reply.fieldErrors : undefined) ?? {};
  const [accountType, setAccountType] = useState(connection?.accountType ?? "NAS");
  const [subdomain, setSubdomain] = useState(connection?.subdomain ?? "");
  const [processingChannelIds, setProcessingChannelIds] = useState(connection?.processingChannelIds.join("\n") ?? "");
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
        </>
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
        {connection?.previousWebhookKey && (
          <Banner tone="info" title="Webhook signing key changed">
            <p>
              {`Deliveries signed with the previous key (ending in ${connection.previousWebhookKey.last4}) are still accepted until ${dateTime(connection.previousWebhookKey.until)}, so events Checkout.com signed before the change and retries later are not lost.`}
            </p>
          </Banner>
        )}
        {accountType === "NAS" && (
          <TextField
            label="Webhook signature key (optional)"
            name="signatureKey"
            type="password"
            value={signatureKey}
            onChange={setSignatureKey}
            autoComplete="off"
            helpText={
              stored(connection?.signatureKeyLast4) ??
              "Leave empty: the app registers its webhook with Checkout.com and makes its own key. Only if you created the webhook in the Checkout.com Dashboard yourself, paste the key shown there."
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
            stored(connection?.authorizationLast4) ?? "If you set a fixed Authorization value on the webhook, enter it here and every delivery must carry it."
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
          label="Processing channels (optional)"
          name="processingChannelIds"
          value={processingChannelIds}
          onChange={setProcessingChannelIds}
          multiline={2}
          autoComplete="off"
          helpText="The channels (pc_...) this shop sells through, one per line. Only their events act on orders. Leave empty for all of the account's."
          error={errors.processingChannelIds}
        />
        <Button submit variant="primary" loading={busy}>
          Save
        </Button>
      </IntentForm>
    </Card>
  );
}
