import { Button } from "@zendeskgarden/react-buttons";
import { Field, Input, Select } from "@zendeskgarden/react-forms";
import { useState, type FormEvent } from "react";
import styled from "styled-components";
import type { PaymentTimeline } from "../../../app/zendesk/contract";
import { formatMoney } from "../../../app/lib/money";
import { amountText, parseAmount } from "../amount";

export const REFUND_REASONS = [
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
}

const Form = styled.form`
  display: grid;
  gap: 12px;
  margin-top: 8px;
`;

const Buttons = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 8px;
`;

type Errors = Partial<Record<"amount" | "reason" | "details", string>>;

/** Checks a refund against what is still refundable and the shop's limit; returns messages per field. */
export function validateRefund(
  input: { amount: string; reason: string; details: string },
  timeline: PaymentTimeline,
): { draft: RefundDraft } | { errors: Errors } {
  const { payment, permissions } = timeline;
  const money = (minor: number) => formatMoney(minor, payment.currency);
  const errors: Errors = {};
  const parsed = parseAmount(input.amount, payment.currency);
  if (!parsed.ok) errors.amount = input.amount.trim() === "" ? "Enter the amount to refund." : parsed.message;
  else if (parsed.minor <= 0) errors.amount = "Enter an amount above zero.";
  else if (parsed.minor > payment.refundableAmount) errors.amount = `You can refund at most ${money(payment.refundableAmount)}.`;
  else if (permissions.maxRefundAmount !== null && parsed.minor > permissions.maxRefundAmount) {
    errors.amount = `Refunds above ${money(permissions.maxRefundAmount)} must be made by a store admin in Shopify.`;
  }
  if (!input.reason) errors.reason = "Choose a reason for the refund.";
  if (input.reason === "Other" && input.details.trim() === "") errors.details = "Describe the reason.";
  if (Object.keys(errors).length > 0 || !parsed.ok) return { errors };
  const details = input.details.trim();
  const reason = (details ? `${input.reason}: ${details}` : input.reason).slice(0, 200);
  return { draft: { amount: parsed.minor, reason } };
}

export function RefundForm(props: {
  timeline: PaymentTimeline;
  disabled: boolean;
  onReview: (draft: RefundDraft) => void;
  onCancel: () => void;
}) {
  const { timeline, disabled, onReview, onCancel } = props;
  const { payment } = timeline;
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [details, setDetails] = useState("");
  const [errors, setErrors] = useState<Errors>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateRefund({ amount, reason, details }, timeline);
    if ("errors" in result) setErrors(result.errors);
    else {
      setErrors({});
      onReview(result.draft);
    }
  };

  return (
    <Form onSubmit={submit} noValidate aria-label="Refund">
      <Field>
        <Field.Label>Amount ({payment.currency})</Field.Label>
        <Field.Hint>Up to {formatMoney(payment.refundableAmount, payment.currency)}</Field.Hint>
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
        <Button size="small" isBasic type="button" onClick={() => setAmount(amountText(payment.refundableAmount, payment.currency))}>
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
