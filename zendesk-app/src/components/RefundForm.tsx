import { Button } from "@zendeskgarden/react-buttons";
import { Checkbox, Field, Input, Select } from "@zendeskgarden/react-forms";
import { useState, type FormEvent } from "react";
import styled from "styled-components";
import type { MoneyPlanView, PaymentTimeline } from "#app/zendesk/contract";
import { decimalToMinor, formatMoney, minorToDecimal } from "#app/lib/money";
import { Buttons, Hint } from "./layout";

const REFUND_REASONS = [
  "Customer asked to cancel",
  "Duplicate charge",
  "Item not received",
  "Item returned",
  "Item damaged or not as described",
  "Goodwill gesture",
  "Other",
] as const;

export interface RefundDraft {
  amount: number;
  reason: string;
  /** Restock what has not shipped (through Shopify only). */
  restock: boolean;
  /** Shopify emails the customer (through Shopify only). */
  notifyCustomer: boolean;
}

const Form = styled.form`
  display: grid;
  gap: 12px;
  margin-top: 8px;
`;

type Errors = Partial<Record<"amount" | "reason" | "details", string>>;

/** Checks a refund against what Shopify and Checkout.com still allow and the shop's limit; returns messages per field. */
function validateRefund(
  input: { amount: string; reason: string; details: string; restock: boolean; notifyCustomer: boolean },
  timeline: PaymentTimeline,
  plan: MoneyPlanView,
): { draft: RefundDraft } | { errors: Errors } {
  const { payment, permissions } = timeline;
  const refundable = plan.refundable.limit;
  const money = (minor: number) => formatMoney(minor, payment.currency);
  const errors: Errors = {};
  const parsed = decimalToMinor(input.amount, payment.currency);
  if (!parsed.ok) errors.amount = input.amount.trim() === "" ? "Enter the amount to refund." : parsed.message;
  else if (parsed.minor <= 0) errors.amount = "Enter an amount above zero.";
  else if (parsed.minor > refundable) errors.amount = `You can refund at most ${money(refundable)}.`;
  else if (permissions.maxRefundAmount === 0) {
    errors.amount = `This store allows no ${payment.currency} refunds from Zendesk. A store admin can refund in Shopify.`;
  } else if (permissions.maxRefundAmount !== null && parsed.minor > permissions.maxRefundAmount) {
    errors.amount = `Refunds above ${money(permissions.maxRefundAmount)} must be made by a store admin in Shopify.`;
  }
  if (!input.reason) errors.reason = "Choose a reason for the refund.";
  if (input.reason === "Other" && input.details.trim() === "") errors.details = "Describe the reason.";
  if (Object.keys(errors).length > 0 || !parsed.ok) return { errors };
  const details = input.details.trim();
  const reason = (details ? `${input.reason}: ${details}` : input.reason).slice(0, 200);
  const shopify = plan.via === "shopify";
  return { draft: { amount: parsed.minor, reason, restock: shopify && input.restock, notifyCustomer: shopify && input.notifyCustomer } };
}

/** Where the refund goes and, when Shopify and Checkout.com disagree, both figures. */
export function PathNote({ plan }: { plan: MoneyPlanView }) {
  const money = (minor: number) => formatMoney(minor, plan.currency);
  const { checkout, shopify } = plan.refundable;
  return (
    <>
      <Hint data-testid="money-path">
        {plan.via === "shopify"
          ? `Goes through Shopify order ${plan.orderName ?? ""}: the order, stock and customer email stay in step.`
          : (plan.directReason ?? "Made directly at Checkout.com.")}
      </Hint>
      {shopify !== null && shopify !== checkout ? (
        <Hint data-testid="money-limits">{`Shopify allows ${money(shopify)}, Checkout.com ${money(checkout)}: the lower applies.`}</Hint>
      ) : null}
    </>
  );
}

export function RefundForm(props: {
  timeline: PaymentTimeline;
  plan: MoneyPlanView;
  disabled: boolean;
  onReview: (draft: RefundDraft) => void;
  onCancel: () => void;
}) {
  const { timeline, plan, disabled, onReview, onCancel } = props;
  const { payment } = timeline;
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [details, setDetails] = useState("");
  const [restock, setRestock] = useState(true);
  const [notifyCustomer, setNotifyCustomer] = useState(false);
  const [errors, setErrors] = useState<Errors>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateRefund({ amount, reason, details, restock, notifyCustomer }, timeline, plan);
    if ("errors" in result) setErrors(result.errors);
    else {
      setErrors({});
      onReview(result.draft);
    }
  };

  return (
    <Form onSubmit={submit} noValidate aria-label="Refund">
      <PathNote plan={plan} />
      <Field>
        <Field.Label>Amount ({payment.currency})</Field.Label>
        <Field.Hint>Up to {formatMoney(plan.refundable.limit, payment.currency)}</Field.Hint>
        <Input
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          validation={errors.amount ? "error" : undefined}
        />
        {errors.amount ? <Field.Message validation="error">{errors.amount}</Field.Message> : null}
      </Field>
      <Buttons>
        <Button size="small" isBasic type="button" onClick={() => setAmount(minorToDecimal(plan.refundable.limit, payment.currency))}>
          Refund everything refundable
        </Button>
      </Buttons>
      <Field>
        <Field.Label>Reason</Field.Label>
        <Select value={reason} onChange={(e) => setReason(e.target.value)} validation={errors.reason ? "error" : undefined}>
          <option value="">Choose a reason</option>
          {REFUND_REASONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </Select>
        {errors.reason ? <Field.Message validation="error">{errors.reason}</Field.Message> : null}
      </Field>
      <Field>
        <Field.Label isRegular>Details {reason === "Other" ? "" : "(optional)"}</Field.Label>
        <Input value={details} maxLength={150} onChange={(e) => setDetails(e.target.value)} validation={errors.details ? "error" : undefined} />
        {errors.details ? <Field.Message validation="error">{errors.details}</Field.Message> : null}
      </Field>
      {plan.via === "shopify" ? (
        <>
          <Field>
            <Checkbox checked={restock} onChange={(e) => setRestock(e.target.checked)}>
              <Field.Label isRegular>Restock items that have not shipped</Field.Label>
            </Checkbox>
          </Field>
          <Field>
            <Checkbox checked={notifyCustomer} onChange={(e) => setNotifyCustomer(e.target.checked)}>
              <Field.Label isRegular>Email the customer about the refund</Field.Label>
            </Checkbox>
          </Field>
        </>
      ) : null}
      <Buttons>
        <Button type="submit" isPrimary size="small" disabled={disabled}>
          Review refund
        </Button>
        <Button type="button" isBasic size="small" onClick={onCancel} disabled={disabled}>
          Cancel
        </Button>
      </Buttons>
    </Form>
  );
}
