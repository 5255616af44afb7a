/** @jsxImportSource preact */
// @vitest-environment jsdom
// The block's states, rendered with fake data sources and the i18n of a language, backed by the real
// locale files (a missing key fails). Polaris web components are plain custom elements in jsdom, so
// what the merchant would read is their text and attributes.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EVIDENCE_RECEIVED_STATUSES, OPEN_DISPUTE_STATUSES, categoryLabel, isKnownCategory, isKnownStatus, statusBadge } from "../../../app/disputes/status";
import { describeHit, type RuleHit, type RuleId } from "../../../app/holds/rules";
import { formatMoneyIn } from "../../../app/lib/money";
import type { OrderBlockData, OrderBlockDispute, OrderBlockPayment } from "../../../app/order-block/types";
import { classifyResponse, explainResponse } from "../../../app/payments/declines";
import { PAYMENT_STATUSES, paymentStatusKey } from "../../../app/payments/status";
import { LOCALE_FILES, testI18n, type Language, type Messages } from "./i18n.testing";
import { OrderBlockLoadError, orderBlockLoader } from "./load";
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
    riskFlags: ["flagged"],
    decline: null,
    hold: { id: "hold-1", status: "held", ruleHits: [{ rule: "risk_score", value: 82, threshold: 70 }] },
    disputes: [],
    ...overrides,
  };
}

const openDispute: OrderBlockDispute = {
  id: "d-1",
  ckoDisputeId: "dsp_1",
  status: "evidence_required",
  category: "product_service_not_received",
  amount: 12_345,
  currency: "USD",
  evidenceRequiredBy: "2026-03-11T09:00:00.000Z",
};

const found =
  (...payments: OrderBlockPayment[]): LoadOrderBlock =>
  async () => ({
    kind: "found",
    data: { orderGid: ORDER, payments } satisfies OrderBlockData,
  });

// Every i18n a test made must have found every key, plural form and replacement it was asked for.
const made: Array<ReturnType<typeof testI18n>> = [];
function i18nIn(language: Language) {
  const i18n = testI18n(language);
  made.push(i18n);
  return i18n;
}

afterEach(() => {
  cleanup();
  for (const i18n of made.splice(0)) expect(i18n.missing).toEqual([]);
});

