import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, Layout, Link, List, Page, Text, TextField } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { holdDetail } from "../holds/queue.server";
import { NOTE_MAX_LENGTH } from "../holds/limits";
import { addHoldNote, cancelHeldOrder, denyFromHold, releaseHold, type ReviewActionResult } from "../holds/review-actions.server";
import { authenticateReviewer } from "../holds/reviewer.server";
import { HOLD_STATUS_BADGES } from "../holds/status-badges";
import { formObject, readForm } from "../lib/form";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const reviewer = await authenticateReviewer(request);
  const hold = await holdDetail(reviewer.shopId, params.id ?? "");
  if (!hold) throw new Response("This hold does not exist in this shop.", { status: 404 });
  return { hold };
};

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("release") }),
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("deny"), target: z.enum(["customer", "email", "card"], { message: "Choose what to deny-list." }) }),
  z.object({ intent: z.literal("note"), note: z.string().max(NOTE_MAX_LENGTH, `Keep the note under ${NOTE_MAX_LENGTH} characters.`) }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const reviewer = await authenticateReviewer(request);
  const parsed = actionSchema.safeParse(formObject(await readForm(request)));
  if (!parsed.success) return json({ ok: false as const, message: parsed.error.issues[0].message }, { status: 400 });
  const id = params.id ?? "";
  const input = parsed.data;
  let result: ReviewActionResult;
  switch (input.intent) {
    case "release":
      result = await releaseHold(reviewer, id);
      break;
    case "cancel":
      result = await cancelHeldOrder(reviewer, id);
      break;
    case "deny":
      result = await denyFromHold(reviewer, id, input.target);
      break;
    case "note":
      result = await addHoldNote(reviewer, id, input.note);
      break;
  }
  const status = result.ok ? 200 : "notFound" in result && result.notFound ? 404 : 422;
  return json({ ok: result.ok, message: result.message }, { status });
};

const when = (iso: string) => new Date(iso).toLocaleString();

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

function Table({ headings, rows, empty }: { headings: string[]; rows: string[][]; empty: string }) {
  if (rows.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {empty}
      </Text>
    );
  }
  return <DataTable columnContentTypes={headings.map(() => "text" as const)} headings={headings} rows={rows} />;
}

function ActionButton({ intent, children, tone, extra }: { intent: string; children: string; tone?: "critical"; extra?: Record<string, string> }) {
  const navigation = useNavigation();
  const busy =
    navigation.state !== "idle" && navigation.formData?.get("intent") === intent && navigation.formData?.get("target") === (extra?.target ?? null);
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {extra && Object.entries(extra).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <Button submit tone={tone} loading={busy} disabled={navigation.state !== "idle"}>
        {children}
      </Button>
    </Form>
  );
}

