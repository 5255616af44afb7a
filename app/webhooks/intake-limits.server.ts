// Rate limits on Checkout.com webhook intake, checked before a body is read (docs/decisions/0008):
//   - per known endpoint, whoever sends: WEBHOOK_LIMIT_PER_ENDPOINT a second;
//   - per client IP, to known endpoints: WEBHOOK_LIMIT_PER_IP a second (Checkout.com sends every
//     merchant's events from a handful of addresses, so this is generous);
//   - per client IP, to endpoint ids that are not endpoints: WEBHOOK_LIMIT_UNKNOWN_PER_IP a second,
//     tight, and VERIFIED_FACTOR times that for an address that delivered a correctly signed event in
//     the last VERIFIED_FOR_MS (Checkout.com's own addresses also deliver to endpoints since removed).
// Each limit is a token bucket holding BURST_SECONDS of its rate; 0 turns a limit off. Limits are per
// process. Kept on globalThis, like the endpoint cache, so server.ts and the Remix build share them.
import type http from "node:http";
import { env } from "../env.server";

export const BURST_SECONDS = 10;
export const VERIFIED_FACTOR = 50;
const VERIFIED_FOR_MS = 60 * 60 * 1000;
/** Addresses and endpoints tracked at once; the least recently seen are forgotten first. */
const MAX_KEYS = 50_000;

export interface LimitConfig {
  perEndpoint: number;
  perIp: number;
  unknownPerIp: number;
}

/** Token buckets of one rate, by key. */
class Buckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly clock: () => number,
  ) {}

  /** Takes a token: 0 when there was one, else the whole seconds until there will be. */
  take(key: string): number {
    if (this.perSecond <= 0) return 0;
    const capacity = this.perSecond * BURST_SECONDS;
    const now = this.clock();
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond) : capacity;
    this.buckets.delete(key);
    const allowed = tokens >= 1;
    this.buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now });
    if (this.buckets.size > MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value as string);
    return allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / this.perSecond));
  }

  /** Gives back a token taken for a request that turned out not to count here. */
  refund(key: string) {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.perSecond * BURST_SECONDS, bucket.tokens + 1);
  }
}

export class IntakeLimits {
  private readonly endpoints: Buckets;
  private readonly ips: Buckets;
  private readonly unknown: Buckets;
  private readonly unknownVerified: Buckets;
  private readonly verified = new Map<string, number>();

  constructor(
    readonly config: LimitConfig,
    private readonly clock: () => number = Date.now,
  ) {
    this.endpoints = new Buckets(config.perEndpoint, clock);
    this.ips = new Buckets(config.perIp, clock);
    this.unknown = new Buckets(config.unknownPerIp, clock);
    this.unknownVerified = new Buckets(config.unknownPerIp * VERIFIED_FACTOR, clock);
  }

  /** A delivery to a known endpoint: 0 when allowed, else seconds to wait (Retry-After). */
  takeKnown(endpointId: string, ip: string | null): number {
    const wait = this.endpoints.take(endpointId);
    if (wait) return wait;
    return ip === null ? 0 : this.ips.take(ip);
  }

  /** A request naming an id that is not (or may not be) an endpoint: 0 when allowed, else seconds to wait. */
  takeUnknown(ip: string | null): number {
    if (ip === null) return 0;
    return (this.isVerified(ip) ? this.unknownVerified : this.unknown).take(ip);
  }

  /** The id taken for by takeUnknown was an endpoint after all. */
  refundUnknown(ip: string | null) {
    if (ip === null) return;
    (this.isVerified(ip) ? this.unknownVerified : this.unknown).refund(ip);
  }

  /** The address delivered a correctly signed event. */
  markVerified(ip: string | null) {
    if (ip === null) return;
    this.verified.delete(ip);
    this.verified.set(ip, this.clock());
    if (this.verified.size > MAX_KEYS) this.verified.delete(this.verified.keys().next().value as string);
  }

  isVerified(ip: string): boolean {
    const at = this.verified.get(ip);
    return at !== undefined && this.clock() - at < VERIFIED_FOR_MS;
  }
}

declare global {
  var __ckoIntakeLimits: IntakeLimits | undefined;
}

/** The process's limits, from the configuration. */
export function intakeLimits(): IntakeLimits {
  return (globalThis.__ckoIntakeLimits ??= new IntakeLimits({
    perEndpoint: env().WEBHOOK_LIMIT_PER_ENDPOINT,
    perIp: env().WEBHOOK_LIMIT_PER_IP,
    unknownPerIp: env().WEBHOOK_LIMIT_UNKNOWN_PER_IP,
  }));
}

/** Tests: forget every bucket and read the configuration again on next use. */
export function resetIntakeLimitsForTests() {
  globalThis.__ckoIntakeLimits = undefined;
}

/**
 * The address a request came from: the socket's peer, or with TRUST_PROXY_HOPS = n (n proxies in front
 * that each append the address they received from to X-Forwarded-For) the n-th address from the right
 * of that header. Never an address further left: a client can write anything there.
 */
export function clientIp(req: http.IncomingMessage, trustedHops = env().TRUST_PROXY_HOPS): string | null {
  const peer = req.socket.remoteAddress ?? null;
  let ip = peer;
  if (trustedHops > 0) {
    const header = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(header) ? header.join(",") : (header ?? ""))
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (hops.length >= trustedHops) ip = hops[hops.length - trustedHops];
  }
  return ip?.startsWith("::ffff:") ? ip.slice(7) : ip;
}
