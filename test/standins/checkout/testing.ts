// Helpers for tests that use the Checkout.com stand-in: accounts with realistic keys, raw API calls,
// sample files, and a local webhook receiver.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { NAS_SANDBOX_KEY, SIGNATURE_KEY } from "../../helpers/factories";
import type { CheckoutStandIn } from "./server";
import type { AccountConfig } from "./state";

export { NAS_SANDBOX_KEY, SIGNATURE_KEY };
export const OTHER_NAS_KEY = "sk_sbox_zyxwvutsrqponmlkjihgfedcba3";
export const ABC_TEST_KEY = "sk_test_0d3b7c2a-5e41-4f6b-9a8c-1e2f3a4b5c6d";

export const nasAccount = (overrides: Partial<AccountConfig> = {}): AccountConfig => ({
  id: "shop_a",
  secretKey: NAS_SANDBOX_KEY,
  accountType: "NAS",
  signatureKey: SIGNATURE_KEY,
  ...overrides,
});
export const otherNasAccount = (overrides: Partial<AccountConfig> = {}): AccountConfig => ({
  id: "shop_b",
  secretKey: OTHER_NAS_KEY,
  accountType: "NAS",
  signatureKey: "whsec-other-signature-key-0002",
  ...overrides,
});
export const abcAccount = (overrides: Partial<AccountConfig> = {}): AccountConfig => ({
  id: "shop_abc",
  secretKey: ABC_TEST_KEY,
  accountType: "ABC",
  ...overrides,
});

/** The Authorization header Checkout.com expects for a key: Bearer for NAS keys, bare for ABC keys. */
const authFor = (secretKey: string) => (secretKey.startsWith("sk_sbox_") ? `Bearer ${secretKey}` : secretKey);

export interface ApiAnswer {
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  body: any;
  text: string;
  headers: Headers;
}

/** Calls the stand-in's API as a client would. */
export async function call(
  standIn: CheckoutStandIn,
  method: string,
  path: string,
  options: {
    key?: string | null;
    body?: unknown;
    rawBody?: BodyInit;
    headers?: Record<string, string>;
    idempotencyKey?: string;
    /** "manual" to see a 302 itself (GET /reports/{id}/files/{fileId}) rather than where it leads. */
    redirect?: RequestRedirect;
  } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? NAS_SANDBOX_KEY : options.key;
  if (key !== null) headers.Authorization = authFor(key);
  if (options.idempotencyKey) headers["Cko-Idempotency-Key"] = options.idempotencyKey;
  let body = options.rawBody;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${standIn.url}${path}`, { method, headers, body, redirect: options.redirect });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text, headers: response.headers };
}

/** The smallest files of each accepted kind. */
export const SAMPLE_FILES = {
  pdf: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
  png: Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex"),
  jpg: Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex"),
};

/** A multipart POST /files body as a browser or the SDK would send it. */
export function fileForm(data: Uint8Array, filename: string, purpose: string | null = "dispute_evidence", type = "application/octet-stream") {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(data)], { type }), filename);
  if (purpose !== null) form.append("purpose", purpose);
  return form;
}

interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A local webhook endpoint. `answers` are the statuses it gives in turn (the last repeats; default
 * 200); "hang" never answers, to test the delivery timeout.
 */
export async function startReceiver(answers: Array<number | "hang"> = [200]) {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const answer = answers[Math.min(received.length - 1, answers.length - 1)];
      if (answer === "hang") hanging.add(res);
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/checkout`,
    received,
    events: () => received.map((r) => JSON.parse(r.body) as Record<string, any>),
    close: () =>
      new Promise<void>((resolve) => {
        hanging.forEach((res) => res.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
