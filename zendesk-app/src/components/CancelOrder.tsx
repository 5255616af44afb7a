// "Cancel order": why (recorded on the order, its timeline and the ticket's note, in English), whether
// to restock and to email the customer; then the confirmation says what happens to the money.
import { Button } from "@zendeskgarden/react-buttons";
import { Field, Select } from "@zendeskgarden/react-forms";
import { useState, type FormEvent } from "react";
import { useSpeech, type Words } from "../words";
import { ActionForm, ReasonDetails, ShopifyEffects } from "./ActionFields";
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
    <ActionForm onSubmit={submit} noValidate aria-label={w.order.cancel}>
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
      <ReasonDetails reason={reason} value={details} onChange={setDetails} error={error} />
      <ShopifyEffects
        effects={[
          { label: w.order.restock, checked: restock, onChange: setRestock },
          { label: w.order.notify, checked: notifyCustomer, onChange: setNotifyCustomer },
        ]}
      />
      <Buttons>
        <Button type="submit" isPrimary isDanger size="small" disabled={props.disabled}>
          {w.order.cancel}
        </Button>
        <Button type="button" isBasic size="small" onClick={props.onCancel} disabled={props.disabled}>
          {w.actions.close}
        </Button>
      </Buttons>
    </ActionForm>
  );
}
