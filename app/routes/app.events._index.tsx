import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, IndexTable, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { say, translator } from "../i18n/i18n";
import { sayFieldErrors, textOf } from "../i18n/domain-words";
import { ListFilters, ListTable, PageLinks } from "../ui/list-page";
import { useFormat } from "../ui/format";
import { KNOWN_EVENT_TYPES } from "../webhooks/event-types";
import { eventFiltersSchema, listEvents, replayDeadEvents } from "../events/inbox.server";
import { EVENT_STATUSES, EVENT_STATUS_TONES, isEventStatus, UNKNOWN_TYPES } from "../events/inbox-view";
import { EventScopeBadges } from "../events/ui/event-scope-badges";
import { parseRedeliveryForm, redeliveryView, requestRedelivery, type RedeliveryView } from "../checkout/reflow.server";
import type { Locale } from "../i18n/locales";
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
    redelivery: await redeliveryIn(staff.locale, staff.shopId),
    canRedeliver: roleAllows(staff.role, "reviewer"),
  };
};

/** Whether redelivery is available, and why not in the staff member's language. */
async function redeliveryIn(locale: Locale, shopId: string): Promise<RedeliveryView> {
  const { reasonWords, ...view } = await redeliveryView(shopId);
  return reasonWords ? { ...view, reason: say(locale, reasonWords) } : view;
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const staff = await requireStaff(request, "reviewer");
  const t = translator(staff.locale, "events");
  const form = formObject(await readForm(request));
  switch (form.intent) {
    case "replay-dead": {
      const count = await replayDeadEvents(staff.shopId, staff.actor);
      const message = count ? t("list.replayDead.queued", { count }) : t("list.replayDead.none");
      return formReply({ intent: "replay-dead", ok: true, message });
    }
    case "redeliver": {
      const parsed = parseRedeliveryForm(form);
      if (!parsed.ok)
        return formReply({
          intent: "redeliver",
          ok: false,
          message: t("list.redeliver.fixFields"),
          fieldErrors: sayFieldErrors(staff.locale, parsed.fieldErrors, parsed.fieldWords),
        });
      const result = await requestRedelivery(staff.shopId, parsed.request, staff.actor);
      // A refusal is the shop's state (no workflow, nothing to send, asked a moment ago) or Checkout.com's answer.
      return formReply(
        { intent: "redeliver", ok: result.ok, message: textOf(staff.locale, result) },
        result.ok ? 200 : result.refusal === "checkout_error" ? 502 : 409,
      );
    }
  }
  return formReply({ intent: null, ok: false, message: t("unknownAction") });
};

export default function Events() {
  const { t } = useTranslation("events");
  // Event types are Checkout.com's names, shown as they are.
  const typeOptions = [
    { label: t("list.filters.allTypes"), value: "" },
    ...KNOWN_EVENT_TYPES.map((type) => ({ label: type, value: type })),
    { label: t("list.filters.unknownTypes"), value: UNKNOWN_TYPES },
  ];
  const statusOptions = [{ label: t("list.filters.anyStatus"), value: "" }, ...EVENT_STATUSES.map((value) => ({ label: t(`status.${value}`), value }))];
  const { dateTime } = useFormat();
  const { events, hasNext, deadCount, waitingForShopify, filters, redelivery, canRedeliver } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [type, setType] = useState(filters.type ?? "");
  const [status, setStatus] = useState<string>(filters.status ?? "");
  const [q, setQ] = useState(filters.q ?? "");

  return (
    <Page title={t("list.title")} subtitle={t("list.subtitle")}>
      <Layout>
        {result && result.intent !== "redeliver" && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        )}
        {waitingForShopify > 0 && (
          <Layout.Section>
            <Banner tone="warning" title={t("list.waitingForShopify.title", { count: waitingForShopify })}>
              <p>{t("list.waitingForShopify.body")}</p>
            </Banner>
          </Layout.Section>
        )}
        {deadCount > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={t("list.dead.title", { count: deadCount })}>
              <BlockStack gap="200">
                <p>{t("list.dead.body")}</p>
                <Form method="post">
                  <input type="hidden" name="intent" value="replay-dead" />
                  <Button submit loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "replay-dead"}>
                    {t("list.dead.replayAll")}
                  </Button>
                </Form>
              </BlockStack>
            </Banner>
          </Layout.Section>
        )}
        <ListFilters>
          <Select label={t("list.filters.type")} name="type" options={typeOptions} value={type} onChange={setType} />
          <Select label={t("list.filters.status")} name="status" options={statusOptions} value={status} onChange={setStatus} />
          <TextField label={t("list.filters.id")} name="q" value={q} onChange={setQ} autoComplete="off" placeholder={t("list.filters.idPlaceholder")} />
        </ListFilters>
        <ListTable
          empty={{ heading: t("list.empty.heading"), body: t("list.empty.body") }}
          resourceName={{ singular: t("list.resource.singular"), plural: t("list.resource.plural") }}
          itemCount={events.length}
          headings={[
            { title: t("list.headings.event") },
            { title: t("list.headings.type") },
            { title: t("list.headings.status") },
            { title: t("list.headings.payment") },
            { title: t("list.headings.received") },
            { title: t("list.headings.attempts"), alignment: "end" },
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
                  {!e.known && <Badge>{t("list.notHandled")}</Badge>}
                  <EventScopeBadges environment={e.environment} skipped={e.skipped} />
                </InlineStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={EVENT_STATUS_TONES[e.status]}>{isEventStatus(e.status) ? t(`status.${e.status}`) : e.status}</Badge>
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
