// get_order_risk through the SDK's client: the hold and why, the shop's rules applied now, Checkout.com's
// checks and the list entries hit; and one shop's token never reading another shop's review.
import { describe, expect, it } from "vitest";
import { createConnectedShop, createOrderPayment } from "../../../test/helpers/factories";
import { agentToken, callTool, mcpClient } from "../../../test/helpers/mcp";
import { db } from "../../db.server";

/** A payment as Checkout.com reported it: flagged, score 85, 3-D Secure authenticated, AVS no match, CVV match. */
async function riskyPayment(shopId: string, orderName: string) {
  return createOrderPayment(shopId, {
    orderName,
    payment: {
      amount: 9400,
      currency: "USD",
      status: "Authorized",
      riskFlagged: true,
      riskScore: 85,
      customerEmail: "mallory@example.com",
      cardFingerprint: "F31828E2BDABAE63EB694903825CDD36",
      cardScheme: "Visa",
      cardLast4: "4242",
      cardCountry: "GB",
      billingCountry: "US",
      shippingCountry: "US",
      avsCheck: "N",
      cvvCheck: "M",
      threeDs: JSON.stringify({ enrolled: "Y", authentication_response: "Y" }),
    },
  });
}

describe("get_order_risk", () => {
  it("answers the hold and the rules that fired, the rules and lists applied now, and Checkout.com's checks", async () => {
    const { shop } = await createConnectedShop();
    await db().riskRules.update({ where: { shopId: shop.id }, data: { holdOnFlagged: true, scoreThreshold: 70, holdOnCardCountryMismatch: true } });
    await db().listEntry.create({ data: { shopId: shop.id, list: "deny", kind: "email", value: "mallory@example.com" } });
    const { payment, orderLink } = await riskyPayment(shop.id, "#6101");
    await db().hold.create({
      data: {
        shopId: shop.id,
        paymentId: payment.id,
        orderGid: orderLink.orderGid,
        orderName: "#6101",
        status: "held",
        ruleHits: JSON.stringify([
          { rule: "flagged", value: true },
          { rule: "risk_score", value: 85, threshold: 70 },
        ]),
        externalId: `hold-${payment.id}`,
        decidedAt: new Date("2026-01-05T10:00:00Z"),
        heldAt: new Date("2026-01-05T10:00:01Z"),
      },
    });

    const { token } = await agentToken(shop.id);
    const answer = await callTool(await mcpClient(token), "get_order_risk", { payment: "#6101" });
    expect(answer.isError, answer.text).toBe(false);
    const data = answer.data!;
    expect(data.hold).toMatchObject({
      status: "held",
      statusText: "On hold",
      monitorOnly: false,
      rulesFired: [
        { rule: "flagged", description: "Checkout.com flagged the payment as risky" },
        { rule: "risk_score", description: "Risk score 85 is at or above 70" },
      ],
      decidedAt: { iso: "2026-01-05T10:00:00.000Z" },
      resolvedBy: null,
    });
    expect(data.assessment).toMatchObject({
      riskFlagged: true,
      riskScore: 85,
      avs: { code: "N", result: "neither", warning: true },
      cvv: { code: "M", result: "match", warning: false },
      threeDs: { used: true, outcome: "authenticated" },
      cardCountry: "GB",
      shippingCountry: "US",
    });
    expect(data.rulesNow.decision).toBe("hold");
    expect(data.rulesNow.firing.map((r: { rule: string }) => r.rule)).toEqual(["flagged", "risk_score", "card_country", "deny_email"]);
    expect(data.listHits).toEqual([{ list: "deny", kind: "email", value: "mallory@example.com" }]);
    expect(data.shopRules.holdWhen).toEqual(
      expect.arrayContaining([
        "Hold payments Checkout.com flagged as risky",
        "Hold when the risk score is at least 70 (Checkout.com scores from 0 to 100).",
        "Hold when the card's issuing country differs from the shipping country",
      ]),
    );
    expect(answer.text).toContain("Hold: on hold, decided");
    expect(answer.text).toContain("AVS N (neither)");
    expect(answer.text).toContain("Email mallory@example.com is on the deny list");
  });

  it("says an allow-list entry wins over the rules, and that an unheld payment has no hold", async () => {
    const { shop } = await createConnectedShop();
    const { payment } = await riskyPayment(shop.id, "#6201");
    await db().listEntry.create({ data: { shopId: shop.id, list: "allow", kind: "card_fingerprint", value: payment.cardFingerprint! } });
    const { token } = await agentToken(shop.id);
    const answer = await callTool(await mcpClient(token), "get_order_risk", { payment: payment.ckoPaymentId });
    expect(answer.isError, answer.text).toBe(false);
    expect(answer.data!.hold).toBeNull();
    expect(answer.data!.rulesNow).toMatchObject({ decision: "allow", allowedBy: { kind: "card_fingerprint", value: payment.cardFingerprint } });
    expect(answer.data!.listHits).toEqual([{ list: "allow", kind: "card_fingerprint", value: payment.cardFingerprint }]);
    expect(answer.text).toContain("No risk hold.");
    expect(answer.text).toContain("is on the allow list");
  });

  it("says a released hold's reviewer, and the rules in monitor-only mode", async () => {
    const { shop } = await createConnectedShop();
    await db().riskRules.update({ where: { shopId: shop.id }, data: { monitorOnly: true } });
    const { payment, orderLink } = await riskyPayment(shop.id, "#6301");
    await db().hold.create({
      data: {
        shopId: shop.id,
        paymentId: payment.id,
        orderGid: orderLink.orderGid,
        status: "released",
        ruleHits: JSON.stringify([{ rule: "flagged", value: true }]),
        externalId: `hold-${payment.id}`,
        resolvedAt: new Date("2026-01-06T09:00:00Z"),
        resolvedBy: "reviewer@example.com",
      },
    });
    const { token } = await agentToken(shop.id);
    const answer = await callTool(await mcpClient(token), "get_order_risk", { payment: "#6301" });
    expect(answer.data!.hold).toMatchObject({ status: "released", resolvedBy: "reviewer@example.com", resolvedAt: { iso: "2026-01-06T09:00:00.000Z" } });
    expect(answer.data!.rulesNow.decision).toBe("monitor");
    expect(answer.data!.shopRules).toMatchObject({ monitorOnly: true, mode: expect.stringContaining("Monitor only") });
    expect(answer.text).toContain("Released by reviewer@example.com");
  });

  it("never reads another shop's payment", async () => {
    const { shop } = await createConnectedShop();
    const other = await createConnectedShop();
    const { payment } = await riskyPayment(other.shop.id, "#6401");
    const { token } = await agentToken(shop.id);
    const client = await mcpClient(token);
    for (const lookup of [payment.ckoPaymentId, "#6401"]) {
      const answer = await callTool(client, "get_order_risk", { payment: lookup });
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain("no Checkout.com payment");
    }
  });
});
