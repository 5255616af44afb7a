import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { formatDateTime } from "../lib/dates";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, DataTable, InlineStack, Layout, Link, List, Page, Text, TextField } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { holdDetail } from "../holds/queue.server";
import { NOTE_MAX_LENGTH } from "../holds/limits";
import { addHoldNote, cancelHeldOrder, denyFromHold, releaseHold, type ReviewActionResult } from "../holds/review-actions.server";
import { formatMoney } from "../lib/money";
import { planMoneyActions } from "../money/actions.server";
import { ShopifyApiError } from "../shopify/admin-api.server";
import { roleAllows } from "../shopify/roles";
import { assertRole, requireStaff } from "../shopify/staff.server";
import { HOLD_STATUS_BADGES } from "../holds/status-badges";
import { formObject, readForm } from "../lib/form";
import { TitledCard } from "../ui/titled-card";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const reviewer = await requireStaff(request);
  const hold = await holdDetail(reviewer.shopId, params.id ?? "");
  if (!hold) throw new Response("This hold does not exist in this shop.", { status: 404 });
  return { hold, cancel: await cancelPreview(reviewer.shopId, hold.paymentId), role: reviewer.role };
};

/** What cancelling would do with the money (read from Shopify), or why that cannot be known now. */
async function cancelPreview(shopId: string, paymentId: string) {
  try {
    const plan = await planMoneyActions(shopId, paymentId);
    if (!plan) return null;
    const money = plan.limits.voidable ? "void" : plan.limits.refundable > 0 ? "refund" : null;
    return {
      via: plan.via,
      directReason: plan.directReason,
      money,
      amount: money === "refund" ? formatMoney(plan.limits.refundable, plan.currency) : null,
      error: null,
    };
  } catch (error) {
    if (!(error instanceof ShopifyApiError)) throw error;
    return { via: null, directReason: null, money: null, amount: null, error: `Shopify could not be asked about the order: ${error.message}.` };
  }
}

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("release") }),
  z.object({ intent: z.literal("cancel"), restock: checkbox, notifyCustomer: checkbox }),
  z.object({ intent: z.literal("deny"), target: z.enum(["customer", "email", "card"], { message: "Choose what to deny-list." }) }),
  z.object({ intent: z.literal("note"), note: z.string().max(NOTE_MAX_LENGTH, `Keep the note under ${NOTE_MAX_LENGTH} characters.`) }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const reviewer = await requireStaff(request, "reviewer");
  const form = formObject(await readForm(request));
  // Cancelling moves money (a refund or void): Finance. Everything else here: Reviewer.
  if (form.intent === "cancel") assertRole(reviewer, "finance");
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) return json({ ok: false as const, message: parsed.error.issues[0].message }, { status: 400 });
  const id = params.id ?? "";
  const input = parsed.data;
  let result: ReviewActionResult;
  switch (input.intent) {
    case "release":
      result = await releaseHold(reviewer, id);
      break;
    case "cancel":
      result = await cancelHeldOrder(reviewer, id, { restock: input.restock, notifyCustomer: input.notifyCustomer });
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

const when = (iso: string) => formatDateTime(iso);

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <TitledCard title={title} gap="300">
      {children}
    </TitledCard>
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

/** A submit button that shows it is running and disables every action meanwhile (no double clicks). */
function SubmitButton({ intent, children, tone, target }: { intent: string; children: string; tone?: "critical"; target?: string }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent && navigation.formData?.get("target") === (target ?? null);
  return (
    <Button submit tone={tone} loading={busy} disabled={navigation.state !== "idle"}>
      {children}
    </Button>
  );
}

function ActionButton({ intent, children, tone, extra }: { intent: string; children: string; tone?: "critical"; extra?: Record<string, string> }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {extra && Object.entries(extra).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <SubmitButton intent={intent} tone={tone} target={extra?.target}>
        {children}
      </SubmitButton>
    </Form>
  );
}

type CancelPreview = Awaited<ReturnType<typeof cancelPreview>>;

/** Cancelling: what happens to the money and on which path, restock and notify, then a confirmation. */
function CancelOrder({
  hold,
  preview,
  open,
  setOpen,
}: {
  hold: { order: { name: string } };
  preview: CancelPreview;
  open: boolean;
  setOpen: (open: boolean) => void;
}) {
  const [restock, setRestock] = useState(true);
  const [notify, setNotify] = useState(false);
  const moneyWord = preview?.money === "void" ? "void the payment" : preview?.money === "refund" ? `refund ${preview.amount}` : "nothing left to give back";
  if (!open) {
    return (
      <Button tone="critical" onClick={() => setOpen(true)} disabled={Boolean(preview?.error)}>
        {`Cancel order…`}
      </Button>
    );
  }
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="cancel" />
      <BlockStack gap="200">
        {preview?.error && <Banner tone="critical" title={preview.error} />}
        <Text as="p">
          {preview?.via === "shopify"
            ? `Cancel ${hold.order.name} in Shopify (reason: fraud). Shopify will ${moneyWord} through Checkout.com, so the order, stock and reports stay in step.`
            : `Cancel ${hold.order.name} in Shopify (reason: fraud) and ${moneyWord} directly at Checkout.com.`}
        </Text>
        {preview?.directReason && (
          <Text as="p" tone="subdued">
            {preview.directReason}
          </Text>
        )}
        <Checkbox label="Restock items that have not shipped" name="restock" value="true" checked={restock} onChange={setRestock} />
        <Checkbox label="Email the customer about the cancellation" name="notifyCustomer" value="true" checked={notify} onChange={setNotify} />
        <Text as="p" tone="critical">
          This cannot be undone.
        </Text>
        <InlineStack gap="200">
          <SubmitButton intent="cancel" tone="critical">{`Cancel order and ${preview?.money ?? "close"}`}</SubmitButton>
          <Button onClick={() => setOpen(false)}>Keep the order</Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

export default function HoldPage() {
  const { hold, cancel, role } = useLoaderData<typeof loader>();
  const canCancel = roleAllows(role, "finance");
  const canReview = roleAllows(role, "reviewer");
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [note, setNote] = useState(hold.note ?? "");
  const [confirmCancel, setConfirmCancel] = useState(false);
  const badge = HOLD_STATUS_BADGES[hold.status];
  const open = ["pending", "held", "failed", "monitored"].includes(hold.status);

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
                Card country {hold.payment.cardCountry ?? "?"} · billing {hold.payment.billingCountry ?? "?"} · shipping {hold.payment.shippingCountry ?? "?"}
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
              {!canReview && (
                <Text as="p" tone="subdued">
                  Your role lets you see this hold; a Reviewer releases it and Finance cancels the order.
                </Text>
              )}
              {open && canReview && <ActionButton intent="release">{hold.monitorOnly ? "Dismiss" : "Release hold"}</ActionButton>}
              {hold.status !== "released" && canCancel && <CancelOrder hold={hold} preview={cancel} open={confirmCancel} setOpen={setConfirmCancel} />}
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
