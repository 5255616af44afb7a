import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  conversationFixture,
  disputeFactsFixture,
  evidenceInputFixture,
  lineItemsFixture,
  orderFixture,
  paymentFactsFixture,
  shopFactsFixture,
} from "../../test/fixtures/evidence";
import { EVIDENCE_TYPES, fileFieldOf, TEXT_FIELDS, textFieldOf, type EvidenceInput } from "./model";
import { CATEGORY_EVIDENCE, chooseEvidenceTypes, planEvidence } from "./plan";

const plan = (overrides: Partial<EvidenceInput> = {}, category = "fraudulent", relevantEvidence: string[] = []) =>
  planEvidence(evidenceInputFixture({ dispute: disputeFactsFixture({ category, relevantEvidence }), ...overrides }));

describe("choosing the evidence", () => {
  it("follows relevant_evidence when Checkout.com gives it, ignoring types it does not know", () => {
    expect(chooseEvidenceTypes("fraudulent", ["customer_communication", "something_new", "invoice_or_receipt"])).toEqual([
      "customer_communication",
      "invoice_or_receipt",
    ]);
  });

  it("falls back to the category's usual evidence, and to general for an unknown category", () => {
    expect(chooseEvidenceTypes("duplicate", [])).toEqual(["invoice_showing_distinct_transactions", "invoice_or_receipt"]);
    expect(chooseEvidenceTypes("brand_new_reason", [])).toEqual(CATEGORY_EVIDENCE.general);
    expect(chooseEvidenceTypes(null, [])).toEqual(CATEGORY_EVIDENCE.general);
  });

  it("writes exactly the chosen types: relevant_evidence overrides the category", () => {
    const p = plan({}, "fraudulent", ["refund_or_cancellation_policy"]);
    expect(p.types).toEqual(["refund_or_cancellation_policy"]);
    expect(Object.keys(p.texts)).toEqual(["refund_or_cancellation_policy_text"]);
    expect(p.documents.map((d) => d.field)).toEqual(["refund_or_cancellation_policy_file"]);
  });
});

