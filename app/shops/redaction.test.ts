import { describe, expect, it } from "vitest";
import { addIdentifier, emptyIdentifiers, identifiersInPayload, mentionsCustomer, scrubJson, scrubPayload, scrubText } from "./redaction";

const FP = "F31828E2BDABAE63EB694903825CDD36041CC6ED461440B81415895855502832";

function ada() {
  const ids = emptyIdentifiers();
  addIdentifier(ids, "strong", "Ada@Example.com");
  addIdentifier(ids, "fingerprint", FP);
  addIdentifier(ids, "weak", "Ada Lovelace");
  addIdentifier(ids, "weak", "Ada");
  addIdentifier(ids, "weak", "203.0.113.1");
  return ids;
}

describe("scrubText", () => {
  it("replaces the email in any case, the name, the IP, a fingerprint and its shortened form, and a card's last four in context", () => {
    expect(scrubText("ADA@example.COM paid with Visa •••• 4242 from 203.0.113.1", ada())).toBe("[redacted] paid with Visa •••• [redacted] from [redacted]");
    expect(scrubText(`Card fingerprint ${FP.slice(0, 12)}… is on the deny list`, ada())).toBe("Card fingerprint [redacted]… is on the deny list");
    expect(scrubText("Ada Lovelace says the card ending 1234 and **** 9876 are hers", ada())).toBe(
      "[redacted] says the card ending [redacted] and **** [redacted] are hers",
    );
  });

  it("replaces weak identifiers only as whole words", () => {
    expect(scrubText("Shipped to Canada from 203.0.113.10 by Ada", ada())).toBe("Shipped to Canada from 203.0.113.10 by [redacted]");
  });

  it("ignores identifiers too short to be safe", () => {
    const ids = emptyIdentifiers();
    expect(addIdentifier(ids, "weak", "Al")).toBe(false);
    expect(addIdentifier(ids, "strong", "a@b.c")).toBe(false);
    expect(scrubText("Al paid", ids)).toBe("Al paid");
  });
});

describe("scrubJson and scrubPayload", () => {
  const payload = {
    id: "evt_1",
    type: "payment_approved",
    data: {
      id: "pay_1",
      action_id: "act_1",
      amount: 6540,
      currency: "USD",
      source: {
        id: "src_abcdefgh",
        scheme: "Visa",
        last4: "4242",
        bin: "424242",
        fingerprint: FP,
        name: "Ada Lovelace",
        billing_address: { address_line1: "1 Main St", city: "Springfield", zip: "12345", country: "US" },
      },
      customer: { id: "cus_abcdefgh", email: "ada@example.com", name: "Ada Lovelace" },
      shipping: { address: { address_line1: "1 Main St", country: "GB" }, phone: { number: "2079460958" } },
      payment_ip: "203.0.113.1",
      metadata: { note: "ada@example.com asked" },
      risk: { flagged: false, score: 12 },
    },
  };

  it("drops personal keys, keeps ids, amounts, risk and countries, and scrubs other strings", () => {
    expect(JSON.parse(scrubPayload(JSON.stringify(payload), ada()))).toEqual({
      id: "evt_1",
      type: "payment_approved",
      personal_data_removed: true,
      data: {
        id: "pay_1",
        action_id: "act_1",
        amount: 6540,
        currency: "USD",
        source: { id: "src_abcdefgh", scheme: "Visa", billing_address: { country: "US" } },
        shipping: { address: { country: "GB" } },
        metadata: { note: "[redacted] asked" },
        risk: { flagged: false, score: 12 },
      },
    });
  });

  it("leaves a payload without personal data as it was, byte for byte", () => {
    const raw = '{"id":"evt_2","type":"payment_captured","data":{"id":"pay_1","amount":100}}';
    expect(scrubPayload(raw, ada())).toBe(raw);
  });

  it("finds the identifiers a payload carries", () => {
    const ids = emptyIdentifiers();
    identifiersInPayload(payload.data, ids);
    expect(ids.strong).toEqual(expect.arrayContaining(["src_abcdefgh", "cus_abcdefgh", "ada@example.com", FP.toLowerCase()]));
    expect(ids.weak).toEqual(expect.arrayContaining(["ada lovelace", "1 main st", "2079460958", "203.0.113.1"]));
    expect(mentionsCustomer("refund for CUS_ABCDEFGH", ids)).toBe(true);
    expect(mentionsCustomer("Ada Lovelace", ids)).toBe(false); // a name alone is not enough to say a row is hers
  });

  it("rewrites rule hits without losing the rules", () => {
    expect(
      scrubJson(
        {
          hits: [
            { rule: "deny_email", value: "ada@example.com", threshold: "ada@example.com" },
            { rule: "risk_score", value: 90, threshold: 70 },
          ],
        },
        ada(),
      ),
    ).toEqual({
      hits: [
        { rule: "deny_email", value: "[redacted]", threshold: "[redacted]" },
        { rule: "risk_score", value: 90, threshold: 70 },
      ],
    });
  });
});
