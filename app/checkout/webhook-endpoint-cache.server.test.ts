// The endpoint cache keeps endpoints and unknown ids apart: a spray of random ids fills only its own
// bounded part and never pushes a real endpoint out.
import crypto from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { webhookEndpointCache, type WebhookEndpoint } from "./webhook-endpoint-cache.server";

const endpoint = (id: string): WebhookEndpoint => ({
  endpointId: id,
  connectionId: `c-${id}`,
  shopId: `s-${id}`,
  signingKey: Buffer.from("k"),
  previousSigningKey: null,
  uninstalled: false,
  disconnected: false,
  authorization: null,
});

beforeEach(() => webhookEndpointCache.clear());

describe("the webhook endpoint cache", () => {
  it("keeps every real endpoint through a spray of 100,000 unknown ids, and bounds what the spray fills", () => {
    const now = 1_000_000;
    const real = Array.from({ length: 100 }, (_, i) => `real_endpoint_${i}`);
    for (const id of real) webhookEndpointCache.set(id, endpoint(id), now);
    for (let i = 0; i < 100_000; i++) webhookEndpointCache.set(crypto.randomBytes(24).toString("base64url"), null, now);
    for (const id of real) expect(webhookEndpointCache.get(id, now + 1)).toEqual({ kind: "found", endpoint: endpoint(id) });
    expect(webhookEndpointCache.sizes()).toEqual({ found: 100, missing: 50_000 });
  });

  it("forgets unknown ids after a few seconds, and keeps an expired endpoint known until it is looked up again", () => {
    webhookEndpointCache.set("unknown_id_1", null, 0);
    expect(webhookEndpointCache.get("unknown_id_1", 5_000)).toEqual({ kind: "missing" });
    expect(webhookEndpointCache.get("unknown_id_1", 10_001)).toBeUndefined();
    webhookEndpointCache.set("real_endpoint", endpoint("real_endpoint"), 0);
    expect(webhookEndpointCache.get("real_endpoint", 29_000)?.kind).toBe("found");
    expect(webhookEndpointCache.get("real_endpoint", 31_000)).toEqual({ kind: "stale" });
    // A lookup that finds it gone makes it unknown.
    webhookEndpointCache.set("real_endpoint", null, 31_000);
    expect(webhookEndpointCache.get("real_endpoint", 31_001)).toEqual({ kind: "missing" });
    expect(webhookEndpointCache.sizes()).toEqual({ found: 0, missing: 1 });
  });
});
