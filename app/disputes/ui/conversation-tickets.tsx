// Which Zendesk tickets the customer communication was taken from, each removable (the evidence is
// then rebuilt without it), and the removed ones, each to put back.
import { BlockStack, Button, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { ConversationTicket } from "../model";
import { TitledCard } from "../../ui/titled-card";

export function ConversationTickets({
  tickets,
  excludedTickets,
  editable,
  busy,
  onExclude,
  onInclude,
}: {
  tickets: ConversationTicket[];
  excludedTickets: string[];
  editable: boolean;
  busy: boolean;
  onExclude: (ticketId: string) => void;
  onInclude: (ticketId: string) => void;
}) {
  const { t } = useTranslation("disputes");
  if (!tickets.length && !excludedTickets.length) return null;
  return (
    <TitledCard title={t("conversation.title")}>
      <Text as="p" tone="subdued">
        {tickets.length ? t("conversation.intro") : t("conversation.none")}
      </Text>
      <BlockStack gap="200">
        {tickets.map((ticket) => (
          <InlineStack key={ticket.id} align="space-between" blockAlign="center" gap="200">
            <Text as="span">{t("conversation.ticket", { id: ticket.id, subject: ticket.subject || t("conversation.noSubject"), count: ticket.messages })}</Text>
            {editable && (
              <Button
                variant="plain"
                tone="critical"
                disabled={busy}
                onClick={() => onExclude(ticket.id)}
                accessibilityLabel={t("conversation.removeLabel", { id: ticket.id })}
              >
                {t("conversation.remove")}
              </Button>
            )}
          </InlineStack>
        ))}
        {excludedTickets.map((id) => (
          <InlineStack key={id} align="space-between" blockAlign="center" gap="200">
            <Text as="span" tone="subdued">
              {t("conversation.excluded", { id })}
            </Text>
            {editable && (
              <Button variant="plain" disabled={busy} onClick={() => onInclude(id)} accessibilityLabel={t("conversation.putBackLabel", { id })}>
                {t("conversation.putBack")}
              </Button>
            )}
          </InlineStack>
        ))}
      </BlockStack>
    </TitledCard>
  );
}
