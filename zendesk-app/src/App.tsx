// The sidebar: find the ticket's payment, show it, and act on it.
import { Button } from "@zendeskgarden/react-buttons";
import { Dots } from "@zendeskgarden/react-loaders";
import { Alert } from "@zendeskgarden/react-notifications";
import { DEFAULT_THEME, ThemeProvider, type IGardenTheme } from "@zendeskgarden/react-theming";
import { LG, MD, SM } from "@zendeskgarden/react-typography";
import { useCallback, useEffect, useState } from "react";
import styled, { createGlobalStyle } from "styled-components";
import type { LookupResponse } from "#app/zendesk/contract";
import { createSidebarApi, SidebarError, type SidebarApi } from "./api";
import { OrderSection } from "./components/OrderSection";
import { PaymentActions } from "./components/PaymentActions";
import { PaymentPicker } from "./components/PaymentPicker";
import { PaymentSummary } from "./components/PaymentSummary";
import { PaymentTimelineView } from "./components/PaymentTimelineView";
import { useAutoResize, useOrder, usePaymentTimeline, useZafEvents } from "./hooks";
import { identifierFromField, readSettings, readTicket, SetupError, ticketChangeEvents, type SidebarSettings, type TicketContext } from "./ticket";
import { speechFor, SpeechProvider, useSpeech, type Speech, type Words } from "./words";
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
/** What the agent reads, as a function of their words: said again if the language changes. */
type Said = (w: Words) => string;
type Phase =
  | { kind: "loading" }
  | { kind: "failed"; message: Said }
  | { kind: "nothing"; message: Said }
  | { kind: "found"; lookup: LookupResponse; selected: string | null };

function searchedFor(ticket: TicketContext, w: Words): string[] {
  const identifier = identifierFromField(ticket.paymentFieldValue);
  return [
    identifier && "paymentId" in identifier ? w.find.payment(identifier.paymentId) : null,
    identifier && "orderName" in identifier ? w.find.order(identifier.orderName) : null,
    ticket.requesterEmail,
  ].filter((part): part is string => Boolean(part));
}

