// Secrets at rest: AES-256-GCM with a random 96-bit IV per value. The auth tag detects tampering,
// and the record id is bound in as associated data so a ciphertext copied onto another record
// (another shop) does not decrypt. Format: v1.<keyId>.<iv>.<tag>.<ciphertext> (base64url parts).
// The tag is always the full 16 bytes: GCM would otherwise verify a tag cut to as little as 4 bytes,
// and each byte cut makes a forgery 256 times easier.
import crypto from "node:crypto";
import { decodeKey, env } from "./env.server";

export class DecryptionError extends Error {
  constructor(message = "Stored secret could not be decrypted (wrong key or tampered data)") {
    super(message);
    this.name = "DecryptionError";
  }
}

interface Keyring {
  current: { id: string; key: Buffer };
  all: Map<string, Buffer>;
}

const TAG_BYTES = 16;
const IV_BYTES = 12;

const keyId = (key: Buffer) => crypto.createHash("sha256").update(key).digest("base64url").slice(0, 8);

export function keyring(current: string, previous?: string): Keyring {
  const cur = decodeKey(current);
  if (!cur) throw new Error("ENCRYPTION_KEY must be 32 bytes");
  const all = new Map([[keyId(cur), cur]]);
  const prev = previous ? decodeKey(previous) : null;
  if (prev) all.set(keyId(prev), prev);
  return { current: { id: keyId(cur), key: cur }, all };
}

const defaultKeyring = () => keyring(env().ENCRYPTION_KEY, env().ENCRYPTION_KEY_PREVIOUS);

export function encryptSecret(plaintext: string, context: string, ring: Keyring = defaultKeyring()): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", ring.current.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", ring.current.id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(sealed: string, context: string, ring: Keyring = defaultKeyring()): string {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== "v1") throw new DecryptionError("Stored secret has an unknown format");
  const [, id, iv, tag, ciphertext] = parts;
  const key = ring.all.get(id);
  if (!key) throw new DecryptionError("Stored secret was encrypted with a key that is not configured");
  const tagBytes = Buffer.from(tag, "base64url");
  const ivBytes = Buffer.from(iv, "base64url");
  // Node would check a shorter tag against just that many bytes; a sealed value always has all 16.
  if (tagBytes.length !== TAG_BYTES || ivBytes.length !== IV_BYTES) throw new DecryptionError();
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError();
  }
}

/** True when the value was sealed with a key other than the current one (needs re-encryption). */
export function needsReencryption(sealed: string, ring: Keyring = defaultKeyring()): boolean {
  return sealed.split(".")[1] !== ring.current.id;
}

/** The value sealed again with the current key, or null when it already is (key rotation). */
export function resealed(sealed: string, context: string, ring: Keyring = defaultKeyring()): string | null {
  return needsReencryption(sealed, ring) ? encryptSecret(decryptSecret(sealed, context, ring), context, ring) : null;
}

export const last4 = (secret: string) => secret.slice(-4);

/** A random, URL-safe, unguessable identifier (webhook endpoint ids, Zendesk secrets). */
export const randomToken = (bytes = 24) => crypto.randomBytes(bytes).toString("base64url");
