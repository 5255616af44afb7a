// Values attackers and broken clients send: injections, unicode edge cases and sheer size. Each has a
// name so a failing case says which one it was.
export const HOSTILE_STRINGS: Record<string, string> = {
  sql: `' OR '1'='1'; DROP TABLE "WebhookEvent"; --`,
  html: `<script>alert(document.cookie)</script><img src=x onerror=alert(1)>`,
  traversal: "../../../../etc/passwd",
  nul: "evt\u0000null",
  loneSurrogate: "evt\ud800lone\udfff",
  rtlOverride: "evt\u202egnp.exe",
  zeroWidth: "evt\u200b\u200d\ufeff",
  template: "${7*7}{{7*7}}<%= 7*7 %>",
  protoKey: "__proto__",
  overlong: "x".repeat(70_000),
};

/** JSON text nested `depth` levels deep, as arrays or as objects under key "a". */
export function nestedJson(depth: number, kind: "array" | "object" = "array"): string {
  return kind === "array" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "null" + "}".repeat(depth);
}

/** A body of `bytes` bytes of filler JSON. */
export function jsonOfSize(bytes: number): Buffer {
  const body = Buffer.alloc(bytes, 0x20);
  body.write('{"padding":"', 0);
  body.fill("x", 12, bytes - 2);
  body.write('"}', bytes - 2);
  return body;
}