describe("OrderBlock", () => {
  it("shows a spinner while loading and asks for the viewed order's numeric id", async () => {
    const load = vi.fn<LoadOrderBlock>(() => new Promise(() => {}));
    render(<OrderBlock orderGid={ORDER} load={load} i18n={i18nIn("en")} />);
    expect(screen.getByText("Loading the Checkout.com payment…")).toBeTruthy();
    expect(document.querySelector("s-spinner")?.getAttribute("accessibilityLabel")).toBe("Loading the Checkout.com payment");
    expect(load).toHaveBeenCalledWith("450789469");
  });

  it("says so when the order has no Checkout.com payment", async () => {
    render(<OrderBlock orderGid={ORDER} load={async () => ({ kind: "none" })} i18n={i18nIn("en")} />);
    expect(await screen.findByText(/No Checkout.com payment is linked to this order/)).toBeTruthy();
    expect(document.querySelector("s-spinner")).toBeNull();
  });

  it("renders nothing to load when no order is selected", () => {
    const load = vi.fn<LoadOrderBlock>();
    render(<OrderBlock orderGid={undefined} load={load} i18n={i18nIn("en")} />);
    expect(screen.getByText("Open an order to see its Checkout.com payment.")).toBeTruthy();
    expect(load).not.toHaveBeenCalled();
  });

  it("shows the error and loads again on Try again", async () => {
    const load = vi
      .fn<LoadOrderBlock>()
      .mockRejectedValueOnce(new OrderBlockLoadError({ kind: "http", status: 502 }))
      .mockImplementationOnce(found(payment()));
    render(<OrderBlock orderGid={ORDER} load={load} now={() => NOW} i18n={i18nIn("en")} />);

    const banner = await waitFor(() => {
      const el = document.querySelector("s-banner");
      if (!el) throw new Error("no banner yet");
      return el;
    });
    expect(banner.getAttribute("tone")).toBe("critical");
    expect(banner.getAttribute("heading")).toBe("Could not load the Checkout.com payment");
    expect(screen.getByText("The app answered HTTP 502. Try again in a moment.")).toBeTruthy();

    fireEvent.click(screen.getByText("Try again"));
    expect(await screen.findByText("$123.45")).toBeTruthy();
    expect(load).toHaveBeenCalledTimes(2);
    expect(document.querySelector("s-banner")).toBeNull();
  });

  it("asks to reload the page when the session was refused, and says the app is unreachable on any other failure", async () => {
    render(<OrderBlock orderGid={ORDER} load={() => Promise.reject(new OrderBlockLoadError({ kind: "session" }))} i18n={i18nIn("en")} />);
    expect(await screen.findByText("Your admin session could not be verified. Reload the page and try again.")).toBeTruthy();
    cleanup();
    render(<OrderBlock orderGid={ORDER} load={() => Promise.reject(new TypeError("boom"))} i18n={i18nIn("en")} />);
    expect(await screen.findByText("The app could not be reached. Try again in a moment.")).toBeTruthy();
  });

  it("shows status, amount, risk score, flags, rule hits and a link to release the hold", async () => {
    render(<OrderBlock orderGid={ORDER} load={found(payment())} now={() => NOW} i18n={i18nIn("en")} />);

    expect(await screen.findByText("$123.45")).toBeTruthy();
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
        i18n={i18nIn("en")}
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
            decline: { class: "soft", reason: { kind: "code", code: "20051" } },
          }),
        )}
        now={() => NOW}
        i18n={i18nIn("en")}
      />,
    );
    expect(await screen.findByText("Captured $123.45, refunded $20.00")).toBeTruthy();
    expect(screen.getByText("Partially Refunded")).toBeTruthy();
    expect(screen.getByText("¥500")).toBeTruthy();
    expect(screen.getByText(/Insufficient funds/).textContent).toBe("Insufficient funds (Soft decline: the customer may retry)");
    expect(document.querySelectorAll("s-divider")).toHaveLength(1);
  });

  it("says a decline's reason from its class, Checkout.com's summary, or plainly, and keeps a status it does not know", async () => {
    const declined = (id: string, decline: OrderBlockPayment["decline"], status = "Declined") =>
      payment({ ckoPaymentId: id, status, hold: null, riskFlags: [], decline });
    render(
      <OrderBlock
        orderGid={ORDER}
        load={found(
          declined("p1", { class: "hard", reason: { kind: "class", declineClass: "hard" } }),
          declined("p2", { class: null, reason: { kind: "summary", summary: "Issuer said no" } }),
          declined("p3", { class: null, reason: { kind: "none", approved: false } }, "Settled Somehow"),
        )}
        now={() => NOW}
        i18n={i18nIn("en")}
      />,
    );
    expect(await screen.findByText("Declined by the issuer; this card cannot be used (Hard decline: this card cannot be used)")).toBeTruthy();
    expect(screen.getByText("Issuer said no")).toBeTruthy();
    expect(screen.getByText("Settled Somehow")).toBeTruthy();
    expect(screen.getAllByText("Declined").map((el) => el.tagName.toLowerCase())).toEqual(["s-badge", "s-badge", "s-text"]);
  });

  it("shows an open dispute with its category, deadline and time left", async () => {
    render(<OrderBlock orderGid={ORDER} load={found(payment({ hold: null, disputes: [openDispute] }))} now={() => NOW} i18n={i18nIn("en")} />);

    expect(await screen.findByText("Evidence required")).toBeTruthy();
    expect(screen.getByText("Dispute $123.45")).toBeTruthy();
    expect(screen.getByText("Product or service not received")).toBeTruthy();
    const due = screen.getByText(/Evidence due/);
    expect(due.textContent).toBe("Evidence due Mar 11, 2026, 9:00 AM UTC (21 hours left)");
    expect(due.getAttribute("tone")).toBe("critical");
    expect(screen.getByText("Open dispute").getAttribute("href")).toBe("app:app/disputes/d-1");
  });

  it("shows a decided dispute without a deadline", async () => {
    const dispute = { ...openDispute, id: "d-2", status: "won", category: "fraudulent", currency: "EUR", evidenceRequiredBy: "2026-02-01T00:00:00.000Z" };
    render(<OrderBlock orderGid={ORDER} load={found(payment({ hold: null, disputes: [dispute] }))} now={() => NOW} i18n={i18nIn("en")} />);
    expect((await screen.findByText("Won")).getAttribute("tone")).toBe("success");
    expect(screen.queryByText(/Evidence due/)).toBeNull();
  });
});