describe("mapping per dispute category (fixture order, no relevant_evidence)", () => {
  it.each(Object.keys(CATEGORY_EVIDENCE))("%s: a text and a PDF for each of the category's evidence types", (category) => {
    const p = plan({}, category);
    expect(p.types).toEqual(CATEGORY_EVIDENCE[category]);
    expect(p.missing).toEqual([]);
    for (const type of p.types) {
      expect(p.texts[textFieldOf(type)], type).toMatch(/\S/);
      expect(
        p.documents.some((d) => d.field === fileFieldOf(type)),
        type,
      ).toBe(true);
    }
    for (const text of Object.values(p.texts)) expect(text!.length).toBeLessThanOrEqual(500);
  });

  it("fraudulent: delivery with carrier, tracking and date to the billing address; card checks; undisputed history", () => {
    const p = plan({}, "fraudulent");
    const delivery = p.texts.proof_of_delivery_or_service_text!;
    expect(delivery).toContain("Order #1001");
    expect(delivery).toContain("UPS");
    expect(delivery).toContain("1Z999AA10123456784");
    expect(delivery).toContain("delivery on 6 Jan 2026");
    expect(delivery).toContain("1 Main St");
    expect(delivery).toContain("billing address");
    expect(p.texts.proof_of_delivery_or_service_date_text).toBe("Delivered on 6 Jan 2026 (UPS tracking 1Z999AA10123456784).");
    const extra = p.texts.additional_evidence_text!;
    expect(extra).toContain("3-D Secure 2.2.0 (ECI 05)");
    expect(extra).toContain("street address and postcode match");
    expect(extra).toContain("CVV");
    expect(extra).toContain("203.0.113.7");
    // Earlier paid orders without a dispute: not the disputed one (#700), not this order itself.
    expect(extra).toContain("2 earlier paid orders with no dispute since 20 Nov 2024: #900, #800");
    expect(extra).not.toContain("#700");
  });

  it("unrecognized: the invoice names the order, customer, total, card and Checkout.com payment", () => {
    const invoice = plan({}, "unrecognized").texts.invoice_or_receipt_text!;
    expect(invoice).toContain("order #1001, placed on 2 Jan 2026 by Jane Doe (jane@example.com)");
    expect(invoice).toContain("3 items");
    expect(invoice).toMatch(/65\.40/);
    expect(invoice).toContain("Visa ending 4242");
    expect(invoice).toContain("pay_evidencefixture0000000001");
  });

  it("canceled_recurring: the subscription policy is the recurring agreement", () => {
    const p = plan({}, "canceled_recurring");
    expect(p.texts.recurring_transaction_agreement_text).toContain("https://northwind.example/policies/subscription-policy");
    expect(p.texts.recurring_transaction_agreement_text).toContain("renew every month");
    expect(p.texts.refund_or_cancellation_policy_text).toContain("refund policy is published at https://northwind.example/policies/refund-policy");
  });

  it("product_service_not_received: without a shipment, proof of delivery is missing rather than invented", () => {
    const p = plan({ order: orderFixture({ fulfillments: [], fulfillmentStatus: "UNFULFILLED" }) }, "product_service_not_received");
    expect(p.missing).toEqual(["proof_of_delivery_or_service"]);
    expect(p.texts.proof_of_delivery_or_service_text).toBeUndefined();
    expect(p.texts.proof_of_delivery_or_service_date_text).toBeUndefined();
    expect(p.documents.map((d) => d.field)).not.toContain("proof_of_delivery_or_service_file");
  });

  it("product_service_not_received: a canceled fulfillment is not proof of delivery", () => {
    const order = orderFixture();
    const canceled = orderFixture({ fulfillments: order.fulfillments.map((f) => ({ ...f, status: "CANCELLED" })) });
    expect(plan({ order: canceled }, "product_service_not_received").missing).toContain("proof_of_delivery_or_service");
  });

  it("product_service_not_received: digital goods need no shipment once the order is fulfilled", () => {
    const p = plan({ order: orderFixture({ fulfillments: [], requiresShipping: false }) }, "product_service_not_received");
    expect(p.texts.proof_of_delivery_or_service_text).toContain("digital goods or services that need no shipping");
  });

  it("not_as_described: invoice, shipment and the refund policy", () => {
    const p = plan({}, "not_as_described");
    expect(p.texts.refund_or_cancellation_policy_text).toContain("We accept returns within 30 days of delivery.");
    expect(p.texts.invoice_or_receipt_text).toContain("#1001");
  });

  it("credit_not_issued: refunds already issued are stated with their dates", () => {
    const order = orderFixture();
    const refunded = orderFixture({
      refunded: { amount: 2500, currency: "USD" },
      transactions: [
        ...order.transactions,
        { ...order.transactions[0], kind: "REFUND", amount: { amount: 2500, currency: "USD" }, processedAt: "2026-01-10T12:00:00Z" },
      ],
    });
    const p = plan({ order: refunded }, "credit_not_issued");
    expect(p.texts.refund_or_cancellation_policy_text).toMatch(/Refunds issued for order #1001: USD 25\.00 on 10 Jan 2026/);
    expect(p.texts.invoice_or_receipt_text).toMatch(/25\.00 has been refunded/);
  });

  it("duplicate: the charge is shown as one, and the customer's other charges as separate orders", () => {
    const p = plan({}, "duplicate");
    const text = p.texts.invoice_showing_distinct_transactions_text!;
    expect(text).toContain("was charged once");
    expect(text).toContain("#900 (USD 32.00, 10 Jun 2025)");
    expect(p.documents.find((d) => d.field === "invoice_showing_distinct_transactions_file")?.title).toBe("Distinct transactions");
  });

  it("incorrect_amount: the itemised invoice with totals", () => {
    const p = plan({}, "incorrect_amount");
    const invoice = p.documents.find((d) => d.field === "invoice_or_receipt_file")!;
    const table = invoice.blocks.find((b) => b.kind === "table")!;
    expect(table.kind === "table" && table.footer?.map((r) => r[0])).toEqual(["Subtotal", "Shipping", "Tax", "Total"]);
  });

  it("general: the conversation from Zendesk is quoted, the customer's latest message first", () => {
    const text = plan({}, "general").texts.customer_communication_text!;
    expect(text).toContain("2 messages between the customer and the shop in Zendesk ticket #812");
    expect(text).toContain("“Hi, my beanies arrived yesterday");
  });
});

describe("what is left out", () => {
  it("never mentions failed card checks or unauthenticated 3-D Secure; with nothing favourable the type is missing", () => {
    const p = plan(
      {
        payment: paymentFactsFixture({ avsCheck: "N", cvvCheck: "N", threeDs: { authenticated: false, version: "2.2.0", eci: "07", enrolled: "Y" } }),
        order: orderFixture({ transactions: [], customer: null }),
      },
      "fraudulent",
    );
    expect(p.missing).toContain("additional_evidence");
    expect(JSON.stringify(p)).not.toMatch(/CVV|3-D Secure|Address verification/);
  });

  it("without an order, order-based evidence is missing and nothing claims a delivery", () => {
    const p = plan({ order: null, conversation: null }, "fraudulent");
    expect(p.missing).toEqual(["proof_of_delivery_or_service", "invoice_or_receipt", "customer_communication"]);
    expect(p.texts.additional_evidence_text).toContain("3-D Secure");
    expect(p.documents[0].subject).toBe("Payment pay_evidencefixture0000000001");
  });

  it("uses the order notes when there is no support conversation", () => {
    const p = plan(
      {
        conversation: {
          source: "order_notes",
          reference: "Order #1001",
          messages: [{ author: "Order notes", role: "merchant", at: null, body: "Customer phoned to confirm the address." }],
        },
      },
      "general",
    );
    expect(p.texts.customer_communication_text).toBe("The order's notes record: “Customer phoned to confirm the address.”. They are attached as a PDF.");
  });
});

describe("documents", () => {
  it("carry the merchant, the order, the dispute and the order's date (for deterministic PDFs)", () => {
    for (const doc of plan({}, "general").documents) {
      expect(doc.merchant).toBe("Northwind Knitwear");
      expect(doc.subject).toBe("Order #1001");
      expect(doc.reference).toBe("Checkout.com dispute dsp_evidencefixture000001");
      expect(doc.date).toBe("2026-01-02T10:15:00Z");
      expect(doc.filename).toMatch(/^[a-z-]+-1001\.pdf$/);
    }
  });

  it("list every line item of a long order on the invoice", () => {
    const p = plan({ order: orderFixture({ lineItems: lineItemsFixture(100) }) }, "unrecognized");
    const table = p.documents.find((d) => d.field === "invoice_or_receipt_file")!.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.rows.length).toBe(100);
  });
});

describe("text limits hold for any data", () => {
  const long = fc.string({ minLength: 0, maxLength: 3000 });
  it("every text of every category stays within 500 characters", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(CATEGORY_EVIDENCE)),
        fc.subarray([...EVIDENCE_TYPES]),
        long,
        long,
        long,
        long,
        (category, relevant, name, note, policy, message) => {
          const input = evidenceInputFixture({
            dispute: disputeFactsFixture({ category, relevantEvidence: relevant }),
            shop: shopFactsFixture({
              name,
              policies: { ...shopFactsFixture().policies, refund: { title: name || "Refund policy", text: policy, url: `https://x.example/${note}` } },
            }),
            order: orderFixture({ name: `#${name}`, note, shippingMethod: note, customer: { ...orderFixture().customer!, displayName: name } }),
            conversation: conversationFixture({ reference: name, messages: [{ author: name, role: "customer", at: null, body: message }] }),
          });
          const p = planEvidence(input);
          for (const field of TEXT_FIELDS) expect((p.texts[field] ?? "").length).toBeLessThanOrEqual(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
