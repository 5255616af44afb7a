import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, IndexTable, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { ListFilters, ListTable, PageLinks } from "../ui/list-page";
import { useFormat } from "../ui/format";
import { KNOWN_EVENT_TYPES } from "../webhooks/event-types";
import { eventFiltersSchema, listEvents, replayDeadEvents } from "../events/inbox.server";
import { EVENT_STATUS_BADGES, UNKNOWN_TYPES } from "../events/inbox-view";
import { EventScopeBadges } from "../events/ui/event-scope-badges";
import { parseRedeliveryForm, redeliveryView, requestRedelivery } from "../checkout/reflow.server";
import { RedeliveryCard } from "../checkout/ui/redelivery-card";
import { formObject, readForm } from "../lib/form";
import { requireStaff } from "../shopify/staff.server";
import { roleAllows } from "../shopify/roles";
import { formReply } from "../ui/form-reply.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const filters = eventFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return {
    ...(await listEvents(staff.shopId, filters)),
    filters,
    redelivery: await redeliveryView(staff.shopId),
    canRedeliver: roleAllows(staff.role, "reviewer"),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "reviewer");
  const form = formObject(await readForm(request));
  switch (form.intent) {
    case "replay-dead": {
      const count = await replayDeadEvents(staff.shopId, staff.actor);
      const message = count ? `${count} dead-lettered event${count === 1 ? "" : "s"} queued for processing again.` : "There were no dead-lettered events.";
      return formReply({ intent: "replay-dead", ok: true, message });
    }
    case "redeliver": {
      const parsed = parseRedeliveryForm(form);
      if (!parsed.ok)
        return formReply({
          intent: "redeliver",
          ok: false,
          message: "Fix the highlighted fields. Nothing was asked of Checkout.com.",
          fieldErrors: parsed.fieldErrors,
        });
      const result = await requestRedelivery(staff.shopId, parsed.request, staff.actor);
      // A refusal is the shop's state (no workflow, nothing to send, asked a moment ago) or Checkout.com's answer.
      return formReply({ intent: "redeliver", ok: result.ok, message: result.message }, result.ok ? 200 : result.refusal === "checkout_error" ? 502 : 409);
    }
  }
  return formReply({ intent: null, ok: false, message: "Unknown action." });
};

const typeOptions = [
  { label: "All types", value: "" },
  ...KNOWN_EVENT_TYPES.map((t) => ({ label: t, value: t })),
  { label: "Types this app does not handle", value: UNKNOWN_TYPES },
];
const statusOptions = [{ label: "Any status", value: "" }, ...Object.entries(EVENT_STATUS_BADGES).map(([value, b]) => ({ label: b.label, value }))];

export default function Events() {
  const { dateTime } = useFormat();
  const { events, hasNext, deadCount, waitingForShopify, filters, redelivery, canRedeliver } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [type, setType] = useState(filters.type ?? "");
  const [status, setStatus] = useState<string>(filters.status ?? "");
  const [q, setQ] = useState(filters.q ?? "");

  return (
    <Page title="Events" subtitle="Webhook events received from Checkout.com">
      <Layout>
        {result && result.intent !== "redeliver" && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        )}
        {waitingForShopify > 0 && (
          <Layout.Section>
            <Banner
              tone="warning"
              title={`${waitingForShopify} follow-up task${waitingForShopify === 1 ? " is" : "s are"} waiting for access to this shop in Shopify`}
            >
              <p>
                Payment reviews, holds and order notes need the app&apos;s access to Shopify, which was lost (for example after a reinstall). Opening the app in
                the Shopify admin restores it; they then run by themselves, nothing is lost.
              </p>
            </Banner>
          </Layout.Section>
        )}
        {deadCount > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={`${deadCount} event${deadCount === 1 ? "" : "s"} could not be processed`}>
              <BlockStack gap="200">
                <p>They were retried and then set aside. Open one to see why; once the cause is fixed, replay them.</p>
                <Form method="post">
                  <input type="hidden" name="intent" value="replay-dead" />
                  <Button submit loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "replay-dead"}>
                    Replay all dead-lettered
                  </Button>
                </Form>
              </BlockStack>
            </Banner>
          </Layout.Section>
        )}
        <ListFilters>
          <Select label="Type" name="type" options={typeOptions} value={type} onChange={setType} />
          <Select label="Status" name="status" options={statusOptions} value={status} onChange={setStatus} />
          <TextField label="Event or payment id" name="q" value={q} onChange={setQ} autoComplete="off" placeholder="evt_… or pay_…" />
        </ListFilters>
        <ListTable
          empty={{ heading: "No events here", body: "Events appear as soon as Checkout.com delivers them to your webhook URL (Settings)." }}
          resourceName={{ singular: "event", plural: "events" }}
          itemCount={events.length}
          headings={[
            { title: "Event" },
            { title: "Type" },
            { title: "Status" },
            { title: "Payment" },
            { title: "Received" },
            { title: "Attempts", alignment: "end" },
          ]}
        >
          {events.map((e, position) => (
            <IndexTable.Row id={e.id} key={e.id} position={position}>
              <IndexTable.Cell>
                <Link to={`/app/events/${e.id}`} data-primary-link>
                  <Text as="span" fontWeight="semibold">
                    {e.eventId}
                  </Text>
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <InlineStack gap="100">
                  <Text as="span">{e.type}</Text>
                  {!e.known && <Badge>Not handled</Badge>}
                  <EventScopeBadges environment={e.environment} skipped={e.skipped} />
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={EVENT_STATUS_BADGES[e.status]?.tone}>{EVENT_STATUS_BADGES[e.status]?.label ?? e.status}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>{e.ckoPaymentId ?? "–"}</IndexTable.Cell>
              <IndexTable.Cell>{dateTime(e.receivedAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {e.attempts}
                </Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </ListTable>
        <PageLinks page={filters.page} hasNext={hasNext} />
        <Layout.Section>
          <RedeliveryCard
            view={redelivery}
            canRedeliver={canRedeliver}
            reply={result}
            busy={navigation.state === "submitting" && navigation.formData?.get("intent") === "redeliver"}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
