// Property tests for the dispute evidence text builder (planEvidence, app/disputes/plan.ts, with
// app/disputes/text.ts): for arbitrary order, payment, shop and conversation data, including hostile
// unicode and very long values, every text is one paragraph of at most 500 characters, a cut never
// splits a word, a type with data to show always gets a text, and the same data always gives the same
// evidence.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EVIDENCE_TYPES,
  TEXT_FIELDS,
  textFieldOf,
  type Address,
  type Conversation,
  type EvidenceInput,
  type EvidenceOrder,
  type EvidenceType,
  type PaymentFacts,
  type ShopFacts,
  type ShopPolicyFacts,
} from "../../app/disputes/model";
import { CATEGORY_EVIDENCE, planEvidence } from "../../app/disputes/plan";
import { HOSTILE_STRINGS } from "./strings";

// Words of the data are Cyrillic and always end in "я" (which appears nowhere else in them); the
// builder's own words are English. So in any text, a run of Cyrillic letters that does not end in "я"
// is a word of the data cut in half.
const WORD = fc.stringMatching(/^[а-ю]{1,11}я$/);
const CUT_WORD = /[а-я]*[а-ю](?![а-я])/g;
const words = (min: number, max: number) => fc.array(WORD, { minLength: min, maxLength: max }).map((w) => w.join(" "));
/** Data in words: mostly short, sometimes far longer than a text may be, sometimes one huge word. */
const wordText = fc.oneof(
  { weight: 6, arbitrary: words(1, 6) },
  { weight: 2, arbitrary: words(60, 200) },
  { weight: 1, arbitrary: fc.stringMatching(/^[а-ю]{600,900}я$/) },
);
/** Anything a shop, an order or a customer may hold. */
const anyText = fc.oneof(
  wordText,
  fc.string({ unit: "binary", maxLength: 700 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.constantFrom(...Object.values(HOSTILE_STRINGS), "\ud83d", "\u0000\u0000", "a\u202e\u2066b", " \n\t ", "", "Z\u0351\u0352\u0353a\u0300\u0301l\u0302go"),
);

const iso = fc.date({ min: new Date("2018-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString());
const currency = fc.constantFrom("USD", "EUR", "JPY", "GBP");
const money = fc.record({ amount: fc.integer({ min: 0, max: 100_000_000 }), currency });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

function inputArbitrary(text: fc.Arbitrary<string>): fc.Arbitrary<EvidenceInput> {
  const address: fc.Arbitrary<Address> = fc.record({
    name: nullable(text),
    company: nullable(text),
    lines: fc.array(text, { maxLength: 3 }),
    country: nullable(text),
    phone: nullable(fc.constant("+1 555 0100")),
  });
  const policy: fc.Arbitrary<ShopPolicyFacts | null> = nullable(
    fc.record({ title: text, text: fc.array(text, { maxLength: 4 }).map((p) => p.join("\n")), url: fc.constant("https://shop.example/policies/refund") }),
  );
  const shop: fc.Arbitrary<ShopFacts> = fc.record({
    name: text,
    domain: fc.constant("shop.myshopify.com"),
    email: nullable(fc.constant("help@shop.example")),
    url: nullable(fc.constant("https://shop.example")),
    policies: fc.record({ refund: policy, shipping: policy, terms: policy, subscription: policy }),
  });
  const payment: fc.Arbitrary<PaymentFacts | null> = nullable(
    fc.record({
      ckoPaymentId: fc.constant("pay_propertytest000000000001"),
      amount: money,
      processedOn: nullable(iso),
      customerName: nullable(text),
      customerEmail: nullable(fc.constant("buyer@example.com")),
      ipAddress: nullable(fc.constant("203.0.113.7")),
      cardScheme: nullable(fc.constantFrom("Visa", "Mastercard")),
      cardLast4: nullable(fc.constant("4242")),
      avsCheck: nullable(fc.constantFrom("Y", "A", "Z", "N", " y ")),
      cvvCheck: nullable(fc.constantFrom("Y", "M", "N")),
      threeDs: nullable(
        fc.record({
          authenticated: nullable(fc.boolean()),
          version: nullable(fc.constantFrom("2.2.0", "1.0.2")),
          eci: nullable(fc.constantFrom("05", "07")),
          enrolled: nullable(fc.constant("Y")),
        }),
      ),
    }),
  );
  const order: fc.Arbitrary<EvidenceOrder | null> = nullable(
    fc.record({
      id: fc.constant("gid://shopify/Order/1001"),
      name: fc.oneof(
        fc.constant("#1001"),
        text.map((t) => `#${t}`),
      ),
      createdAt: iso,
      processedAt: iso,
      cancelledAt: nullable(iso),
      note: nullable(text),
      email: nullable(fc.constant("buyer@example.com")),
      phone: nullable(fc.constant("+1 555 0100")),
      clientIp: nullable(fc.constant("203.0.113.9")),
      requiresShipping: fc.boolean(),
      financialStatus: nullable(fc.constantFrom("PAID", "PARTIALLY_REFUNDED", "REFUNDED")),
      fulfillmentStatus: nullable(fc.constantFrom("FULFILLED", "UNFULFILLED", "PARTIALLY_FULFILLED")),
      shippingMethod: nullable(text),
      subtotal: money,
      shipping: money,
      tax: money,
      discounts: money,
      total: money,
      refunded: money,
      lineItems: fc.array(
        fc.record({ title: text, variantTitle: nullable(text), sku: nullable(text), quantity: fc.integer({ min: 1, max: 5 }), unitPrice: money, total: money }),
        { maxLength: 4 },
      ),
      lineItemsTruncated: fc.boolean(),
      billingAddress: nullable(address),
      shippingAddress: nullable(address),
      fulfillments: fc.array(
        fc.record({
          name: text,
          status: fc.constantFrom("SUCCESS", "CANCELLED", "ERROR", "FAILURE", "OPEN", "PENDING"),
          displayStatus: nullable(fc.constantFrom("DELIVERED", "IN_TRANSIT")),
          createdAt: iso,
          inTransitAt: nullable(iso),
          deliveredAt: nullable(iso),
          estimatedDeliveryAt: nullable(iso),
          tracking: fc.array(
            fc.record({
              company: nullable(text),
              number: nullable(fc.constant("1Z999AA10123456784")),
              url: nullable(fc.constant("https://carrier.example/t/1")),
            }),
            { maxLength: 2 },
          ),
        }),
        { maxLength: 3 },
      ),
      transactions: fc.array(
        fc.record({
          kind: fc.constantFrom("SALE", "CAPTURE", "AUTHORIZATION", "REFUND"),
          status: fc.constantFrom("SUCCESS", "FAILURE"),
          gateway: nullable(fc.constant("checkout_com")),
          processedAt: nullable(iso),
          amount: money,
          avsResultCode: nullable(fc.constantFrom("Y", "N")),
          cvvResultCode: nullable(fc.constantFrom("M", "N")),
          cardCompany: nullable(fc.constant("Visa")),
          cardNumber: nullable(fc.constant("•••• 4242")),
        }),
        { maxLength: 3 },
      ),
      customer: nullable(
        fc.record({
          displayName: text,
          email: nullable(fc.constant("buyer@example.com")),
          createdAt: iso,
          numberOfOrders: fc.nat(50),
          earlierOrders: fc.array(
            fc.record({
              id: fc.uuid().map((u) => `gid://shopify/Order/${u}`),
              name: text,
              processedAt: iso,
              total: money,
              financialStatus: nullable(fc.constantFrom("PAID", "PARTIALLY_REFUNDED", "VOIDED")),
              fulfillmentStatus: nullable(fc.constant("FULFILLED")),
              disputed: fc.boolean(),
            }),
            { maxLength: 8 },
          ),
        }),
      ),
    }),
  );
  const conversation: fc.Arbitrary<Conversation | null> = nullable(
    fc.record({
      source: fc.constantFrom("zendesk" as const, "order_notes" as const),
      reference: nullable(text),
      messages: fc.array(fc.record({ author: text, role: fc.constantFrom("customer" as const, "merchant" as const), at: nullable(iso), body: text }), {
        maxLength: 4,
      }),
    }),
  );
  const dispute = fc.record({
    ckoDisputeId: fc.constant("dsp_propertytest00000001"),
    category: nullable(fc.constantFrom(...Object.keys(CATEGORY_EVIDENCE), "brand_new_category")),
    reasonCode: nullable(fc.constant("10.4")),
    amount: money,
    relevantEvidence: fc.oneof(fc.constant([] as string[]), fc.subarray([...EVIDENCE_TYPES, "something_new"])),
    evidenceRequiredBy: nullable(iso),
  });
  return fc.record({ shop, dispute, payment, order, conversation });
}

/** Whether the data holds something to show for `type` (additional evidence is judged by the builder alone). */
function hasDataFor(type: EvidenceType, input: EvidenceInput): boolean | undefined {
  const { order, conversation, shop } = input;
  switch (type) {
    case "invoice_or_receipt":
    case "invoice_showing_distinct_transactions":
      return order !== null;
    case "proof_of_delivery_or_service":
      return (
        order !== null &&
        (order.fulfillments.some((f) => !/^(CANCELLED|CANCELED|ERROR|FAILURE)$/.test(f.status)) ||
          (!order.requiresShipping && order.fulfillmentStatus === "FULFILLED"))
      );
    case "customer_communication":
      return conversation !== null && conversation.messages.some((m) => m.body.trim() !== "");
    case "refund_or_cancellation_policy":
      return (shop.policies.refund ?? shop.policies.terms) !== null;
    case "recurring_transaction_agreement":
      return shop.policies.subscription !== null;
    case "additional_evidence":
      return undefined;
  }
}

const texts = (input: EvidenceInput) => Object.entries(planEvidence(input).texts) as Array<[string, string]>;

describe("evidence texts for any order data", () => {
  it("are each one line of at most 500 characters (UTF-16 code units), whatever the data holds", () => {
    fc.assert(
      fc.property(inputArbitrary(anyText), (input) => {
        for (const [field, text] of texts(input)) {
          expect(TEXT_FIELDS as readonly string[]).toContain(field);
          expect(text.length, field).toBeLessThanOrEqual(500);
          expect(text, field).not.toMatch(/[\r\n]/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never cut a word in half", () => {
    fc.assert(
      fc.property(inputArbitrary(wordText), (input) => {
        for (const [field, text] of texts(input)) expect(text.match(CUT_WORD) ?? [], `${field}: ${text}`).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("are never empty for evidence there is data for, and a type is missing exactly when it has no text", () => {
    fc.assert(
      fc.property(inputArbitrary(anyText), (input) => {
        const plan = planEvidence(input);
        for (const type of plan.types) {
          const text = plan.texts[textFieldOf(type)] ?? "";
          expect(plan.missing.includes(type), `${type}: "${text}"`).toBe(text.trim() === "");
          if (hasDataFor(type, input) === true) expect(text.trim(), type).not.toBe("");
          if (hasDataFor(type, input) === false) expect(plan.missing, type).toContain(type);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("are the same for the same data, whether built once, twice or from a copy", () => {
    fc.assert(
      fc.property(inputArbitrary(anyText), (input) => {
        const first = planEvidence(input);
        expect(planEvidence(input)).toEqual(first);
        expect(planEvidence(structuredClone(input))).toEqual(first);
      }),
      { numRuns: 150 },
    );
  });
});
