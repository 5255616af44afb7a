// The Payments page's refund, capture and void: the path each takes (through the Shopify order or
// straight to Checkout.com) and the limits on both sides are shown before anything is confirmed; each
// form carries a request id made when the page loaded, so a double click or a retry is one action.
import { Form, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Checkbox, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { minorToDecimal, formatMoney } from "../../lib/money";
import type { MoneyPlan } from "../plan.server";
import { TitledCard } from "../../ui/titled-card";

const REFUND_REASONS = [
  "Customer asked to cancel",
  "Item returned",
  "Item not received",
  "Item damaged or not as described",
  "Duplicate charge",
  "Goodwill gesture",
  "Suspected fraud",
  "Other",
] as const;

type Kind = "refund" | "capture" | "void";

export interface MoneyActionsProps {
  plan: MoneyPlan | null;
  planError: string | null;
  requestId: string;
  canMoveMoney: boolean;
}

function Limits({ plan }: { plan: MoneyPlan }) {
  const money = (minor: number) => formatMoney(minor, plan.currency);
  const differs = plan.shopify && (plan.shopify.refundable !== plan.checkout.refundable || plan.shopify.capturable !== plan.checkout.capturable);
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        {plan.via === "shopify" ? (
          <Badge tone="success">{`Through Shopify order ${plan.order?.name ?? ""}`}</Badge>
        ) : (
          <Badge tone="attention">Directly at Checkout.com</Badge>
        )}
      </InlineStack>
      {plan.directReason && (
        <Text as="p" tone="subdued">
          {plan.directReason}
        </Text>
      )}
      <Text as="p">
        Refundable {money(plan.limits.refundable)}
        {plan.limits.capturable > 0 ? ` · capturable ${money(plan.limits.capturable)}` : ""}
      </Text>
      {differs && plan.shopify && (
        <Text as="p" tone="caution">
          {`Shopify allows ${money(plan.shopify.refundable)} and Checkout.com ${money(plan.checkout.refundable)} to be refunded${
            plan.limits.capturable || plan.shopify.capturable || plan.checkout.capturable
              ? ` (capture: Shopify ${money(plan.shopify.capturable)}, Checkout.com ${money(plan.checkout.capturable)})`
              : ""
          }; the lower figure applies.`}
        </Text>
      )}
    </BlockStack>
  );
}

function RefundFields({ plan }: { plan: MoneyPlan }) {
  const [byItems, setByItems] = useState(false);
  const [amount, setAmount] = useState(minorToDecimal(plan.limits.refundable, plan.currency));
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [restock, setRestock] = useState(true);
  const [notify, setNotify] = useState(false);
  const [reason, setReason] = useState<string>("");
  const lines = Object.entries(quantities)
    .map(([lineItemId, q]) => ({ lineItemId, quantity: Number(q) }))
    .filter((l) => Number.isInteger(l.quantity) && l.quantity > 0);
  return (
    <BlockStack gap="300">
      {plan.via === "shopify" && plan.lines.length > 0 && (
        <Checkbox label="Refund items (Shopify prices them, with their tax and discounts)" checked={byItems} onChange={setByItems} />
      )}
      {byItems ? (
        <BlockStack gap="200">
          {plan.lines.map((line) => (
            <TextField
              key={line.id}
              label={`${line.name} (${formatMoney(line.unitPrice, plan.currency)} each, up to ${line.refundableQuantity})`}
              type="number"
              min={0}
              max={line.refundableQuantity}
              value={quantities[line.id] ?? "0"}
              onChange={(v) => setQuantities({ ...quantities, [line.id]: v })}
              autoComplete="off"
            />
          ))}
          <input type="hidden" name="lines" value={JSON.stringify(lines)} />
        </BlockStack>
      ) : (
        <TextField
          label={`Amount (${plan.currency})`}
          name="amount"
          value={amount}
          onChange={setAmount}
          autoComplete="off"
          helpText={`Up to ${formatMoney(plan.limits.refundable, plan.currency)}`}
        />
      )}
      {plan.via === "shopify" && <Checkbox label="Restock items that have not shipped" name="restock" value="true" checked={restock} onChange={setRestock} />}
      {plan.via === "shopify" && (
        <Checkbox label="Email the customer about the refund" name="notifyCustomer" value="true" checked={notify} onChange={setNotify} />
      )}
      <Select
        label="Reason"
        name="reason"
        options={[{ label: "Choose a reason", value: "" }, ...REFUND_REASONS.map((r) => ({ label: r, value: r }))]}
        value={reason}
        onChange={setReason}
      />
    </BlockStack>
  );
}

