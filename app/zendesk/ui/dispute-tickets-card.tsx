// Settings > Zendesk: which disputes open a Zendesk ticket (on or off, minimum amounts per currency,
// categories) and how the ticket is addressed (requester, group, tags). Saved by an admin, audited.
import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, ChoiceList, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useDisputeWords } from "../../disputes/ui/labels";
import type { FormReply } from "../../ui/form-reply.server";
import type { DisputeTicketRequester } from "../dispute-ticket-settings.server";

interface DisputeTicketsFormValues {
  enabled: boolean;
  minAmountsText: string;
  categories: string[];
  requester: DisputeTicketRequester;
  requesterEmail: string | null;
  groupId: string | null;
  tagsText: string;
}

interface Props {
  settings: DisputeTicketsFormValues;
  /** Every category a dispute can have (Checkout.com's). */
  categories: string[];
  /** Whether a Zendesk account is connected: tickets need one. */
  connected: boolean;
  intent: string;
  reply: FormReply | undefined;
  busy: boolean;
}

export function DisputeTicketsCard({ settings, categories, connected, intent, reply, busy }: Props) {
  const { t } = useTranslation("zendesk");
  const words = useDisputeWords();
  const [enabled, setEnabled] = useState(settings.enabled);
  const [minAmounts, setMinAmounts] = useState(settings.minAmountsText);
  const [chosen, setChosen] = useState(settings.categories);
  const [requester, setRequester] = useState<string>(settings.requester);
  const [requesterEmail, setRequesterEmail] = useState(settings.requesterEmail ?? "");
  const [groupId, setGroupId] = useState(settings.groupId ?? "");
  const [tags, setTags] = useState(settings.tagsText);
  const errors = reply?.fieldErrors ?? {};
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value={intent} />
        {enabled && <input type="hidden" name="enabled" value="true" />}
        {chosen.map((c) => (
          <input key={c} type="hidden" name={`category.${c}`} value="true" />
        ))}
        <FormLayout>
          {reply && <Banner tone={reply.ok ? "success" : "critical"} title={reply.message} />}
          {!connected && <Banner tone="info" title={t("disputeTickets.notConnected")} />}
          <Checkbox label={t("disputeTickets.enabled")} helpText={t("disputeTickets.enabledHelp")} checked={enabled} onChange={setEnabled} />
          <TextField
            label={t("disputeTickets.minAmounts")}
            name="minAmounts"
            value={minAmounts}
            onChange={setMinAmounts}
            multiline={2}
            autoComplete="off"
            placeholder="USD 100.00"
            helpText={t("disputeTickets.minAmountsHelp")}
            error={errors.minAmounts}
          />
          <ChoiceList
            allowMultiple
            title={t("disputeTickets.categories")}
            choices={categories.map((c) => ({ label: words.category(c), value: c }))}
            selected={chosen}
            onChange={setChosen}
          />
          <Text as="p" tone="subdued">
            {t("disputeTickets.categoriesHelp")}
          </Text>
          <Select
            label={t("disputeTickets.requester")}
            name="requester"
            options={[
              { label: t("disputeTickets.requesterCustomer"), value: "customer" },
              { label: t("disputeTickets.requesterInternal"), value: "internal" },
            ]}
            value={requester}
            onChange={setRequester}
            error={errors.requester}
          />
          <TextField
            label={t("disputeTickets.requesterEmail")}
            name="requesterEmail"
            type="email"
            value={requesterEmail}
            onChange={setRequesterEmail}
            autoComplete="email"
            helpText={t("disputeTickets.requesterEmailHelp")}
            error={errors.requesterEmail}
          />
          <TextField
            label={t("disputeTickets.groupId")}
            name="groupId"
            value={groupId}
            onChange={setGroupId}
            autoComplete="off"
            inputMode="numeric"
            helpText={t("disputeTickets.groupIdHelp")}
            error={errors.groupId}
          />
          <TextField
            label={t("disputeTickets.tags")}
            name="tags"
            value={tags}
            onChange={setTags}
            autoComplete="off"
            placeholder="chargeback"
            helpText={t("disputeTickets.tagsHelp")}
            error={errors.tags}
          />
          <BlockStack inlineAlign="start">
            <Button submit variant="primary" loading={busy}>
              {t("disputeTickets.save")}
            </Button>
          </BlockStack>
        </FormLayout>
      </Form>
    </Card>
  );
}