export default function HoldPage() {
  const { hold } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [note, setNote] = useState(hold.note ?? "");
  const [confirmCancel, setConfirmCancel] = useState(false);
  const badge = HOLD_STATUS_BADGES[hold.status];
  const open = ["pending", "held", "failed", "monitored"].includes(hold.status);
  const moneyWord = hold.payment.status === "Authorized" ? "void" : "refund";

  return (
    <Page
      backAction={{ content: "Risk holds", url: "/app/holds" }}
      title={`Hold on ${hold.order.name}`}
      titleMetadata={<Badge tone={badge?.tone}>{badge?.label ?? hold.status}</Badge>}
      subtitle={`${hold.payment.amount} · ${hold.payment.customerName ?? hold.payment.customerEmail ?? "Unknown customer"}`}
    >
      <Layout>
        {result && (
          <Layout.Section>
            <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
          </Layout.Section>
        )}
        {hold.match?.needsReview && (
          <Layout.Section>
            <Banner tone="warning" title="Check that this is the right order">
              <p>The payment was matched to this order only by {hold.match.by.toLowerCase()}. Confirm it before acting.</p>
            </Banner>
          </Layout.Section>
        )}
        {hold.monitorOnly && (
          <Layout.Section>
            <Banner tone="info" title="Monitor-only: nothing was held in Shopify">
              <p>The rules would have held this order. Turn off monitor-only mode in Risk rules to hold orders like it.</p>
            </Banner>
          </Layout.Section>
        )}

        <Layout.Section>
          <BlockStack gap="400">
            <Section title="Rules that fired">
              <Table
                headings={["Rule", "Payment's value", "Compared with"]}
                rows={hold.hits.map((h) => [h.label, h.value, h.threshold ?? "–"])}
                empty="No rule fired."
              />
              <List>
                {hold.hits.map((h) => (
                  <List.Item key={h.rule}>{h.description}</List.Item>
                ))}
              </List>
            </Section>
            <Section title="Payment timeline">
              <Table
                headings={["When", "What", "Amount", "By"]}
                rows={hold.timeline.map((a) => [when(a.at), a.summary, a.amount ?? "–", a.actor ?? "Checkout.com"])}
                empty="No activity recorded yet."
              />
            </Section>
            <Section title="Audit log">
              <Table
                headings={["When", "Who", "What", "Result"]}
                rows={hold.audit.map((e) => [
                  when(e.at),
                  e.actor,
                  typeof e.details.note === "string" ? `${e.action}: ${e.details.note}` : e.action,
                  e.result === "ok" ? (typeof e.details.message === "string" ? e.details.message : "Done") : `Failed: ${e.error ?? "unknown error"}`,
                ])}
                empty="Nothing has been done on this order yet."
              />
            </Section>
          </BlockStack>
        </Layout.Section>

        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Section title="Order">
              <Link url={hold.order.url} target="_top">
                Open {hold.order.name} in Shopify
              </Link>
              {hold.match && (
                <Text as="p">
                  Matched: {hold.match.by}{" "}
                  <Badge tone={hold.match.confidence === "weak" ? "warning" : undefined}>
                    {hold.match.confidence === "weak" ? "Weak match" : "Strong match"}
                  </Badge>
                </Text>
              )}
              <Text as="p" tone="subdued">
                Decided {when(hold.decidedAt)}
                {hold.heldAt ? ` · held ${when(hold.heldAt)}` : ""}
                {hold.resolvedAt ? ` · resolved ${when(hold.resolvedAt)} by ${hold.resolvedBy}` : ""}
              </Text>
            </Section>

            <Section title="Payment">
              <Text as="p">
                {hold.payment.amount} · {hold.payment.status}
              </Text>
              <Text as="p">
                Risk score: {hold.payment.riskScore ?? "not reported"}
                {hold.payment.riskFlagged ? " · flagged by Checkout.com" : ""}
              </Text>
              <Text as="p">{hold.payment.customerEmail ?? "No email"}</Text>
              {hold.payment.card && <Text as="p">{hold.payment.card}</Text>}
              <Text as="p" tone="subdued">
                Card country {hold.payment.cardCountry ?? "?"} · billing {hold.payment.billingCountry ?? "?"} · shipping{" "}
                {hold.payment.shippingCountry ?? "?"}
                {hold.payment.ipAddress ? ` · IP ${hold.payment.ipAddress}` : ""}
              </Text>
              <Text as="p" tone="subdued">
                {hold.payment.ckoPaymentId}
              </Text>
              {hold.moneyActions.map((m) => (
                <Text as="p" key={m.id}>
                  {m.kind} {m.amount ?? ""} · {m.status}
                  {m.error ? ` · ${m.error}` : ""}
                </Text>
              ))}
            </Section>

            <Section title="Decide">
              {hold.status === "released" && (
                <Text as="p" tone="subdued">
                  Released: the order can be fulfilled. Cancelling it is done in Shopify now.
                </Text>
              )}
              {open && <ActionButton intent="release">{hold.monitorOnly ? "Dismiss" : "Release hold"}</ActionButton>}
              {hold.status !== "released" &&
                (confirmCancel ? (
                  <Box>
                    <BlockStack gap="200">
                      <Text as="p">
                        Cancel {hold.order.name} in Shopify and {moneyWord} the payment on Checkout.com? This cannot be undone.
                      </Text>
                      <InlineStack gap="200">
                        <ActionButton intent="cancel" tone="critical">{`Confirm: cancel order and ${moneyWord} payment`}</ActionButton>
                        <Button onClick={() => setConfirmCancel(false)}>Keep the order</Button>
                      </InlineStack>
                    </BlockStack>
                  </Box>
                ) : (
                  <Button tone="critical" onClick={() => setConfirmCancel(true)}>
                    {`Cancel order and ${moneyWord} payment…`}
                  </Button>
                ))}
            </Section>

            <Section title="Deny list">
              <ActionButton intent="deny" extra={{ target: "email" }}>
                Add email to deny list
              </ActionButton>
              {hold.payment.ckoCustomerId && (
                <ActionButton intent="deny" extra={{ target: "customer" }}>
                  Add customer to deny list
                </ActionButton>
              )}
              {hold.payment.hasCardFingerprint && (
                <ActionButton intent="deny" extra={{ target: "card" }}>
                  Add card to deny list
                </ActionButton>
              )}
            </Section>

            <Card>
              <Form method="post">
                <input type="hidden" name="intent" value="note" />
                <BlockStack gap="200">
                  <TextField label="Note" name="note" value={note} onChange={setNote} multiline={3} maxLength={NOTE_MAX_LENGTH} autoComplete="off" />
                  <Button submit loading={navigation.state !== "idle" && navigation.formData?.get("intent") === "note"}>
                    Save note
                  </Button>
                </BlockStack>
              </Form>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