describe("OrderBlock in German", () => {
  it("says everything in German, with German money and dates", async () => {
    render(
      <OrderBlock
        orderGid={ORDER}
        load={found(
          payment({
            capturedAmount: 12_345,
            refundedAmount: 2_000,
            status: "Partially Refunded",
            hold: {
              id: "hold-1",
              status: "held",
              ruleHits: [
                { rule: "risk_score", value: 82, threshold: 70 },
                { rule: "amount", value: 12_345, threshold: 10_000 },
                { rule: "velocity_payments", value: 4, threshold: 3, subject: "email ada@example.com", hours: 24 },
              ],
            },
            disputes: [openDispute],
          }),
          payment({
            ckoPaymentId: "pay_old",
            status: "Declined",
            riskFlags: ["cvv_no_match"],
            hold: null,
            decline: { class: "soft", reason: { kind: "code", code: "20051" } },
          }),
        )}
        now={() => NOW}
        i18n={i18nIn("de")}
      />,
    );

    expect(await screen.findByText("Teilweise rückerstattet")).toBeTruthy();
    expect(screen.getAllByText("123,45 $")).toHaveLength(2);
    expect(screen.getByText("Erfasst: 123,45 $, rückerstattet: 20,00 $")).toBeTruthy();
    expect(screen.getAllByText("Risikowert 82/100")).toHaveLength(2);
    expect(screen.getByText("Von den Risikoprüfungen von Checkout.com markiert")).toBeTruthy();
    expect(screen.getByText("CVV stimmt nicht überein")).toBeTruthy();

    expect(screen.getByText("Ausführung gesperrt").getAttribute("tone")).toBe("critical");
    expect(screen.getByText("Prüfen und freigeben").getAttribute("href")).toBe("app:app/holds/hold-1");
    // Intl puts a no-break space before the currency sign.
    expect([...document.querySelectorAll("s-list-item")].map((li) => li.textContent?.replace(/\s/g, " "))).toEqual([
      "Risikowert 82 liegt bei oder über 70",
      "Betrag 123,45 $ liegt bei oder über 100,00 $",
      "4 Zahlungen für die E-Mail-Adresse ada@example.com in 24 Std. (mehr als 3)",
    ]);

    expect(screen.getByText("Streitfall über 123,45 $")).toBeTruthy();
    expect(screen.getByText("Nachweise erforderlich")).toBeTruthy();
    expect(screen.getByText("Ware oder Leistung nicht erhalten")).toBeTruthy();
    expect(screen.getByText("Streitfall öffnen")).toBeTruthy();
    expect(screen.getByText(/^Frist für Nachweise/).textContent).toBe("Frist für Nachweise: 11. März 2026, 09:00 UTC (noch 21 Stunden)");

    expect(screen.getByText("Abgelehnt")).toBeTruthy();
    expect(screen.getByText(/^Unzureichende Deckung/).textContent).toBe("Unzureichende Deckung (Vorübergehende Ablehnung: Der Kunde kann es erneut versuchen)");
  });

  it("says the states around the data in German", async () => {
    render(<OrderBlock orderGid={undefined} load={vi.fn<LoadOrderBlock>()} i18n={i18nIn("de")} />);
    expect(screen.getByText("Öffnen Sie eine Bestellung, um ihre Checkout.com-Zahlung zu sehen.")).toBeTruthy();
    cleanup();
    render(<OrderBlock orderGid={ORDER} load={() => Promise.reject(new OrderBlockLoadError({ kind: "http", status: 500 }))} i18n={i18nIn("de")} />);
    expect(await screen.findByText("Die App hat mit HTTP 500 geantwortet. Versuchen Sie es gleich noch einmal.")).toBeTruthy();
    expect(screen.getByText("Erneut versuchen")).toBeTruthy();
    expect(document.querySelector("s-banner")?.getAttribute("heading")).toBe("Die Checkout.com-Zahlung konnte nicht geladen werden");
  });
});

