// The webhook intake limits (docs/decisions/0008): a genuine Checkout.com burst, at the figures the
// benchmarks and the load tests reach, is never limited; floods and sprays are, with a Retry-After.
import type http from "node:http";
import { describe, expect, it } from "vitest";
import { parseEnv } from "../env.server";
import { testEnv } from "../../test/helpers/env";
import { BURST_SECONDS, clientIp, IntakeLimits, VERIFIED_FACTOR, type LimitConfig } from "./intake-limits.server";

const defaults = parseEnv(testEnv);
const DEFAULTS: LimitConfig = {
  perEndpoint: defaults.WEBHOOK_LIMIT_PER_ENDPOINT,
  perIp: defaults.WEBHOOK_LIMIT_PER_IP,
  unknownPerIp: defaults.WEBHOOK_LIMIT_UNKNOWN_PER_IP,
};

/** Limits on a clock the test moves. */
function limitsAt(config: LimitConfig = DEFAULTS) {
  let now = 1_000_000;
  const limits = new IntakeLimits(config, () => now);
  return { limits, advance: (ms: number) => (now += ms) };
}

/** Sends `perSecond` deliveries a second for `seconds`, spread evenly over `ips` and `endpoints`; how many were refused. */
function steadyLoad(limits: IntakeLimits, advance: (ms: number) => void, perSecond: number, seconds: number, ips = ["127.0.0.1"], endpoints = ["endpoint_1"]) {
  let refused = 0;
  const total = Math.round(perSecond * seconds);
  for (let i = 0; i < total; i++) {
    if (limits.takeKnown(endpoints[i % endpoints.length], ips[i % ips.length])) refused++;
    advance(1000 / perSecond);
  }
  return refused;
}

describe("webhook intake limits", () => {
  it("never limit a genuine burst at the figures the benchmarks and load tests reach", () => {
    // bench:webhooks: one endpoint, one address, 50 connections, 5,049 accepted/s (SQLite) and 5,172/s
    // (PostgreSQL) for 10 s, after a warm-up; README "Scale and reliability".
    let { limits, advance } = limitsAt();
    expect(steadyLoad(limits, advance, 10 * 50, 2)).toBe(0);
    expect(steadyLoad(limits, advance, 5_172, 10)).toBe(0);
    // The same for a minute: one process cannot take more than that, and the limit is above it.
    ({ limits, advance } = limitsAt());
    expect(steadyLoad(limits, advance, 5_000, 60)).toBe(0);
    // The 5-minute soak at 100 events/s; the multi-worker proof's 10,000 events through two instances.
    ({ limits, advance } = limitsAt());
    expect(steadyLoad(limits, advance, 100, 300)).toBe(0);
    expect(steadyLoad(limits, advance, 191, 10_000 / 191)).toBe(0);
    // Everything at once, without pause: the holds bench's burst of 200 and a whole 10 s burst bucket.
    ({ limits, advance } = limitsAt());
    expect(steadyLoad(limits, advance, 1e9, (DEFAULTS.perEndpoint * BURST_SECONDS) / 1e9)).toBe(0);
    // Checkout.com: every merchant's events from a handful of addresses, to many endpoints.
    ({ limits, advance } = limitsAt());
    const checkoutIps = ["35.1.1.1", "35.1.1.2", "35.1.1.3", "35.1.1.4"];
    const shops = Array.from({ length: 500 }, (_, i) => `endpoint_${i}`);
    expect(steadyLoad(limits, advance, 5_000, 30, checkoutIps, shops)).toBe(0);
  });

  it("refuse a flood beyond an endpoint's limit, saying when to retry, and recover as the bucket refills", () => {
    const { limits, advance } = limitsAt({ perEndpoint: 10, perIp: 1000, unknownPerIp: 5 });
    for (let i = 0; i < 10 * BURST_SECONDS; i++) expect(limits.takeKnown("endpoint_1", `10.0.0.${i % 200}`)).toBe(0);
    expect(limits.takeKnown("endpoint_1", "10.0.0.1")).toBe(1);
    // Another endpoint is not affected.
    expect(limits.takeKnown("endpoint_2", "10.0.0.1")).toBe(0);
    advance(100);
    expect(limits.takeKnown("endpoint_1", "10.0.0.1")).toBe(0);
  });

  it("refuse one address's flood to known endpoints, and only that address", () => {
    const { limits } = limitsAt({ perEndpoint: 0, perIp: 2, unknownPerIp: 5 });
    for (let i = 0; i < 2 * BURST_SECONDS; i++) expect(limits.takeKnown(`endpoint_${i}`, "203.0.113.9")).toBe(0);
    expect(limits.takeKnown("endpoint_x", "203.0.113.9")).toBeGreaterThanOrEqual(1);
    expect(limits.takeKnown("endpoint_x", "203.0.113.10")).toBe(0);
  });

  it("give an address a tight budget for ids that are not endpoints, and Checkout.com's addresses a wide one", () => {
    const { limits, advance } = limitsAt();
    const budget = DEFAULTS.unknownPerIp * BURST_SECONDS;
    for (let i = 0; i < budget; i++) expect(limits.takeUnknown("198.51.100.7")).toBe(0);
    const wait = limits.takeUnknown("198.51.100.7");
    expect(wait).toBe(Math.ceil(1 / DEFAULTS.unknownPerIp));
    // Another address has its own budget; a token given back (the id was an endpoint) is usable again.
    expect(limits.takeUnknown("198.51.100.8")).toBe(0);
    advance(1000 / DEFAULTS.unknownPerIp);
    expect(limits.takeUnknown("198.51.100.7")).toBe(0);
    expect(limits.takeUnknown("198.51.100.7")).not.toBe(0);
    limits.refundUnknown("198.51.100.7");
    expect(limits.takeUnknown("198.51.100.7")).toBe(0);
    // An address that delivered a correctly signed event (Checkout.com reaching removed endpoints).
    limits.markVerified("35.1.1.1");
    for (let i = 0; i < budget * VERIFIED_FACTOR; i++) expect(limits.takeUnknown("35.1.1.1")).toBe(0);
    expect(limits.takeUnknown("35.1.1.1")).not.toBe(0);
    // The proof lasts an hour.
    advance(61 * 60 * 1000);
    expect(limits.isVerified("35.1.1.1")).toBe(false);
  });

  it("are off at 0", () => {
    const { limits } = limitsAt({ perEndpoint: 0, perIp: 0, unknownPerIp: 0 });
    for (let i = 0; i < 100_000; i++) expect(limits.takeKnown("endpoint_1", "127.0.0.1") + limits.takeUnknown("127.0.0.1")).toBe(0);
  });
});

describe("the client's address", () => {
  const request = (remoteAddress: string, forwardedFor?: string) =>
    ({ socket: { remoteAddress }, headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor } }) as unknown as http.IncomingMessage;

  it("is the socket's peer unless proxies are trusted, and never what a client wrote further left", () => {
    expect(clientIp(request("::ffff:203.0.113.5", "1.2.3.4"), 0)).toBe("203.0.113.5");
    expect(clientIp(request("10.0.0.2", "1.2.3.4, 198.51.100.20"), 1)).toBe("198.51.100.20");
    expect(clientIp(request("10.0.0.2", "1.2.3.4, 198.51.100.20, 10.0.0.9"), 2)).toBe("198.51.100.20");
    expect(clientIp(request("10.0.0.2"), 1)).toBe("10.0.0.2");
  });
});
