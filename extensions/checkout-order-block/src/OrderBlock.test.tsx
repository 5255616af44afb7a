/** @jsxImportSource preact */
// @vitest-environment jsdom
// The block's states, rendered with fake data sources. Polaris web components are plain custom
// elements in jsdom, so what the merchant would read is their text and attributes.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { OrderBlockData, OrderBlockPayment } from "../../../app/order-block/types";
import { orderBlockLoader } from "./load";
import { OrderBlock, type LoadOrderBlock } from "./OrderBlock";

const ORDER = "gid://shopify/Order/450789469";
const NOW = new Date("2026-03-10T12:00:00Z");

function payment(overrides: Partial<OrderBlockPayment> = {}): OrderBlockPayment {
  return {
    ckoPaymentId: "pay_aaaabbbbccccddddeeeeffff01",
    status: "Authorized",
    amount: 12_345,
    currency: "USD",
    capturedAmount: 0,
    refundedAmount: 0,
    riskScore: 82,
    riskFlags: ["Flagged by Checkout.com risk checks"],
    decline: null,
    hold: { id: "hold-1", status: "held", ruleHits: ["Risk score 82 is at or above 70"] },
    disputes: [],
    ...overrides,
  };
}

const found =
  (...payments: OrderBlockPayment[]): LoadOrderBlock =>
  async () => ({
    kind: "found",
    data: { orderGid: ORDER, payments } satisfies OrderBlockData,
  });

afterEach(cleanup);