// One hit of every rule (a new RuleId fails the typecheck until it is here and in the locale files).
const EVERY_HIT = {
  flagged: { rule: "flagged", value: true },
  risk_score: { rule: "risk_score", value: 91, threshold: 70 },
  amount: { rule: "amount", value: 150_000, threshold: 100_000 },
  billing_shipping_country: { rule: "billing_shipping_country", value: "FR", threshold: "US" },
  ip_country: { rule: "ip_country", value: "NG", threshold: "US" },
  card_country: { rule: "card_country", value: "BR", threshold: "US" },
  deny_email: { rule: "deny_email", value: "ada@example.com" },
  deny_card_fingerprint: { rule: "deny_card_fingerprint", value: "abcdef123456" },
  deny_bin: { rule: "deny_bin", value: "424242", threshold: "4242" },
  deny_customer: { rule: "deny_customer", value: "cus_123" },
  velocity_payments: { rule: "velocity_payments", value: 5, threshold: 4, subject: "IP address 203.0.113.9", hours: 24 },
  velocity_cards: { rule: "velocity_cards", value: 3, threshold: 2, subject: "card abcdef123456…", hours: 6 },
  avs_no_match: { rule: "avs_no_match", value: "N" },
  cvv_no_match: { rule: "cvv_no_match", value: "N" },
  three_ds: { rule: "three_ds", value: "attempted" },
  prior_chargeback: { rule: "prior_chargeback", value: 2 },
  prior_refund: { rule: "prior_refund", value: 1 },
  early_warning: { rule: "early_warning", value: "fraud_reported", threshold: "Card reported stolen" },
} satisfies Record<RuleId, RuleHit>;

const EVERY_STATE: OrderBlockPayment[] = [
  ...["pending", "held", "monitored", "failed", "released", "canceled", "someday_new"].map((status, i) =>
    payment({
      ckoPaymentId: `pay_hold_${i}`,
      status: PAYMENT_STATUSES[i],
      riskFlags: ["flagged", "cvv_no_match", "avs_no_match"],
      hold: { id: `hold-${i}`, status, ruleHits: i === 0 ? Object.values(EVERY_HIT) : [] },
    }),
  ),
  ...PAYMENT_STATUSES.slice(7).map((status, i) =>
    payment({
      ckoPaymentId: `pay_status_${i}`,
      status,
      capturedAmount: 100,
      refundedAmount: i % 2 ? 50 : 0,
      riskScore: null,
      hold: null,
      decline: { class: (["soft", "hard", "risk", null] as const)[i % 4], reason: { kind: "class", declineClass: "risk" } },
      disputes: [
        { ...openDispute, id: `d-${i}-a` },
        { ...openDispute, id: `d-${i}-e`, evidenceRequiredBy: "2026-03-20T00:00:00.000Z" },
        { ...openDispute, id: `d-${i}-b`, status: "evidence_under_review", category: null, evidenceRequiredBy: "2026-03-10T12:30:00.000Z" },
        { ...openDispute, id: `d-${i}-c`, status: "arbitration_under_review", category: "brand_new", evidenceRequiredBy: "2026-03-01T00:00:00.000Z" },
        { ...openDispute, id: `d-${i}-d`, status: "lost", category: "fraudulent" },
      ],
    }),
  ),
];

