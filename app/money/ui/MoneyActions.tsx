// The Payments page's refund, capture and void: the path each takes (through the Shopify order or
// straight to Checkout.com) and the limits on both sides are shown before anything is confirmed; each
// form carries a request id made when the page loaded, so a double click or a retry is one action.
import { Form, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Checkbox, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { minorToDecimal } from "../../lib/money";
import type { MoneyPlan } from "../plan.server";
import { TitledCard } from "../../ui/titled-card";
import { useFormat } from "../../ui/format";

// The reason sent is the English one (kept on the refund, in the audit log and the order's note); the
// staff member reads it in their language (`refund.reasons.<key>`).
const REFUND_REASONS = [
  ["customerCanceled", "Customer asked to cancel"],
  ["returned", "Item returned"],
  ["notReceived", "Item not received"],
  ["damaged", "Item damaged or not as described"],
  ["duplicate", "Duplicate charge"],
  ["goodwill", "Goodwill gesture"],
  ["fraud", "Suspected fraud"],
  ["other", "Other"],
] as const;

type Kind = "refund" | "capture" | "void";

export interface MoneyActionsProps {
  plan: MoneyPlan | null;
  planError: string | null;
  requestId: string;
  canMoveMoney: boolean;
}

function Limits({ plan }: { plan: MoneyPlan }) {
  const { t } = useTranslation("money");
  const format = useFormat().money;
  const money = (minor: number) => format(minor, plan.currency);
  const differs = plan.shopify && (plan.shopify.refundable !== plan.checkout.refundable || plan.shopify.capturable !== plan.checkout.capturable);
  // The money service says why in English; the commonest reason (no Shopify order at all) is said here in the staff member's language.
  const directReason = plan.via === "checkout" && plan.order === null ? t("limits.noOrder") : plan.directReason;
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        {plan.via === "shopify" ? (
          <Badge tone="success">{plan.order?.name ? t("limits.viaShopifyOrder", { order: plan.order.name }) : t("limits.viaShopify")}</Badge>
        ) : (
          <Badge tone="attention">{t("limits.viaCheckout")}</Badge>
        )}
      </InlineStack>
      {directReason && (
        <Text as="p" tone="subdued">
          {directReason}
        </Text>
      )}
      <Text as="p">
        {plan.limits.capturable > 0
          ? t("limits.refundableAndCapturable", { refundable: money(plan.limits.refundable), capturable: money(plan.limits.capturable) })
          : t("limits.refundable", { refundable: money(plan.limits.refundable) })}
      </Text>
      {differs && plan.shopify && (
        <Text as="p" tone="caution">
          {plan.limits.capturable || plan.shopify.capturable || plan.checkout.capturable
            ? t("limits.differWithCapture", {
                shopify: money(plan.shopify.refundable),
                checkout: money(plan.checkout.refundable),
                shopifyCapture: money(plan.shopify.capturable),
                checkoutCapture: money(plan.checkout.capturable),
              })
            : t("limits.differ", { shopify: money(plan.shopify.refundable), checkout: money(plan.checkout.refundable) })}
        </Text>
      )}
    </BlockStack>
  );
}

function RefundFields({ plan }: { plan: MoneyPlan }) {
  const { t } = useTranslation("money");
  const format = useFormat().money;
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
      {plan.via === "shopify" && plan.lines.length > 0 && <Checkbox label={t("refund.byItems")} checked={byItems} onChange={setByItems} />}
      {byItems ? (
        <BlockStack gap="200">
          {plan.lines.map((line) => (
            <TextField
              key={line.id}
              label={t("refund.line", { name: line.name, price: format(line.unitPrice, plan.currency), max: line.refundableQuantity })}
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
          label={t("refund.amount", { currency: plan.currency })}
          name="amount"
          value={amount}
          onChange={setAmount}
          autoComplete="off"
          helpText={t("refund.upTo", { amount: format(plan.limits.refundable, plan.currency) })}
        />
      )}
      {plan.via === "shopify" && <Checkbox label={t("refund.restock")} name="restock" value="true" checked={restock} onChange={setRestock} />}
      {plan.via === "shopify" && <Checkbox label={t("refund.notify")} name="notifyCustomer" value="true" checked={notify} onChange={setNotify} />}
      <Select
        label={t("refund.reason")}
        name="reason"
        options={[
          { label: t("refund.chooseReason"), value: "" },
          ...REFUND_REASONS.map(([key, reason]) => ({ label: t(`refund.reasons.${key}`), value: reason })),
        ]}
        value={reason}
        onChange={setReason}
      />
    </BlockStack>
  );
}

/** One action's form, opened by its button; the confirm button is disabled while any action runs. */
function ActionForm({ kind, plan, requestId, onClose }: { kind: Kind; plan: MoneyPlan; requestId: string; onClose: () => void }) {
  const { t } = useTranslation("money");
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
          <TextField
            label={t("capture.amount", { currency: plan.currency })}
            name="amount"
            value={captureAmount}
            onChange={setCaptureAmount}
            autoComplete="off"
          />
        )}
        {kind === "void" && <Text as="p">{t("void.explanation")}</Text>}
        <Text as="p" tone="subdued">
          {plan.via === "shopify" ? t("form.pathShopify") : t("form.pathCheckout")} {t("form.irreversible")}
        </Text>
        <InlineStack gap="200">
          <Button submit variant="primary" tone={kind === "capture" ? undefined : "critical"} loading={running} disabled={navigation.state !== "idle"}>
            {t(`form.confirm.${kind}`)}
          </Button>
          <Button onClick={onClose} disabled={running}>
            {t("form.cancel")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

export function MoneyActions({ plan, planError, requestId, canMoveMoney }: MoneyActionsProps) {
  const { t } = useTranslation("money");
  const [open, setOpen] = useState<Kind | null>(null);
  const navigation = useNavigation();
  const kinds: Kind[] = plan
    ? (["refund", "capture", "void"] as const).filter((k) =>
        k === "refund" ? plan.limits.refundable > 0 : k === "capture" ? plan.limits.capturable > 0 : plan.limits.voidable,
      )
    : [];
  return (
    <TitledCard title={t("title")} gap="300">
      {planError && <Banner tone="warning" title={planError} />}
      {plan && <Limits plan={plan} />}
      {plan && kinds.length === 0 && (
        <Text as="p" tone="subdued">
          {t("nothingLeft")}
        </Text>
      )}
      {!canMoveMoney && kinds.length > 0 && (
        <Text as="p" tone="subdued">
          {t("roleCannot")}
        </Text>
      )}
      {canMoveMoney && plan && open === null && (
        <InlineStack gap="200">
          {kinds.map((k) => (
            <Button key={k} onClick={() => setOpen(k)} disabled={navigation.state !== "idle"} tone={k === "void" ? "critical" : undefined}>
              {t(`open.${k}`)}
            </Button>
          ))}
        </InlineStack>
      )}
      {canMoveMoney && plan && open && <ActionForm kind={open} plan={plan} requestId={requestId} onClose={() => setOpen(null)} />}
    </TitledCard>
  );
}
