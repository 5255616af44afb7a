import { Tag } from "@zendeskgarden/react-tags";
import { MD, SM } from "@zendeskgarden/react-typography";
import styled from "styled-components";
import type { PaymentCandidate } from "#app/zendesk/contract";
import { formatMoney } from "#app/lib/money";
import { STATE_LABEL } from "../labels";
import { formatDate } from "../note";

const List = styled.ul`
  list-style: none;
  margin: 0;
  padding: 0;
  display: grid;
  gap: 6px;
`;

const Choice = styled.button`
  display: block;
  width: 100%;
  text-align: left;
  padding: 8px 10px;
  border: 1px solid #d8dcde;
  border-radius: 4px;
  background: #fff;
  color: inherit;
  font: inherit;
  cursor: pointer;
  &:hover {
    border-color: #1f73b7;
    background: #edf7ff;
  }
  &:focus-visible {
    outline: 2px solid #1f73b7;
    outline-offset: 1px;
  }
`;

const Line = styled.span`
  display: flex;
  justify-content: space-between;
  align-items: center;
  gap: 8px;
`;

/** Several payments matched: the agent says which one the ticket is about. */
export function PaymentPicker(props: { payments: PaymentCandidate[]; locale: string; onPick: (paymentId: string) => void }) {
  const { payments, locale, onPick } = props;
  return (
    <section aria-label="Matching payments">
      <MD isBold style={{ marginBottom: 6 }}>
        {payments.length} payments match. Which one is this ticket about?
      </MD>
      <List>
        {payments.map((p) => {
          const state = STATE_LABEL[p.state];
          return (
            <li key={p.paymentId}>
              <Choice type="button" onClick={() => onPick(p.paymentId)}>
                <Line>
                  <MD isBold tag="span">
                    {p.orderName ?? p.paymentId} · {formatMoney(p.amount, p.currency)}
                  </MD>
                  <Tag hue={state.hue} size="small">
                    {state.label}
                  </Tag>
                </Line>
                <SM tag="span" style={{ display: "block", color: "#68737d" }}>
                  {formatDate(p.createdAt, locale)}
                  {p.cardLast4 ? ` · •••• ${p.cardLast4}` : ""}
                  {p.customerEmail ? ` · ${p.customerEmail}` : ""}
                </SM>
              </Choice>
            </li>
          );
        })}
      </List>
    </section>
  );
}