describe("every language", () => {
  it.each(["en", "fr", "de"] as const)("%s has every message the block can show, with its replacements", async (language) => {
    render(<OrderBlock orderGid={ORDER} load={found(...EVERY_STATE)} now={() => NOW} i18n={i18nIn(language)} />);
    await waitFor(() => expect(document.querySelectorAll("s-list-item")).toHaveLength(Object.keys(EVERY_HIT).length));
    expect(document.body.textContent).not.toMatch(/\{\{|\}\}/);
  });

  it("says each rule hit in English as the app's review queue does", async () => {
    render(<OrderBlock orderGid={ORDER} load={found(EVERY_STATE[0])} now={() => NOW} i18n={i18nIn("en")} />);
    await waitFor(() => expect(document.querySelectorAll("s-list-item")).toHaveLength(Object.keys(EVERY_HIT).length));
    const money = (minor: number) => formatMoneyIn("en", minor, "USD");
    expect([...document.querySelectorAll("s-list-item")].map((li) => li.textContent)).toEqual(Object.values(EVERY_HIT).map((hit) => describeHit(hit, money)));
  });
});

describe("the block's English (locales/en.default.json) says what the app says", () => {
  const en = LOCALE_FILES.en as Record<string, Messages>;
  const section = (path: string) => path.split(".").reduce<Messages>((m, part) => m[part] as Messages, en) as Record<string, string>;

  it("names each payment status as Checkout.com does", () => {
    expect(Object.keys(section("paymentStatus")).sort()).toEqual(PAYMENT_STATUSES.map((s) => paymentStatusKey(s)).sort());
    for (const status of PAYMENT_STATUSES) expect(section("paymentStatus")[paymentStatusKey(status)!]).toBe(status);
  });

  it("has a reason for exactly the response codes the app knows, in the app's words", () => {
    const known: string[] = [];
    for (let n = 10_000; n < 50_000; n++) if (explainResponse(String(n)).reason.kind === "code") known.push(String(n));
    expect(Object.keys(section("decline.reason")).sort()).toEqual(known);
    for (const code of known) expect(section("decline.reason")[code]).toBe(classifyResponse(code).reason);
  });

  it("has each dispute status and category the app has words for", () => {
    const statuses = Object.keys(section("dispute.status"));
    expect(statuses).toEqual(expect.arrayContaining([...OPEN_DISPUTE_STATUSES, ...EVIDENCE_RECEIVED_STATUSES, "canceled", "expired", "accepted"]));
    for (const status of statuses) {
      expect(isKnownStatus(status), status).toBe(true);
      expect(section("dispute.status")[status]).toBe(statusBadge(status).label);
    }
    for (const [category, label] of Object.entries(section("dispute.category"))) {
      expect(isKnownCategory(category), category).toBe(true);
      expect(label).toBe(categoryLabel(category));
    }
  });
});

describe("orderBlockLoader", () => {
  const reply = (status: number, body: unknown) => async () => Response.json(body, { status });
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => (error instanceof OrderBlockLoadError ? error.failure : error),
    );

  it("reads the app route with a relative URL (resolved against the app URL by Shopify)", async () => {
    const fetchImpl = vi.fn<typeof fetch>(reply(200, { orderGid: ORDER, payments: [] }));
    const result = await orderBlockLoader(fetchImpl)("450789469");
    expect(fetchImpl.mock.calls[0][0]).toBe("/api/order-block/450789469");
    expect(result).toEqual({ kind: "found", data: { orderGid: ORDER, payments: [] } });
  });

  it("treats 404 as no payment for the order", async () => {
    expect(await orderBlockLoader(reply(404, { error: "No Checkout.com payment is linked to this order." }))("1")).toEqual({ kind: "none" });
  });

  it("turns other answers into failures the block can put in words", async () => {
    expect(await failureOf(orderBlockLoader(reply(401, {}))("1"))).toEqual({ kind: "session" });
    expect(await failureOf(orderBlockLoader(reply(403, {}))("1"))).toEqual({ kind: "session" });
    expect(await failureOf(orderBlockLoader(reply(400, { error: "The order id must be numeric." }))("1"))).toEqual({ kind: "http", status: 400 });
    expect(await failureOf(orderBlockLoader(async () => new Response("Bad gateway", { status: 502 }))("1"))).toEqual({ kind: "http", status: 502 });
    expect(await failureOf(orderBlockLoader(async () => new Response("<html>", { status: 200 }))("1"))).toEqual({ kind: "unreachable" });
    expect(await failureOf(orderBlockLoader(() => Promise.reject(new TypeError("Failed to fetch")))("1"))).toEqual({ kind: "unreachable" });
  });
});
