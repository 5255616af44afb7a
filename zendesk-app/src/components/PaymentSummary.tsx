import { Tag } from "@zendeskgarden/react-tags";
import { Well } from "@zendeskgarden/react-notifications";
import { SM, MD, XL } from "@zendeskgarden/react-typography";
import styled from "styled-components";
import type { PaymentTimeline } from "#app/zendesk/contract";
import { STATE_HUE } from "../labels";
import { useSpeech } from "../words";

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

export function PaymentSummary({ timeline }: { timeline: PaymentTimeline }) {
  const { payment } = timeline;
  const { w, date, money: say } = useSpeech();
  const money = (minor: number) => say(minor, payment.currency);
  const card = payment.cardLast4 ? `${payment.cardScheme ?? w.payment.card} •••• ${payment.cardLast4}` : null;
  return (
    <Well isRecessed aria-label={w.payment.summary}>
      <Row>
        <XL tag="p" isBold style={{ margin: 0 }} data-testid="payment-amount">
          {money(payment.amount)}
        </XL>
        <Tag hue={STATE_HUE[payment.state]}>{w.states[payment.state]}</Tag>
        {payment.riskFlagged ? <Tag hue="red">{w.payment.riskFlagged}</Tag> : null}
      </Row>
      <MD>{[payment.orderName ? w.payment.order(payment.orderName) : null, card].filter(Boolean).join(" · ")}</MD>
      <Muted>
        {[payment.customerName, payment.customerEmail].filter(Boolean).join(" · ")}
        {payment.customerName || payment.customerEmail ? <br /> : null}
        {payment.paymentId} · {date(payment.createdAt)}
      </Muted>
      <Figures>
        <dt>{w.payment.captured}</dt>
        <dd>{money(payment.capturedAmount)}</dd>
        <dt>{w.payment.refunded}</dt>
        <dd>{money(payment.refundedAmount)}</dd>
        <dt>{w.payment.refundable}</dt>
        <dd data-testid="refundable">{money(payment.refundableAmount)}</dd>
      </Figures>
    </Well>
  );
}
