// The sidebar: find the ticket's payment, show it, and act on it.
import { Button } from "@zendeskgarden/react-buttons";
import { Dots } from "@zendeskgarden/react-loaders";
import { Alert } from "@zendeskgarden/react-notifications";
import { DEFAULT_THEME, ThemeProvider, type IGardenTheme } from "@zendeskgarden/react-theming";
import { LG, MD, SM } from "@zendeskgarden/react-typography";
import { useCallback, useEffect, useMemo, useState } from "react";
import styled, { createGlobalStyle } from "styled-components";
import type { LookupResponse } from "#app/zendesk/contract";
import { createSidebarApi, SidebarError, type SidebarApi } from "./api";
import { PaymentActions } from "./components/PaymentActions";
import { PaymentPicker } from "./components/PaymentPicker";
import { PaymentSummary } from "./components/PaymentSummary";
import { PaymentTimelineView } from "./components/PaymentTimelineView";
import { useAutoResize, usePaymentTimeline, useZafEvents } from "./hooks";
import { identifierFromField, readSettings, readTicket, SetupError, ticketChangeEvents, type SidebarSettings, type TicketContext } from "./ticket";
import type { ZafClient } from "./zaf";

const GlobalStyle = createGlobalStyle`
  html, body { margin: 0; padding: 0; background: #fff; }
  body {
    font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    font-size: 14px;
    color: #2f3941;
  }
  p { margin: 0 0 8px; }
`;

// Garden's spacing suits full pages; a 320 px sidebar needs tighter wells, alerts and timeline rows.
const SIDEBAR_THEME: IGardenTheme = {
  ...DEFAULT_THEME,
  components: {
    "notifications.well": "padding: 12px 14px; color: #2f3941;",
    "notifications.alert": "padding: 12px 36px 12px 40px;",
    "timeline.content": "padding: 6px 0 12px 10px;",
    "timeline.content.separator": "padding: 10px 4px 0;",
    // The iframe is the whole screen a modal gets: fill its width, sit at the top.
    "modals.modal": "top: 0; right: 0; left: 0; margin: 12px; width: auto; max-height: calc(100vh - 24px);",
    "modals.header": ({ $isDanger }: { $isDanger?: boolean }) => `padding: 14px 56px 14px ${$isDanger ? 40 : 16}px;`,
    "modals.body": "padding: 12px 16px 4px;",
    "modals.footer": "padding: 12px 16px;",
  },
};

const Page = styled.main`
  display: grid;
  gap: 12px;
  padding: 8px 10px 12px;
  min-width: 0;
`;

const Header = styled.header`
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 8px;
`;

type Session = { settings: SidebarSettings; ticket: TicketContext; api: SidebarApi };
type Phase =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  | { kind: "nothing"; message: string }
  | { kind: "found"; lookup: LookupResponse; selected: string | null };

function searchedFor(ticket: TicketContext): string {
  const identifier = identifierFromField(ticket.paymentFieldValue);
  const parts = [
    identifier && "paymentId" in identifier ? `payment ${identifier.paymentId}` : null,
    identifier && "orderName" in identifier ? `order ${identifier.orderName}` : null,
    ticket.requesterEmail,
  ].filter(Boolean);
  return parts.join(" or ");
}

