// "Cancel order": why (recorded on the order, its timeline and the ticket's note, in English), whether
// to restock and to email the customer; then the confirmation says what happens to the money.
import { Button } from "@zendeskgarden/react-buttons";
import { Checkbox, Field, Input, Select } from "@zendeskgarden/react-forms";
import { useState, type FormEvent } from "react";
import styled from "styled-components";
import { useSpeech, type Words } from "../words";
import { Buttons } from "./layout";

const CANCEL_REASONS = ["Customer asked to cancel", "Item out of stock", "Order placed by mistake", "Other"] as const satisfies ReadonlyArray<
  keyof Words["order"]["cancelReasons"]
>;

export interface CancelDraft {
  orderName: string;
  reason: string;
  restock: boolean;
  notifyCustomer: boolean;
}

const Form = styled.form`
  display: grid;
  gap: 12px;
  margin-top: 8px;
`;

export function CancelOrderForm(props: { orderName: string; disabled: boolean; onReview: (draft: CancelDraft) => void; onCancel: () => void }) {
  const { w } = useSpeech();
  const [reason, setReason] = useState<string>(CANCEL_REASONS[0]);
  const [details, setDetails] = useState("");
  const [restock, setRestock] = useState(true);
  const [notifyCustomer, setNotifyCustomer] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const described = details.trim();
    if (reason === "Other" && !described) return setError(w.refund.describe);
    setError(null);
    props.onReview({ orderName: props.orderName, reason: (described ? `${reason}: ${described}` : reason).slice(0, 200), restock, notifyCustomer });
  };

  return (
    <Form onSubmit={submit} noValidate aria-label={w.order.cancel}>
      <Field>
        <Field.Label>{w.refund.reason}</Field.Label>
        <Select value={reason} onChange={(e) => setReason(e.target.value)}>
          {CANCEL_REASONS.map((r) => (
            <option key={r} value={r}>
              {w.order.cancelReasons[r]}
            </option>
          ))}
        </Select>
      </Field>
      <Field>
        <Field.Label isRegular>
          {w.refund.details} {reason === "Other" ? "" : w.refund.optional}
        </Field.Label>
        <Input value={details} maxLength={150} onChange={(e) => setDetails(e.target.value)} validation={error ? "error" : undefined} />
        {error ? <Field.Message validation="error">{error}</Field.Message> : null}
      </Field>
      <Field>
        <Checkbox checked={restock} onChange={(e) => setRestock(e.target.checked)}>
          <Field.Label isRegular>{w.order.restock}</Field.Label>
        </Checkbox>
      </Field>
      <Field>
        <Checkbox checked={notifyCustomer} onChange={(e) => setNotifyCustomer(e.target.checked)}>
          <Field.Label isRegular>{w.order.notify}</Field.Label>
        </Checkbox>
      </Field>
      <Buttons>
        <Button type="submit" isPrimary isDanger size="small" disabled={props.disabled}>
          {w.order.cancel}
        </Button>
        <Button type="button" isBasic size="small" onClick={props.onCancel} disabled={props.disabled}>
          {w.actions.close}
        </Button>
      </Buttons>
    </Form>
  );
}
