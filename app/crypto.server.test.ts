import { describe, expect, it } from "vitest";
import { DecryptionError, decryptSecret, encryptSecret, keyring, needsReencryption } from "./crypto.server";

const KEY_A = "a".repeat(64);
const KEY_B = "b".repeat(64);

describe("secret encryption", () => {
  it("round-trips and never stores the plaintext", () => {
    const sealed = encryptSecret("sk_sbox_secretvalue", "ctx");
    expect(sealed).not.toContain("secretvalue");
    expect(decryptSecret(sealed, "ctx")).toBe("sk_sbox_secretvalue");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", "ctx")).not.toBe(encryptSecret("same", "ctx"));
  });

  it("detects a tampered ciphertext, tag or IV", () => {
    const sealed = encryptSecret("secret", "ctx");
    const parts = sealed.split(".");
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index], "base64url");
      bytes[0] ^= 1;
      const tampered = [...parts];
      tampered[index] = bytes.toString("base64url");
      expect(() => decryptSecret(tampered.join("."), "ctx")).toThrow(DecryptionError);
    }
  });

  it("refuses a tag cut short, though GCM would verify its first bytes", () => {
    const sealed = encryptSecret("secret", "ctx");
    const parts = sealed.split(".");
    const tag = Buffer.from(parts[3], "base64url");
    expect(tag.length).toBe(16);
    for (const bytes of [4, 8, 12, 15]) {
      const truncated = [...parts];
      truncated[3] = tag.subarray(0, bytes).toString("base64url");
      expect(() => decryptSecret(truncated.join("."), "ctx"), `${bytes}-byte tag`).toThrow(DecryptionError);
    }
    // And a tag or IV of the wrong length is refused before it reaches the cipher.
    expect(() => decryptSecret([...parts.slice(0, 3), "", parts[4]].join("."), "ctx")).toThrow(DecryptionError);
    expect(() => decryptSecret([parts[0], parts[1], Buffer.alloc(16).toString("base64url"), parts[3], parts[4]].join("."), "ctx")).toThrow(DecryptionError);
  });

  it("does not decrypt under another record's context", () => {
    const sealed = encryptSecret("secret", "checkout-connection:A:secretKey");
    expect(() => decryptSecret(sealed, "checkout-connection:B:secretKey")).toThrow(DecryptionError);
  });

  it("decrypts with the previous key during rotation and says it needs re-encryption", () => {
    const old = keyring(KEY_A);
    const rotated = keyring(KEY_B, KEY_A);
    const sealed = encryptSecret("secret", "ctx", old);
    expect(decryptSecret(sealed, "ctx", rotated)).toBe("secret");
    expect(needsReencryption(sealed, rotated)).toBe(true);
    expect(() => decryptSecret(sealed, "ctx", keyring(KEY_B))).toThrow(/not configured/);
  });
});
