// The fields a refund and an order cancellation share: the form's layout, a reason's free-text details
// (required for "Other"), and what Shopify does besides (restock, email the customer).
import { Checkbox, Field, Input } from "@zendeskgarden/react-forms";
import styled from "styled-components";
import { useSpeech } from "../words";

export const ActionForm = styled.form`
  display: grid;
  gap: 12px;
  margin-top: 8px;
`;

export function ReasonDetails(props: { reason: string; value: string; onChange: (value: string) => void; error?: string | null }) {
  const { w } = useSpeech();
  return (
    <Field>
      <Field.Label isRegular>
        {w.refund.details} {props.reason === "Other" ? "" : w.refund.optional}
      </Field.Label>
      <Input value={props.value} maxLength={150} onChange={(e) => props.onChange(e.target.value)} validation={props.error ? "error" : undefined} />
      {props.error ? <Field.Message validation="error">{props.error}</Field.Message> : null}
    </Field>
  );
}

/** A checkbox per effect the agent chooses, each with its label. */
export function ShopifyEffects(props: { effects: Array<{ label: string; checked: boolean; onChange: (checked: boolean) => void }> }) {
  return (
    <>
      {props.effects.map((effect) => (
        <Field key={effect.label}>
          <Checkbox checked={effect.checked} onChange={(e) => effect.onChange(e.target.checked)}>
            <Field.Label isRegular>{effect.label}</Field.Label>
          </Checkbox>
        </Field>
      ))}
    </>
  );
}
