// The Shopify order behind the payment, beside its timeline: what was bought, where it ships, how far
// it got (tracking links open the carrier's page in a new tab), Shopify's financial status and the
// app's risk hold.
import { Anchor } from "@zendeskgarden/react-buttons";
import { Well } from "@zendeskgarden/react-notifications";
import { Tag } from "@zendeskgarden/react-tags";
import { MD, SM } from "@zendeskgarden/react-typography";
import styled from "styled-components";
import type { OrderView } from "#app/zendesk/contract";
import { useSpeech } from "../words";
import { Hint } from "./layout";

const Row = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 4px 8px;
`;

const Items = styled.ul`
  list-style: none;
  margin: 4px 0 0;
  padding: 0;
  display: grid;
  gap: 2px;
  font-size: 13px;
  li {
    display: flex;
    justify-content: space-between;
    gap: 8px;
  }
  span:last-child {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }
`;

const Part = styled.div`
  margin-top: 8px;
  overflow-wrap: anywhere;
`;

const HOLD_HUE = { pending: "yellow", held: "red", monitored: "yellow", released: "green", canceled: "grey", failed: "red" } as const;

/** Shopify's status code in the agent's words, or the code made readable when it is a new one. */
const said = (table: Record<string, string>, code: string) => table[code] ?? code.toLowerCase().replace(/_/g, " ");

export function OrderSection({ view, error }: { view: OrderView | null; error: string | null }) {
  const { w, date, money } = useSpeech();
  const heading = (
    <MD isBold tag="h2" style={{ margin: "0 0 4px" }}>
      {w.order.title}
    </MD>
  );
  if (!view)
    return (
      <Well isRecessed aria-label={w.order.title}>
        {heading}
        <Hint>{error ? `${w.order.couldNotLoad}: ${error}` : w.order.loading}</Hint>
      </Well>
    );
  const { order, hold } = view;
  return (
    <Well isRecessed aria-label={w.order.title}>
      {heading}
      {hold ? (
        <Part data-testid="order-hold">
          <Tag hue={HOLD_HUE[hold.status]}>{w.order.hold[hold.status]}</Tag>
          {hold.reasons.length ? <SM>{`${w.order.holdReasons}: ${hold.reasons.join("; ")}`}</SM> : null}
        </Part>
      ) : null}
      {!order ? <Hint>{view.missing === "not_in_shopify" ? w.order.notInShopify : w.order.notLinked}</Hint> : null}
      {order ? (
        <>
          <SM>{w.order.placed(order.name, date(order.createdAt))}</SM>
          <Row style={{ marginTop: 4 }}>
            {order.cancelledAt ? <Tag hue="grey">{w.order.canceledOn(date(order.cancelledAt))}</Tag> : null}
            {order.financialStatus ? <Tag data-testid="order-financial">{said(w.order.financial, order.financialStatus)}</Tag> : null}
            <Tag data-testid="order-fulfilment">{said(w.order.fulfilment_status, order.fulfillmentStatus)}</Tag>
          </Row>
          <Part>
            <SM isBold>{w.order.items}</SM>
            <Items>
              {order.lineItems.map((item, index) => (
                <li key={index} data-testid="order-item">
                  <span>
                    {item.quantity} × {item.title}
                    {item.variantTitle ? ` (${item.variantTitle})` : ""}
                  </span>
                  <span>{money(item.unitPrice.amount, item.unitPrice.currency)}</span>
                </li>
              ))}
            </Items>
            {order.moreLineItems ? <Hint>{w.order.more}</Hint> : null}
          </Part>
          <Part>
            <SM isBold>{w.order.fulfilment}</SM>
            {order.fulfillments.length === 0 ? <Hint>{w.order.notShipped}</Hint> : null}
            {order.fulfillments.map((f, index) => (
              <div key={index} data-testid="order-fulfilment-row">
                <SM>
                  {said(w.order.fulfilment_status, f.status)}
                  {f.deliveredAt ? `, ${w.order.delivered(date(f.deliveredAt))}` : ""}
                </SM>
                {f.tracking.map((t, i) =>
                  t.url ? (
                    <SM key={i}>
                      <Anchor href={t.url} target="_blank" rel="noopener noreferrer">
                        {w.order.track(w.order.trackingNumber(t.company, t.number ?? ""))}
                      </Anchor>
                    </SM>
                  ) : t.number ? (
                    <SM key={i}>{w.order.trackingNumber(t.company, t.number)}</SM>
                  ) : null,
                )}
              </div>
            ))}
          </Part>
          {order.shippingAddress ? (
            <Part>
              <SM isBold>{w.order.shipping}</SM>
              <SM data-testid="order-address">
                {[order.shippingAddress.name, order.shippingAddress.company, ...order.shippingAddress.lines, order.shippingAddress.country]
                  .filter(Boolean)
                  .map((line, i) => (
                    <span key={i} style={{ display: "block" }}>
                      {line}
                    </span>
                  ))}
              </SM>
            </Part>
          ) : null}
        </>
      ) : null}
    </Well>
  );
}

/** Shopify refuses to cancel an order once anything on it shipped. */
export const hasShipped = (order: NonNullable<OrderView["order"]>) =>
  order.fulfillmentStatus === "FULFILLED" || order.fulfillmentStatus === "PARTIALLY_FULFILLED";