describe("OrderBlock", () => {
  it("shows a spinner while loading and asks for the viewed order's numeric id", async () => {
    const load = vi.fn<LoadOrderBlock>(() => new Promise(() => {}));
    render(<OrderBlock orderGid={ORDER} load={load} />);
    expect(screen.getByText("Loading the Checkout.com payment…")).toBeTruthy();
    expect(document.querySelector("s-spinner")).not.toBeNull();
    expect(load).toHaveBeenCalledWith("450789469");
  });

  it("says so when the order has no Checkout.com payment", async () => {
    render(<OrderBlock orderGid={ORDER} load={async () => ({ kind: "none" })} />);
    expect(await screen.findByText(/No Checkout.com payment is linked to this order/)).toBeTruthy();
    expect(document.querySelector("s-spinner")).toBeNull();
  });

  it("renders nothing to load when no order is selected", () => {
    const load = vi.fn<LoadOrderBlock>();
    render(<OrderBlock orderGid={undefined} load={load} />);
    expect(screen.getByText("Open an order to see its Checkout.com payment.")).toBeTruthy();
    expect(load).not.toHaveBeenCalled();
  });

  it("shows the error and loads again on Try again", async () => {
    const load = vi
      .fn<LoadOrderBlock>()
      .mockRejectedValueOnce(new Error("The app answered HTTP 502. Try again in a moment."))
      .mockImplementationOnce(found(payment()));
    render(<OrderBlock orderGid={ORDER} load={load} now={() => NOW} />);

    const banner = await waitFor(() => {
      const el = document.querySelector("s-banner");
      if (!el) throw new Error("no banner yet");
      return el;
    });
    expect(banner.getAttribute("tone")).toBe("critical");
    expect(screen.getByText("The app answered HTTP 502. Try again in a moment.")).toBeTruthy();

    fireEvent.click(screen.getByText("Try again"));
    expect(await screen.findByText("USD 123.45")).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(2);
    expect(document.querySelector("s-banner")).toBeNull();
  });

  it("shows status, amount, risk score, flags, rule hits and a link to release the hold", async () => {
    render(<OrderBlock orderGid={ORDER} load={found(payment())} now={() => NOW} />);

    expect(await screen.findByText("USD 123.45")).toBeTruthy();
    expect(screen.getByText("Authorized").getAttribute("tone")).toBe("info");
    expect(screen.getByText("Risk score 82/100")).toBeTruthy();
    expect(screen.getByText("Flagged by Checkout.com risk checks")).toBeTruthy();
    expect(screen.getByText("Risk score 82 is at or above 70")).toBeTruthy();
    expect(screen.getByText("Fulfillment on hold").getAttribute("tone")).toBe("critical");
    const release = screen.getByText("Review and release");
    expect(release.tagName.toLowerCase()).toBe("s-link");
    expect(release.getAttribute("href")).toBe("app:app/holds/hold-1");
  });

  it("shows a monitored hold without offering a release, and a missing risk score", async () => {
    render(
      <OrderBlock
        orderGid={ORDER}
        load={found(payment({ riskScore: null, riskFlags: [], hold: { id: "hold-2", status: "monitored", ruleHits: [] } }))}
        now={() => NOW}
      />,
    );
    expect(await screen.findByText("Monitored, not held")).toBeTruthy();
    expect(screen.queryByText("Review and release")).toBeNull();
    expect(screen.getByText("Review in the app").getAttribute("href")).toBe("app:app/holds/hold-2");
    expect(screen.getByText("No risk score")).toBeTruthy();
    expect(document.querySelector("s-unordered-list")).toBeNull();
  });

  it("shows captured and refunded totals, and the decline reason with its class", async () => {
    render(
      <OrderBlock
        orderGid={ORDER}
        load={found(
          payment({ ckoPaymentId: "pay_new", status: "Partially Refunded", capturedAmount: 12_345, refundedAmount: 2_000, hold: null }),
          payment({
            ckoPaymentId: "pay_old",
            status: "Declined",
            amount: 500,
            currency: "JPY",
            hold: null,
            decline: { class: "soft", reason: "Insufficient funds" },
          }),
        )}
        now={() => NOW}
      />,
    );
    expect(await screen.findByText(/Captured USD 123.45/)).toBeTruthy();
    expect(screen.getByText(/refunded USD 20.00/)).toBeTruthy();
    expect(screen.getByText("JPY 500")).toBeTruthy();
    expect(screen.getByText(/Insufficient funds/).textContent).toBe("Insufficient funds (Soft decline: the customer may retry)");
    expect(document.querySelectorAll("s-divider")).toHaveLength(1);
  });

  it("shows an open dispute with its category, deadline and time left", async () => {
    const dispute = {
      id: "d-1",
      ckoDisputeId: "dsp_1",
      status: "evidence_required",
      category: "product_service_not_received",
      amount: 12_345,
      currency: "USD",
      evidenceRequiredBy: "2026-03-11T09:00:00.000Z",
    };
    render(<OrderBlock orderGid={ORDER} load={found(payment({ hold: null, disputes: [dispute] }))} now={() => NOW} />);

    expect(await screen.findByText("Evidence required")).toBeTruthy();
    expect(screen.getByText("Dispute USD 123.45")).toBeTruthy();
    expect(screen.getByText("Product or service not received")).toBeTruthy();
    const due = screen.getByText(/Evidence due/);
    expect(due.textContent).toBe("Evidence due Mar 11, 2026, 9:00 AM UTC (21 hours left)");
    expect(due.getAttribute("tone")).toBe("critical");
    expect(screen.getByText("Open dispute").getAttribute("href")).toBe("app:app/disputes/d-1");
  });

  it("shows a decided dispute without a deadline", async () => {
    const dispute = {
      id: "d-2",
      ckoDisputeId: "dsp_2",
      status: "won",
      category: "fraudulent",
      amount: 100,
      currency: "EUR",
      evidenceRequiredBy: "2026-02-01T00:00:00.000Z",
    };
    render(<OrderBlock orderGid={ORDER} load={found(payment({ hold: null, disputes: [dispute] }))} now={() => NOW} />);
    expect((await screen.findByText("Won")).getAttribute("tone")).toBe("success");
    expect(screen.queryByText(/Evidence due/)).toBeNull();
  });
});

describe("orderBlockLoader", () => {
  const reply = (status: number, body: unknown) => async () => Response.json(body, { status });

  it("reads the app route with a relative URL (resolved against the app URL by Shopify)", async () => {
    const fetchImpl = vi.fn<typeof fetch>(reply(200, { orderGid: ORDER, payments: [] }));
    const result = await orderBlockLoader(fetchImpl)("450789469");
    expect(fetchImpl.mock.calls[0][0]).toBe("/api/order-block/450789469");
    expect(result).toEqual({ kind: "found", data: { orderGid: ORDER, payments: [] } });
  });

  it("treats 404 as no payment for the order", async () => {
    expect(await orderBlockLoader(reply(404, { error: "No Checkout.com payment is linked to this order." }))("1")).toEqual({ kind: "none" });
  });

  it("turns other answers into errors people can act on", async () => {
    await expect(orderBlockLoader(reply(401, {}))("1")).rejects.toThrow("Reload the page");
    await expect(orderBlockLoader(reply(400, { error: "The order id must be numeric." }))("1")).rejects.toThrow(
      "The order id must be numeric. Try again in a moment.",
    );
    await expect(orderBlockLoader(async () => new Response("Bad gateway", { status: 502 }))("1")).rejects.toThrow("HTTP 502");
  });
});