function App({ client }: { client: ZafClient }) {
  const [session, setSession] = useState<Session | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [root, setRoot] = useState<HTMLElement | null>(null);
  useAutoResize(client, root);

  // Starts in "loading"; a ticket change shows "loading" again before it looks the payment up anew.
  const find = useCallback(async () => {
    try {
      const settings = await readSettings(client);
      const ticket = await readTicket(client, settings);
      const api = createSidebarApi(client, settings, ticket);
      setSession({ settings, ticket, api });
      const identifier = identifierFromField(ticket.paymentFieldValue);
      if (!identifier && !ticket.requesterEmail) {
        setPhase({ kind: "nothing", message: "This ticket has no payment id, order number or requester email to look up." });
        return;
      }
      const lookup = await api.lookup({ ...identifier, ...(ticket.requesterEmail ? { email: ticket.requesterEmail } : {}) });
      if (lookup.payments.length === 0) {
        setPhase({ kind: "nothing", message: `No payment found for ${searchedFor(ticket)}.` });
        return;
      }
      setPhase({ kind: "found", lookup, selected: lookup.payments.length === 1 ? lookup.payments[0].paymentId : null });
    } catch (e) {
      const message = e instanceof SetupError || e instanceof SidebarError ? e.message : e instanceof Error ? e.message : "The app could not start.";
      setPhase({ kind: "failed", message });
    }
  }, [client]);

  useEffect(() => {
    // find() sets state only after awaiting ZAF (an external system), which is what effects are for.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void find();
  }, [find]);
  useZafEvents(client, session ? ticketChangeEvents(session.settings) : [], () => {
    setPhase({ kind: "loading" });
    void find();
  });

  return (
    <Page ref={setRoot}>
      {phase.kind === "loading" ? (
        <MD>
          <Dots delayMS={0} aria-hidden /> Looking for the payment…
        </MD>
      ) : null}
      {phase.kind === "failed" ? (
        <Alert type="error">
          <Alert.Title>Cannot show the payment</Alert.Title>
          <Alert.Paragraph>{phase.message}</Alert.Paragraph>
        </Alert>
      ) : null}
      {phase.kind === "nothing" ? (
        <Alert type="info">
          <Alert.Title>No payment found</Alert.Title>
          <Alert.Paragraph>{phase.message}</Alert.Paragraph>
        </Alert>
      ) : null}
      {phase.kind === "found" && session ? (
        <>
          {phase.lookup.matchedBy === "email" ? (
            <Alert type="warning">
              <Alert.Title>Matched by email only: verify the customer</Alert.Title>
              <Alert.Paragraph>
                Found through the requester&apos;s email ({session.ticket.requesterEmail}), not a payment id or order number. Make sure it is the same person
                before acting.
              </Alert.Paragraph>
            </Alert>
          ) : null}
          {phase.selected === null ? (
            <PaymentPicker
              payments={phase.lookup.payments}
              locale={session.ticket.agent.locale}
              onPick={(paymentId) => setPhase({ ...phase, selected: paymentId })}
            />
          ) : (
            <PaymentView
              key={phase.selected}
              client={client}
              session={session}
              paymentId={phase.selected}
              onChoose={phase.lookup.payments.length > 1 ? () => setPhase({ ...phase, selected: null }) : null}
            />
          )}
        </>
      ) : null}
    </Page>
  );
}

function PaymentView(props: { client: ZafClient; session: Session; paymentId: string; onChoose: (() => void) | null }) {
  const { client, session, paymentId, onChoose } = props;
  const { api, ticket } = session;
  const { timeline, error, loadedAt, refresh } = usePaymentTimeline(api, paymentId);
  const locale = ticket.agent.locale;
  useZafEvents(client, ["app.activated", "ticket.updated"], () => void refresh());
  const updated = useMemo(
    () => (loadedAt ? new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" }).format(loadedAt) : null),
    [loadedAt, locale],
  );

  return (
    <>
      <Header>
        <LG isBold tag="h1" style={{ margin: 0 }}>
          Payment
        </LG>
        <span>
          {updated ? (
            <SM tag="span" style={{ color: "#68737d" }}>
              Updated {updated}{" "}
            </SM>
          ) : null}
          <Button size="small" isBasic onClick={() => void refresh()}>
            Refresh
          </Button>
        </span>
      </Header>
      {error ? (
        <Alert type="error">
          <Alert.Title>Could not refresh the payment</Alert.Title>
          <Alert.Paragraph>{error}</Alert.Paragraph>
        </Alert>
      ) : null}
      {timeline ? (
        <>
          <PaymentSummary timeline={timeline} locale={locale} />
          <PaymentActions client={client} api={api} ticket={ticket} timeline={timeline} onChanged={() => void refresh()} />
          <section aria-label="History">
            <MD isBold tag="h2" style={{ margin: "4px 0 8px" }}>
              History
            </MD>
            <PaymentTimelineView entries={timeline.entries} locale={locale} />
          </section>
        </>
      ) : error ? null : (
        <MD>
          <Dots delayMS={0} aria-hidden /> Loading the payment…
        </MD>
      )}
      {onChoose ? (
        <Button isLink size="small" onClick={onChoose} style={{ justifySelf: "start" }}>
          Choose another matching payment
        </Button>
      ) : null}
    </>
  );
}

/** The app with Garden's theme; main.tsx mounts it, tests render it with a fake client. */
export function Sidebar({ client }: { client: ZafClient }) {
  return (
    <ThemeProvider theme={SIDEBAR_THEME}>
      <GlobalStyle />
      <App client={client} />
    </ThemeProvider>
  );
}