function App({ client, onLocale }: { client: ZafClient; onLocale: (locale: string) => void }) {
  const { w } = useSpeech();
  const [session, setSession] = useState<Session | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [root, setRoot] = useState<HTMLElement | null>(null);
  useAutoResize(client, root);

  // Starts in "loading"; a ticket change shows "loading" again before it looks the payment up anew.
  const find = useCallback(async () => {
    try {
      const settings = await readSettings(client);
      const ticket = await readTicket(client, settings);
      onLocale(ticket.agent.locale);
      const api = createSidebarApi(client, settings, ticket);
      setSession({ settings, ticket, api });
      const identifier = identifierFromField(ticket.paymentFieldValue);
      if (!identifier && !ticket.requesterEmail) {
        setPhase({ kind: "nothing", message: (w) => w.find.nothingToLookUp });
        return;
      }
      const lookup = await api.lookup({ ...identifier, ...(ticket.requesterEmail ? { email: ticket.requesterEmail } : {}) });
      if (lookup.payments.length === 0) {
        setPhase({ kind: "nothing", message: (w) => w.find.noneFor(searchedFor(ticket, w)) });
        return;
      }
      setPhase({ kind: "found", lookup, selected: lookup.payments.length === 1 ? lookup.payments[0].paymentId : null });
    } catch (e) {
      const message: Said =
        e instanceof SetupError ? (w) => w.setup[e.reason] : e instanceof SidebarError || e instanceof Error ? () => e.message : (w) => w.setup.couldNotStart;
      setPhase({ kind: "failed", message });
    }
  }, [client, onLocale]);

  useEffect(() => {
    // find() sets state only after awaiting ZAF (an external system), which is what effects are for.
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
          <Dots delayMS={0} aria-hidden /> {w.find.looking}
        </MD>
      ) : null}
      {phase.kind === "failed" ? (
        <Alert type="error">
          <Alert.Title>{w.find.cannotShow}</Alert.Title>
          <Alert.Paragraph>{phase.message(w)}</Alert.Paragraph>
        </Alert>
      ) : null}
      {phase.kind === "nothing" ? (
        <Alert type="info">
          <Alert.Title>{w.find.noneTitle}</Alert.Title>
          <Alert.Paragraph>{phase.message(w)}</Alert.Paragraph>
        </Alert>
      ) : null}
      {phase.kind === "found" && session ? (
        <>
          {phase.lookup.matchedBy === "email" ? (
            <Alert type="warning">
              <Alert.Title>{w.find.emailOnlyTitle}</Alert.Title>
              <Alert.Paragraph>{w.find.emailOnly(session.ticket.requesterEmail ?? "")}</Alert.Paragraph>
            </Alert>
          ) : null}
          {phase.selected === null ? (
            <PaymentPicker payments={phase.lookup.payments} onPick={(paymentId) => setPhase({ ...phase, selected: paymentId })} />
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
  const order = useOrder(api, paymentId);
  const { w, time } = useSpeech();
  const reloadAll = () => {
    void refresh();
    order.reload();
  };
  useZafEvents(client, ["app.activated", "ticket.updated"], () => void refresh());
  const updated = loadedAt ? time(loadedAt) : null;

  return (
    <>
      <Header>
        <LG isBold tag="h1" style={{ margin: 0 }}>
          {w.payment.title}
        </LG>
        <span>
          {updated ? (
            <SM tag="span" style={{ color: "#68737d" }}>
              {w.payment.updated(updated)}{" "}
            </SM>
          ) : null}
          <Button size="small" isBasic onClick={reloadAll}>
            {w.payment.refresh}
          </Button>
        </span>
      </Header>
      {error ? (
        <Alert type="error">
          <Alert.Title>{w.payment.couldNotRefresh}</Alert.Title>
          <Alert.Paragraph>{error}</Alert.Paragraph>
        </Alert>
      ) : null}
      {timeline ? (
        <>
          <PaymentSummary timeline={timeline} />
          <PaymentActions client={client} api={api} ticket={ticket} timeline={timeline} order={order.view} onChanged={reloadAll} />
          <OrderSection view={order.view} error={order.error} />
          <section aria-label={w.payment.history}>
            <MD isBold tag="h2" style={{ margin: "4px 0 8px" }}>
              {w.payment.history}
            </MD>
            <PaymentTimelineView entries={timeline.entries} />
          </section>
        </>
      ) : error ? null : (
        <MD>
          <Dots delayMS={0} aria-hidden /> {w.payment.loading}
        </MD>
      )}
      {onChoose ? (
        <Button isLink size="small" onClick={onChoose} style={{ justifySelf: "start" }}>
          {w.find.chooseAnother}
        </Button>
      ) : null}
    </>
  );
}

/** The app with Garden's theme; main.tsx mounts it, tests render it with a fake client. */
export function Sidebar({ client }: { client: ZafClient }) {
  // The agent's language, from ZAF's currentUser.locale: asked first, so even "Looking for the payment" is in it.
  const [speech, setSpeech] = useState<Speech>(() => speechFor("en-US"));
  const onLocale = useCallback((locale: string) => setSpeech((current) => (current.locale === speechFor(locale).locale ? current : speechFor(locale))), []);
  useEffect(() => {
    client.get("currentUser.locale").then(
      (result) => {
        const locale = result["currentUser.locale"];
        if (typeof locale === "string" && locale) onLocale(locale);
      },
      () => undefined, // readTicket asks again and reports what is wrong
    );
  }, [client, onLocale]);
  return (
    <ThemeProvider theme={SIDEBAR_THEME}>
      <SpeechProvider value={speech}>
        <GlobalStyle />
        <App client={client} onLocale={onLocale} />
      </SpeechProvider>
    </ThemeProvider>
  );
}
