// The dispute page's Zendesk ticket (app/zendesk/dispute-tickets.server.ts): a link to it, that it is
// being created, or why there is none (an agent deleted it, Zendesk refused it) with "Create a new ticket".
import { Banner, Button, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { TitledCard } from "../../ui/titled-card";
import type { DisputeTicketView } from "../../zendesk/dispute-tickets.server";

interface Props {
  ticket: DisputeTicketView;
  /** The staff member may ask for a ticket (Reviewer and above). */
  editable: boolean;
  busy: boolean;
  onCreate: () => void;
}

export function ZendeskTicketCard({ ticket, editable, busy, onCreate }: Props) {
  const { t } = useTranslation("disputes");
  const create = ticket.canCreate && editable && (
    <Button onClick={onCreate} loading={busy}>
      {ticket.state === "none" ? t("zendeskTicket.create") : t("zendeskTicket.createNew")}
    </Button>
  );
  return (
    <TitledCard title={t("zendeskTicket.title")}>
      {ticket.state === "open" && ticket.url && (
        <Button variant="plain" url={ticket.url} target="_blank">
          {t("zendeskTicket.open", { id: ticket.ticketId ?? "" })}
        </Button>
      )}
      {ticket.state === "creating" && <Text as="p">{t("zendeskTicket.creating")}</Text>}
      {ticket.state === "none" && (
        <Text as="p" tone="subdued">
          {t("zendeskTicket.none")}
        </Text>
      )}
      {ticket.state === "deleted" && <Banner tone="warning" title={t("zendeskTicket.deleted", { id: ticket.ticketId ?? "" })} />}
      {ticket.state === "failed" && (
        <Banner tone="critical" title={t("zendeskTicket.failed")}>
          {ticket.lastError}
        </Banner>
      )}
      {create}
    </TitledCard>
  );
}
