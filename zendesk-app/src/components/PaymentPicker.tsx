import { Tag } from "@zendeskgarden/react-tags";
import { MD, SM } from "@zendeskgarden/react-typography";
import styled from "styled-components";
import type { PaymentCandidate } from "#app/zendesk/contract";
import { STATE_HUE } from "../labels";
import { useSpeech } from "../words";

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
export function PaymentPicker(props: { payments: PaymentCandidate[]; onPick: (paymentId: string) => void }) {
  const { payments, onPick } = props;
  const { w, date, money } = useSpeech();
  return (
    <section aria-label={w.find.matchingLabel}>
      <MD isBold style={{ marginBottom: 6 }}>
        {w.find.matching(payments.length)}
      </MD>
      <List>
        {payments.map((p) => {
          return (
            <li key={p.paymentId}>
              <Choice type="button" onClick={() => onPick(p.paymentId)}>
                <Line>
                  <MD isBold tag="span">
                    {p.orderName ?? p.paymentId} · {money(p.amount, p.currency)}
                  </MD>
                  <Tag hue={STATE_HUE[p.state]} size="small">
                    {w.states[p.state]}
                  </Tag>
                </Line>
                <SM tag="span" style={{ display: "block", color: "#68737d" }}>
                  {date(p.createdAt)}
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
