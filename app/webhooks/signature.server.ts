// Checkout.com webhook authenticity: `Cko-Signature` is the lowercase hex HMAC-SHA256 of the raw
// request body, keyed with the connection's signing key (app/checkout/connection.server.ts
// `webhookSigningKey`). Nothing else is signed, so verification must run on the exact bytes received,
// before any parsing. Comparisons are constant-time so a caller cannot learn a signature byte by byte.
import crypto from "node:crypto";

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** True when `header` is the HMAC-SHA256 of `body` under `key`. A missing or malformed header is false. */
export function signatureMatches(body: Uint8Array, header: string | null | undefined, key: string | Uint8Array): boolean {
  if (!header) return false;
  const given = header.trim();
  if (!HEX_SHA256.test(given)) return false;
  const expected = crypto.createHmac("sha256", key).update(body).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(given, "hex"));
}

/**
 * True when the request carries the fixed Authorization value configured on the webhook. Both sides are
 * hashed first so the comparison is constant-time whatever their lengths.
 */
export function authorizationMatches(header: string | null | undefined, expected: string): boolean {
  if (header == null) return false;
  const digest = (value: string) => crypto.createHash("sha256").update(value, "utf8").digest();
  return crypto.timingSafeEqual(digest(header), digest(expected));
}
