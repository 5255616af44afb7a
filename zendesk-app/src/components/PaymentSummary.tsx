import { Tag } from "@zendeskgarden/react-tags";
import { Well } from "@zendeskgarden/react-notifications";
import { SM, MD, XL } from "@zendeskgarden/react-typography";
import styled from "styled-components";
import type { PaymentTimeline } from "#app/zendesk/contract";
import { formatMoney } from "#app/lib/money";
import { STATE_LABEL } from "../labels";
import { formatDate } from "../note";

const Row = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 4px 8px;
`;

const Muted = styled(SM)`
  color: #68737d;
  overflow-wrap: anywhere;
`;

const Figures = styled.dl`
  display: grid;
  grid-template-columns: auto 1fr;
  gap: 2px 12px;
  margin: 8px 0 0;
  font-size: 13px;
  dt {
    color: #68737d;
  }
  dd {
    margin: 0;
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
`;

export function PaymentSummary({ timeline, locale }: { timeline: PaymentTimeline; locale: string }) {
  const { payment } = timeline;
  const money = (minor: number) => formatMoney(minor, payment.currency);
  const state = STATE_LABEL[payment.state];
  const card = payment.cardLast4 ? `${payment.cardScheme ?? "Card"} •••• ${payment.cardLast4}` : null;
  return (
    <Well isRecessed aria-label="Payment summary">
      <Row>
        <XL tag="p" isBold style={{ margin: 0 }} data-testid="payment-amount">
          {money(payment.amount)}
        </XL>
        <Tag hue={state.hue}>{state.label}</Tag>
        {payment.riskFlagged ? <Tag hue="red">Risk flagged</Tag> : null}
      </Row>
      <MD>{[payment.orderName ? `Order ${payment.orderName}` : null, card].filter(Boolean).join(" · ")}</MD>
      <Muted>
        {[payment.customerName, payment.customerEmail].filter(Boolean).join(" · ")}
        {payment.customerName || payment.customerEmail ? <br /> : null}
        {payment.paymentId} · {formatDate(payment.createdAt, locale)}
      </Muted>
      <Figures>
        <dt>Captured</dt>
        <dd>{money(payment.capturedAmount)}</dd>
        <dt>Refunded</dt>
        <dd>{money(payment.refundedAmount)}</dd>
        <dt>Refundable</dt>
        <dd data-testid="refundable">{money(payment.refundableAmount)}</dd>
      </Figures>
    </Well>
  );
}