const CONFIRM: Record<Kind, string> = { refund: "Confirm refund", capture: "Confirm capture", void: "Confirm void" };

/** One action's form, opened by its button; the confirm button is disabled while any action runs. */
function ActionForm({ kind, plan, requestId, onClose }: { kind: Kind; plan: MoneyPlan; requestId: string; onClose: () => void }) {
  const navigation = useNavigation();
  const running = navigation.state !== "idle" && navigation.formData?.get("intent") === kind;
  const [captureAmount, setCaptureAmount] = useState(minorToDecimal(plan.limits.capturable, plan.currency));
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={kind} />
      <input type="hidden" name="requestId" value={requestId} />
      <BlockStack gap="300">
        {kind === "refund" && <RefundFields plan={plan} />}
        {kind === "capture" && (
          <TextField label={`Amount to capture (${plan.currency})`} name="amount" value={captureAmount} onChange={setCaptureAmount} autoComplete="off" />
        )}
        {kind === "void" && <Text as="p">The authorisation is released: the customer is not charged and the payment can no longer be captured.</Text>}
        <Text as="p" tone="subdued">
          {plan.via === "shopify"
            ? "Shopify records it on the order and its Checkout.com payments app carries it out; Checkout.com's webhook confirms it here."
            : "It is sent straight to Checkout.com; the Shopify order does not change (a note is added to it when there is one)."}{" "}
          This cannot be undone.
        </Text>
        <InlineStack gap="200">
          <Button submit variant="primary" tone={kind === "capture" ? undefined : "critical"} loading={running} disabled={navigation.state !== "idle"}>
            {CONFIRM[kind]}
          </Button>
          <Button onClick={onClose} disabled={running}>
            Cancel
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

export function MoneyActions({ plan, planError, requestId, canMoveMoney }: MoneyActionsProps) {
  const [open, setOpen] = useState<Kind | null>(null);
  const navigation = useNavigation();
  const kinds: Kind[] = plan
    ? (["refund", "capture", "void"] as const).filter((k) =>
        k === "refund" ? plan.limits.refundable > 0 : k === "capture" ? plan.limits.capturable > 0 : plan.limits.voidable,
      )
    : [];
  return (
    <TitledCard title="Refund, capture or void" gap="300">
      {planError && <Banner tone="warning" title={planError} />}
      {plan && <Limits plan={plan} />}
      {plan && kinds.length === 0 && (
        <Text as="p" tone="subdued">
          Nothing is left to refund, capture or void on this payment.
        </Text>
      )}
      {!canMoveMoney && kinds.length > 0 && (
        <Text as="p" tone="subdued">
          Your role lets you see this payment; Finance refunds, captures and voids.
        </Text>
      )}
      {canMoveMoney && plan && open === null && (
        <InlineStack gap="200">
          {kinds.map((k) => (
            <Button key={k} onClick={() => setOpen(k)} disabled={navigation.state !== "idle"} tone={k === "void" ? "critical" : undefined}>
              {k === "refund" ? "Refund…" : k === "capture" ? "Capture…" : "Void…"}
            </Button>
          ))}
        </InlineStack>
      )}
      {canMoveMoney && plan && open && <ActionForm kind={open} plan={plan} requestId={requestId} onClose={() => setOpen(null)} />}
    </TitledCard>
  );
}
