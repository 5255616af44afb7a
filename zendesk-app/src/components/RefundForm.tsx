import { Button } from "@zendeskgarden/react-buttons";
import { Field, Input, Select } from "@zendeskgarden/react-forms";
import { useState, type FormEvent } from "react";
import type { MoneyPlanView, PaymentTimeline } from "#app/zendesk/contract";
import { currencyDigits, decimalToMinor, minorToDecimal } from "#app/lib/money";
import { useSpeech, type Speech } from "../words";
import { ActionForm, ReasonDetails, ShopifyEffects } from "./ActionFields";
import { Buttons, Hint } from "./layout";

/** The reasons as the backend, Shopify and the ticket's note record them (English); shown in the agent's words. */
const REFUND_REASONS = [
  "Customer asked to cancel",
  "Duplicate charge",
  "Item not received",
  "Item returned",
  "Item damaged or not as described",
  "Goodwill gesture",
  "Other",
] as const satisfies ReadonlyArray<keyof Speech["w"]["refund"]["reasons"]>;

export interface RefundDraft {
  amount: number;
  reason: string;
  /** Restock what has not shipped (through Shopify only). */
  restock: boolean;
  /** Shopify emails the customer (through Shopify only). */
  notifyCustomer: boolean;
}

type Errors = Partial<Record<"amount" | "reason" | "details", string>>;

/** Checks a refund against what Shopify and Checkout.com still allow and the shop's limit; returns messages per field. */
function validateRefund(
  input: { amount: string; reason: string; details: string; restock: boolean; notifyCustomer: boolean },
  timeline: PaymentTimeline,
  plan: MoneyPlanView,
  speech: Speech,
): { draft: RefundDraft } | { errors: Errors } {
  const { payment, permissions } = timeline;
  const { w } = speech;
  const refundable = plan.refundable.limit;
  const money = (minor: number) => speech.money(minor, payment.currency);
  const errors: Errors = {};
  const parsed = decimalToMinor(input.amount, payment.currency);
  if (!parsed.ok) {
    const tooPrecise = parsed.words.key === "money.amount.decimals" || parsed.words.key === "money.amount.noDecimals";
    errors.amount =
      input.amount.trim() === ""
        ? w.refund.enterAmount
        : tooPrecise
          ? w.refund.decimals(payment.currency, currencyDigits(payment.currency))
          : w.refund.notAnAmount(minorToDecimal(1250, payment.currency));
  } else if (parsed.minor <= 0) errors.amount = w.refund.aboveZero;
  else if (parsed.minor > refundable) errors.amount = w.refund.atMost(money(refundable));
  else if (permissions.maxRefundAmount === 0) {
    errors.amount = w.refund.noneInCurrency(payment.currency);
  } else if (permissions.maxRefundAmount !== null && parsed.minor > permissions.maxRefundAmount) {
    errors.amount = w.refund.aboveLimit(money(permissions.maxRefundAmount));
  }
  if (!input.reason) errors.reason = w.refund.chooseReason;
  if (input.reason === "Other" && input.details.trim() === "") errors.details = w.refund.describe;
  if (Object.keys(errors).length > 0 || !parsed.ok) return { errors };
  const details = input.details.trim();
  const reason = (details ? `${input.reason}: ${details}` : input.reason).slice(0, 200);
  const shopify = plan.via === "shopify";
  return { draft: { amount: parsed.minor, reason, restock: shopify && input.restock, notifyCustomer: shopify && input.notifyCustomer } };
}

/** Where the refund goes and, when Shopify and Checkout.com disagree, both figures. */
export function PathNote({ plan }: { plan: MoneyPlanView }) {
  const speech = useSpeech();
  const { w } = speech;
  const money = (minor: number) => speech.money(minor, plan.currency);
  const { checkout, shopify } = plan.refundable;
  return (
    <>
      <Hint data-testid="money-path">{plan.via === "shopify" ? w.refund.viaShopify(plan.orderName ?? "") : (plan.directReason ?? w.refund.direct)}</Hint>
      {shopify !== null && shopify !== checkout ? <Hint data-testid="money-limits">{w.refund.lowerApplies(money(shopify), money(checkout))}</Hint> : null}
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
  const speech = useSpeech();
  const { w } = speech;
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [details, setDetails] = useState("");
  const [restock, setRestock] = useState(true);
  const [notifyCustomer, setNotifyCustomer] = useState(false);
  const [errors, setErrors] = useState<Errors>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = validateRefund({ amount, reason, details, restock, notifyCustomer }, timeline, plan, speech);
    if ("errors" in result) setErrors(result.errors);
    else {
      setErrors({});
      onReview(result.draft);
    }
  };

  return (
    <ActionForm onSubmit={submit} noValidate aria-label={w.refund.label}>
      <PathNote plan={plan} />
      <Field>
        <Field.Label>{w.refund.amount(payment.currency)}</Field.Label>
        <Field.Hint>{w.refund.upTo(speech.money(plan.refundable.limit, payment.currency))}</Field.Hint>
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
          {w.refund.everything}
        </Button>
      </Buttons>
      <Field>
        <Field.Label>{w.refund.reason}</Field.Label>
        <Select value={reason} onChange={(e) => setReason(e.target.value)} validation={errors.reason ? "error" : undefined}>
          <option value="">{w.refund.choose}</option>
          {REFUND_REASONS.map((r) => (
            <option key={r} value={r}>
              {w.refund.reasons[r]}
            </option>
          ))}
        </Select>
        {errors.reason ? <Field.Message validation="error">{errors.reason}</Field.Message> : null}
      </Field>
      <ReasonDetails reason={reason} value={details} onChange={setDetails} error={errors.details} />
      {plan.via === "shopify" ? (
        <ShopifyEffects
          effects={[
            { label: w.refund.restock, checked: restock, onChange: setRestock },
            { label: w.refund.notify, checked: notifyCustomer, onChange: setNotifyCustomer },
          ]}
        />
      ) : null}
      <Buttons>
        <Button type="submit" isPrimary size="small" disabled={disabled}>
          {w.refund.review}
        </Button>
        <Button type="button" isBasic size="small" onClick={onCancel} disabled={disabled}>
          {w.actions.cancel}
        </Button>
      </Buttons>
    </ActionForm>
  );
}
