import { describe, expect, it } from "vitest";
import { checkoutEvent, paymentEventData, paymentFixture, signBody } from "../../test/fixtures/checkout-events";
import { authorizationMatches, signatureMatches } from "./signature.server";

const KEY = "whsec-test-signature-key-0001";
const body = Buffer.from(JSON.stringify(checkoutEvent("payment_captured", paymentEventData("payment_captured", paymentFixture()))));

describe("Cko-Signature", () => {
  it("accepts the HMAC-SHA256 of the raw body under the key", () => {
    expect(signatureMatches(body, signBody(body, KEY), KEY)).toBe(true);
  });

  it("accepts the signature in upper case and with surrounding spaces", () => {
    expect(signatureMatches(body, ` ${signBody(body, KEY).toUpperCase()} `, KEY)).toBe(true);
  });

  it("refuses a signature made with another key", () => {
    expect(signatureMatches(body, signBody(body, "another-key-0000000000"), KEY)).toBe(false);
  });

  it("refuses a missing or empty header", () => {
    expect(signatureMatches(body, undefined, KEY)).toBe(false);
    expect(signatureMatches(body, null, KEY)).toBe(false);
    expect(signatureMatches(body, "", KEY)).toBe(false);
  });

  it("refuses a header that is not 64 hex characters", () => {
    const good = signBody(body, KEY);
    expect(signatureMatches(body, good.slice(0, 63), KEY)).toBe(false);
    expect(signatureMatches(body, `${good}00`, KEY)).toBe(false);
    expect(signatureMatches(body, `sha256=${good}`, KEY)).toBe(false);
    expect(signatureMatches(body, "z".repeat(64), KEY)).toBe(false);
  });

  it("refuses the body with one byte altered", () => {
    const signature = signBody(body, KEY);
    for (const index of [0, Math.floor(body.length / 2), body.length - 1]) {
      const altered = Buffer.from(body);
      altered[index] ^= 0x01;
      expect(signatureMatches(altered, signature, KEY)).toBe(false);
    }
  });

  it("refuses the same JSON serialised differently (the signature covers bytes, not meaning)", () => {
    const signature = signBody(body, KEY);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(JSON.parse(reserialised.toString())).toEqual(JSON.parse(body.toString()));
    expect(signatureMatches(reserialised, signature, KEY)).toBe(false);
  });
});

describe("fixed Authorization value", () => {
  it("matches only the exact value", () => {
    expect(authorizationMatches("Bearer s3cret-value", "Bearer s3cret-value")).toBe(true);
    expect(authorizationMatches("Bearer s3cret-valuE", "Bearer s3cret-value")).toBe(false);
    expect(authorizationMatches("Bearer s3cret-value ", "Bearer s3cret-value")).toBe(false);
    expect(authorizationMatches("", "Bearer s3cret-value")).toBe(false);
    expect(authorizationMatches(undefined, "Bearer s3cret-value")).toBe(false);
  });
});
