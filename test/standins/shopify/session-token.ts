// Shopify's session tokens (App Bridge "ID tokens"): HS256 JWTs signed with the app's secret,
// carrying iss https://<shop>/admin, dest https://<shop>, aud <api key>, sub <user id>, a one-minute
// exp, nbf, iat, jti, sid and sig, exactly the claims @shopify/shopify-api checks.
import crypto from "node:crypto";
import type { Clock } from "./store";

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig: string;
}

export interface MintOptions {
  apiKey: string;
  apiSecret: string;
  shop: string;
  userId?: number | string;
  clock?: Clock;
  /** Seconds; Shopify's tokens live one minute. */
  lifetime?: number;
  /** Overrides for negative tests (wrong audience, expired...). */
  claims?: Partial<SessionTokenClaims>;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

function sign(input: string, secret: string): string {
  return crypto.createHmac("sha256", secret).update(input).digest("base64url");
}

export function mintSessionToken(options: MintOptions): string {
  const now = Math.floor((options.clock ?? Date.now)() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: String(options.userId ?? 74_000_001),
    exp: now + (options.lifetime ?? 60),
    nbf: now,
    iat: now,
    jti: crypto.randomUUID(),
    sid: crypto.randomBytes(16).toString("hex"),
    sig: crypto.randomBytes(32).toString("hex"),
    ...options.claims,
  };
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${sign(unsigned, options.apiSecret)}`;
}

export type VerifyResult = { ok: true; claims: SessionTokenClaims } | { ok: false; reason: string };

/** Checks a session token as Shopify's token endpoint does: signature, algorithm, audience, lifetime. */
export function verifySessionToken(token: string, options: { apiKey: string; apiSecret: string; clock?: Clock; toleranceSeconds?: number }): VerifyResult {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT" };
  const [header, payload, signature] = parts;
  let claims: SessionTokenClaims;
  try {
    if (JSON.parse(Buffer.from(header, "base64url").toString()).alg !== "HS256") return { ok: false, reason: "algorithm must be HS256" };
    claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  } catch {
    return { ok: false, reason: "malformed JWT" };
  }
  const expected = Buffer.from(sign(`${header}.${payload}`, options.apiSecret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: "signature does not match" };
  const now = Math.floor((options.clock ?? Date.now)() / 1000);
  const tolerance = options.toleranceSeconds ?? 10;
  if (claims.aud !== options.apiKey) return { ok: false, reason: "audience is not this app" };
  if (typeof claims.exp !== "number" || claims.exp + tolerance < now) return { ok: false, reason: "token expired" };
  if (typeof claims.nbf !== "number" || claims.nbf - tolerance > now) return { ok: false, reason: "token not yet valid" };
  return { ok: true, claims };
}
