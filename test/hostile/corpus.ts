// The hostile corpus: bad requests to every HTTP entry point, as a table. Each row says what is sent
// and how the app must answer: a 4xx (never 2xx or 5xx; the only exception is the login redirect an
// embedded-admin request without any token gets), and nothing stored. Rows refused after the caller
// proved who they are name the shop whose audit log records the refusal (the app audits every staff
// and agent action, whatever the outcome).
import crypto from "node:crypto";
import { checkoutEvent, paymentEventData, paymentFixture, signBody } from "../fixtures/checkout-events";
import { NAS_SANDBOX_KEY } from "../helpers/factories";
import { TEST_API_SECRET } from "../helpers/env";
import { shopifyWebhookHeaders } from "../helpers/shopify";
import type { Credentials } from "./credentials";
import type { RawRequest } from "./http";
import { HOSTILE_STRINGS, jsonOfSize, nestedJson } from "./strings";
import type { HostileWorld, SeededShop } from "./world";

export const ENTRY_POINTS = ["checkout-webhook", "shopify-webhook", "zendesk-api", "order-block", "app-action", "static-files"] as const;
type EntryPoint = (typeof ENTRY_POINTS)[number];

export interface HostileCase {
  entry: EntryPoint;
  name: string;
  request: RawRequest;
  /** The status the app must answer with, or "connection cut" (see `cut`). */
  status: number | "connection cut";
  /**
   * Embedded-admin requests without any token are sent to log in (@shopify/shopify-app-remix): a 302
   * for a page, Remix's 204 + X-Remix-Redirect for a data request. The path they are sent to.
   */
  redirect?: string;
  /** The shop whose audit log records this refusal. */
  auditedIn?: string;
}

const MB = 1024 * 1024;
const S = HOSTILE_STRINGS;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const text = (value: string) => Buffer.from(value, "utf8");
const form = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) params.append(key, one);
  return Buffer.from(params.toString());
};
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };
const JSON_TYPE = { "Content-Type": "application/json" };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

// ---------------------------------------------------------------------------------------------
// Checkout.com webhooks: POST /webhooks/checkout/<endpointId> (node:http fast path in server.ts)

function checkoutWebhookCases(w: HostileWorld): HostileCase[] {
  const { a, b } = w;
  const event = checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture({ reference: "#5550001" })));
  const body = json(event);
  const cases: HostileCase[] = [];
  const add = (
    name: string,
    status: number,
    options: {
      endpoint?: string;
      path?: string;
      method?: string;
      body?: Buffer;
      headers?: Record<string, string>;
      signature?: string | null;
      chunked?: boolean;
    } = {},
  ) => {
    const sent = options.body ?? body;
    const headers: Record<string, string> = { ...JSON_TYPE, ...options.headers };
    const signature = options.signature === undefined ? signBody(sent, a.signatureKey) : options.signature;
    if (signature !== null) headers["Cko-Signature"] = signature;
    cases.push({
      entry: "checkout-webhook",
      name,
      status,
      request: {
        method: options.method ?? "POST",
        path: options.path ?? `/webhooks/checkout/${options.endpoint ?? a.endpointId}`,
        headers,
        body: sent,
        chunked: options.chunked,
      },
    });
  };

  // Signatures and the Authorization value.
  const good = signBody(body, a.signatureKey);
  add("no Cko-Signature", 401, { signature: null });
  add("empty Cko-Signature", 401, { signature: "" });
  add("signed with an unknown key", 401, { signature: signBody(body, "whsec-attacker-guess") });
  add("signed with shop B's key, sent to shop A", 401, { signature: signBody(body, b.signatureKey) });
  add("signed with shop A's key, sent to shop B's endpoint", 401, { endpoint: b.endpointId, headers: { Authorization: b.authorization! } });
  add("signed with the secret API key instead of the signature key", 401, { signature: signBody(body, NAS_SANDBOX_KEY) });
  add("the signature of another body", 401, { signature: signBody(json({ ...event, id: "evt_other" }), a.signatureKey) });
  add("body changed after signing (amount)", 401, { signature: good, body: json({ ...event, data: { ...(event.data as object), amount: 1 } }) });
  add("body re-serialised (pretty-printed) after signing", 401, { signature: good, body: Buffer.from(JSON.stringify(event, null, 2)) });
  add("body with a trailing newline after signing", 401, { signature: good, body: Buffer.concat([body, Buffer.from("\n")]) });
  add("signature cut to 63 hex digits", 401, { signature: good.slice(0, 63) });
  add("signature with one hex digit too many", 401, { signature: `${good}0` });
  add("signature with a sha256= prefix", 401, { signature: `sha256=${good}` });
  add("signature in base64 (Shopify's style)", 401, { signature: Buffer.from(good, "hex").toString("base64") });
  add("64 characters that are not hex", 401, { signature: "z".repeat(64) });
  add("two signatures, comma-separated", 401, { signature: `${signBody(body, "k1")},${good}` });
  add("SQL injection as the signature", 401, { signature: S.sql });
  add("HTML as the signature", 401, { signature: S.html });
  add("shop B: right signature, no Authorization", 401, { endpoint: b.endpointId, signature: signBody(body, b.signatureKey) });
  add("shop B: right signature, wrong Authorization", 401, {
    endpoint: b.endpointId,
    signature: signBody(body, b.signatureKey),
    headers: { Authorization: "Bearer guessed" },
  });
  add("shop B: Authorization with one character more", 401, {
    endpoint: b.endpointId,
    signature: signBody(body, b.signatureKey),
    headers: { Authorization: `${b.authorization}x` },
  });
  add("shop B: Authorization in lower case", 401, {
    endpoint: b.endpointId,
    signature: signBody(body, b.signatureKey),
    headers: { Authorization: b.authorization!.toLowerCase() },
  });

  // A store that uninstalled the app: its deliveries are refused unstored, however well signed.
  add("a signed delivery for a store that uninstalled the app", 410, {
    endpoint: w.uninstalled.endpointId,
    signature: signBody(body, w.uninstalled.signatureKey),
  });

  // Endpoint ids that are not this shop's, or not ids at all.
  add("unknown endpoint id", 404, { endpoint: crypto.randomBytes(24).toString("base64url") });
  add("endpoint id too short", 404, { endpoint: "abc" });
  add("endpoint id of 300 characters", 404, { endpoint: "A".repeat(300) });
  add("no endpoint id", 404, { path: "/webhooks/checkout/" });
  add("path traversal to an admin route", 404, { path: "/webhooks/checkout/../../app/holds" });
  add("encoded path traversal", 404, { path: "/webhooks/checkout/%2e%2e%2f%2e%2e%2fhealthz" });
  add("shop A's endpoint id with a subpath", 404, { path: `/webhooks/checkout/${a.endpointId}/../${b.endpointId}` });
  add("SQL injection as the endpoint id", 404, { path: `/webhooks/checkout/${encodeURIComponent(S.sql)}` });
  add("endpoint id with a NUL", 404, { path: `/webhooks/checkout/${a.endpointId}%00` });
  add("endpoint id with an RTL override", 404, { path: `/webhooks/checkout/${a.endpointId}%E2%80%AE` });
  add("endpoint id with an encoded lone surrogate", 404, { path: `/webhooks/checkout/${a.endpointId}%ED%A0%80` });
  add("endpoint id with a broken percent escape", 404, { path: `/webhooks/checkout/${a.endpointId}%E0%A4%A` });
  add("shop A's endpoint id in upper case", 404, {
    endpoint: a.endpointId.toUpperCase() === a.endpointId ? a.endpointId.toLowerCase() : a.endpointId.toUpperCase(),
  });
  add("__proto__ as the endpoint id", 404, { endpoint: "__proto__" });
  add("constructor as the endpoint id", 404, { endpoint: "constructor" });

  // A spray of endpoint ids: each answered 404 before its body is read, without a lookup evicting a real
  // endpoint from the cache (the 429 once a client's budget is spent: hostile-requests.test.ts).
  const sprayed = () => crypto.randomBytes(24).toString("base64url");
  for (let i = 1; i <= 12; i++) add(`sprayed endpoint id ${i}`, 404, { endpoint: sprayed() });
  const last = a.endpointId.at(-1) === "A" ? "B" : "A";
  add("shop A's endpoint id with its last character changed", 404, { endpoint: `${a.endpointId.slice(0, -1)}${last}` });
  add("an endpoint id of 128 characters, the longest an id may be", 404, { endpoint: "A".repeat(128) });
  add("a sprayed endpoint id with a body declared as 5 MB but never sent", 404, {
    endpoint: sprayed(),
    headers: { "Content-Length": String(5 * MB) },
    body: Buffer.alloc(64 * 1024, 0x20),
    signature: null,
  });
  add("a sprayed endpoint id with a 5 MB chunked body", 404, { endpoint: sprayed(), body: jsonOfSize(5 * MB), chunked: true, signature: null });
  add("a sprayed endpoint id with a correctly signed event for shop A", 404, { endpoint: sprayed() });

  // Methods.
  for (const method of ["GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]) add(`${method} instead of POST`, 405, { method });

  // Sizes: the limit is checked before anything else.
  add("declared body over 1 MB (unsigned)", 413, { body: jsonOfSize(MB + 1), signature: null });
  add("chunked body over 1 MB (no Content-Length)", 413, { body: jsonOfSize(MB + 1), signature: null, chunked: true });
  add("correctly signed body over 1 MB", 413, { body: jsonOfSize(MB + 1) });
  add("5 MB chunked body to shop B", 413, { endpoint: b.endpointId, body: jsonOfSize(5 * MB), chunked: true, signature: null });
  add("a Content-Length far larger than the body", 413, { headers: { "Content-Length": "999999999" }, body: Buffer.alloc(0), signature: null });

  // Content types, with forged signatures: a webhook is verified before its type matters.
  add("text/plain body", 401, { headers: { "Content-Type": "text/plain" }, body: text("hello"), signature: signBody("x", a.signatureKey) });
  add("form-encoded body", 401, { headers: FORM, body: form({ id: "evt_x", type: "payment_approved" }), signature: "0".repeat(64) });
  add("multipart body", 401, {
    headers: { "Content-Type": "multipart/form-data; boundary=x" },
    body: text("--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--"),
    signature: "0".repeat(64),
  });
  add("XML body", 401, {
    headers: { "Content-Type": "application/xml" },
    body: text("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"),
    signature: null,
  });
  add("malformed JSON, unsigned", 401, { body: text('{"id": "evt_'), signature: null });
  add("10,000 levels of nesting, unsigned", 401, { body: text(nestedJson(10_000)), signature: null });

  // Correctly signed bodies that are not Checkout.com events: verified, then refused by the parser.
  const signedInvalid: Array<[string, Buffer]> = [
    ["empty body", Buffer.alloc(0)],
    ["truncated JSON", body.subarray(0, 40)],
    ["null", text("null")],
    ["an array", text("[]")],
    ["a number", text("42")],
    ["a string", text('"evt_x"')],
    ["an empty object", text("{}")],
    ["an id and no type", json({ id: "evt_only" })],
    ["a type and no id", json({ type: "payment_approved" })],
    ["a numeric id", json({ ...event, id: 12345 })],
    ["an empty id", json({ ...event, id: "" })],
    ["an id of 300 characters", json({ ...event, id: `evt_${"a".repeat(296)}` })],
    ["a type of 70,000 characters", json({ ...event, type: S.overlong })],
    ["an id that is an object (NoSQL operator)", json({ ...event, id: { $ne: null } })],
    ["data that is an array", json({ ...event, data: [1, 2] })],
    ["data that is a string", json({ ...event, data: "pay_x" })],
    ["a UTF-8 byte order mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body])],
    ["an invalid UTF-8 byte in a string", Buffer.concat([text('{"id":"evt_utf8","type":"payment_approved","data":{"x":"'), Buffer.from([0xff]), text('"}}')])],
    ["an overlong UTF-8 encoding of '/'", Buffer.concat([text('{"id":"evt_'), Buffer.from([0xc0, 0xaf]), text('","type":"payment_approved"}')])],
    ["UTF-16 instead of UTF-8", Buffer.from(JSON.stringify(event), "utf16le")],
    ["trailing garbage after the JSON", Buffer.concat([body, text("garbage")])],
    ["NaN, which JSON does not have", text('{"id":"evt_nan","type":"payment_approved","data":{"amount":NaN}}')],
    ["single-quoted JSON", text("{'id':'evt_q','type':'payment_approved'}")],
    ["JSON with comments", text('{"id":"evt_c", /* hi */ "type":"payment_approved"}')],
    ["10,000 nested arrays", text(nestedJson(10_000))],
    ["10,000 nested objects", text(nestedJson(10_000, "object"))],
    ["an event whose data nests 10,000 levels", text(`{"id":"evt_deep","type":"payment_approved","data":{"metadata":${nestedJson(10_000, "object")}}}`)],
    ["an event whose data nests 40 levels", text(`{"id":"evt_deep40","type":"payment_approved","data":{"metadata":${nestedJson(40)}}}`)],
    ["a NUL in the id", json({ ...event, id: S.nul })],
    ["a lone surrogate in the id", json({ ...event, id: S.loneSurrogate })],
    ["an RTL override in the id", json({ ...event, id: S.rtlOverride })],
    ["zero-width characters in the id", json({ ...event, id: S.zeroWidth })],
    ["SQL injection as the id", json({ ...event, id: S.sql })],
    ["path traversal as the id", json({ ...event, id: S.traversal })],
    ["template syntax as the id", json({ ...event, id: S.template })],
    ["HTML as the type", json({ ...event, type: S.html })],
    ["a NUL in the type", json({ ...event, type: "payment_approved\u0000" })],
    ["the event under __proto__", text(`{"__proto__":${JSON.stringify(event)}}`)],
    ["the event under constructor.prototype", json({ constructor: { prototype: event } })],
    ["a duplicate id key whose last value is invalid", text(`{"id":"evt_dup","type":"payment_approved","id":"evt dup <b>"}`)],
  ];
  for (const [name, bytes] of signedInvalid) add(`correctly signed: ${name}`, 400, { body: bytes });
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Shopify webhooks: the order topics before Remix (server.ts, app/server/lifecycle.server.ts), the rest
// through Remix routes; HMAC by @shopify/shopify-api either way

function shopifyWebhookCases(w: HostileWorld): HostileCase[] {
  const routes = [
    {
      path: "/webhooks/orders/create",
      topic: "orders/create",
      payload: { id: w.a.orderId, admin_graphql_api_id: `gid://shopify/Order/${w.a.orderId}`, name: `#${w.a.orderId}` },
    },
    {
      path: "/webhooks/orders/updated",
      topic: "orders/updated",
      payload: { id: w.a.orderId, admin_graphql_api_id: `gid://shopify/Order/${w.a.orderId}`, name: `#${w.a.orderId}` },
    },
    {
      path: "/webhooks/order_transactions/create",
      topic: "order_transactions/create",
      payload: { id: 1, order_id: w.a.orderId, kind: "sale", status: "success", gateway: "checkout", receipt: {} },
    },
    { path: "/webhooks/app/uninstalled", topic: "app/uninstalled", payload: { id: 1, domain: w.a.domain } },
    { path: "/webhooks/app/scopes_update", topic: "app/scopes_update", payload: { current: ["read_orders"], previous: [] } },
    { path: "/webhooks/compliance", topic: "shop/redact", payload: { shop_id: 1, shop_domain: w.a.domain } },
  ];
  const hmac = (bytes: Buffer, secret = TEST_API_SECRET) => crypto.createHmac("sha256", secret).update(bytes).digest("base64");
  const cases: HostileCase[] = [];
  const add = (name: string, status: number, request: RawRequest) => cases.push({ entry: "shopify-webhook", name, status, request });

  for (const route of routes) {
    const body = json(route.payload);
    const post = (name: string, status: number, bytes: Buffer, signature: string | null, extra: Record<string, string> = {}, chunked = false) =>
      add(`${route.path}: ${name}`, status, {
        method: "POST",
        path: route.path,
        headers: { ...shopifyWebhookHeaders(route.topic, w.a.domain, signature), ...extra },
        body: bytes,
        chunked,
      });
    post("no HMAC header", 400, body, null);
    post("HMAC made with another secret", 401, body, hmac(body, "attacker-guessed-secret"));
    post("HMAC of another body", 401, body, hmac(json({ ...route.payload, extra: 1 })));
    post("HMAC in hex instead of base64", 401, body, crypto.createHmac("sha256", TEST_API_SECRET).update(body).digest("hex"));
    post("forged HMAC, malformed JSON", 401, text('{"id": '), hmac(text("{}"), "guess"));
    post("forged HMAC, 10,000 levels of nesting", 401, text(nestedJson(10_000, "object")), hmac(body, "guess"));
    post("forged HMAC, a 1.5 MB body", 401, jsonOfSize(1.5 * MB), hmac(body, "guess"));
    post("forged HMAC, SQL injection as the shop domain", 401, body, hmac(body, "guess"), { "X-Shopify-Shop-Domain": S.sql });
    post("forged HMAC, another shop's domain", 401, body, hmac(body, "guess"), { "X-Shopify-Shop-Domain": w.b.domain });
    add(`${route.path}: GET instead of POST`, 405, { method: "GET", path: route.path, headers: {} });
  }
  const orders = routes[0];
  add("orders/create: a 20 MB declared body", 413, {
    method: "POST",
    path: orders.path,
    headers: shopifyWebhookHeaders(orders.topic, w.a.domain, "x"),
    body: jsonOfSize(20 * MB),
  });
  // Remix is already reading a chunked body when it passes the server's limit and owns the answer, so the
  // server cuts the connection instead.
  cases.push({
    entry: "shopify-webhook",
    name: "orders/create: a 17 MB chunked body",
    status: "connection cut",
    request: { method: "POST", path: orders.path, headers: shopifyWebhookHeaders(orders.topic, w.a.domain, "x"), body: jsonOfSize(17 * MB), chunked: true },
  });
  add("orders/create: form-encoded with a forged HMAC", 401, {
    method: "POST",
    path: orders.path,
    headers: { ...shopifyWebhookHeaders(orders.topic, w.a.domain, "eA=="), ...FORM },
    body: form({ id: "1" }),
  });

  // Genuinely signed (as Shopify signs) but not what the topic carries: refused by the route's zod schema.
  const signed = (path: string, topic: string, payload: unknown, name: string) => {
    const bytes = json(payload);
    add(`${path}: signed, ${name}`, 400, { method: "POST", path, headers: shopifyWebhookHeaders(topic, w.a.domain, hmac(bytes)), body: bytes });
  };
  signed("/webhooks/orders/create", "orders/create", {}, "an empty order");
  signed("/webhooks/orders/create", "orders/create", { id: S.sql, admin_graphql_api_id: S.html }, "an order id that is SQL");
  signed(
    "/webhooks/orders/create",
    "orders/create",
    { id: 1, admin_graphql_api_id: { __proto__: { polluted: true } } },
    "a prototype-pollution object as the order gid",
  );
  signed("/webhooks/orders/updated", "orders/updated", { id: "1; DROP TABLE" }, "an order without its gid");
  signed("/webhooks/order_transactions/create", "order_transactions/create", { id: 1, order_id: S.sql }, "a transaction whose order id is SQL");
  signed("/webhooks/app/scopes_update", "app/scopes_update", { current: "read_orders" }, "scopes that are not a list");
  signed("/webhooks/compliance", "customers/data_request", { shop_domain: w.a.domain }, "a data request without a customer");
  signed(
    "/webhooks/compliance",
    "customers/redact",
    { shop_domain: w.a.domain, customer: { email: 42 }, orders_to_redact: "all" },
    "a redact request of the wrong shape",
  );
  signed("/webhooks/compliance", "orders/create", { id: 1 }, "a topic the compliance route does not take");
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Zendesk API: /api/zendesk/* (JWT signed by Zendesk's proxy with the connection's shared secret)

function zendeskCases(w: HostileWorld, c: Credentials): HostileCase[] {
  const { a, b } = w;
  const z = c.zendesk;
  const cases: HostileCase[] = [];
  const add = (name: string, status: number, request: RawRequest, auditedIn?: string) => cases.push({ entry: "zendesk-api", name, status, request, auditedIn });
  const timeline = (paymentId: string, token: string | null, extra: Record<string, string> = {}): RawRequest => ({
    method: "GET",
    path: `/api/zendesk/payments/${paymentId}`,
    headers: { ...(token === null ? {} : bearer(token)), ...extra },
  });
  const post = (path: string, token: string | null, body: Buffer, headers: Record<string, string> = JSON_TYPE, chunked = false): RawRequest => ({
    method: "POST",
    path,
    headers: { ...headers, ...(token === null ? {} : bearer(token)) },
    body,
    chunked,
  });
  const refundPath = (paymentId: string) => `/api/zendesk/payments/${paymentId}/refund`;
  const refundBody = (change: Record<string, unknown> = {}) =>
    json({ ticketId: 7, amount: 100, currency: "USD", reason: "Customer asked for a refund", ...change });

  // Tokens: every kind is tried on the timeline (read) and on a refund (money).
  const unauthorized: Array<[string, string | null, Record<string, string>?]> = [
    ["no Authorization header", null],
    ["an empty Bearer", null, { Authorization: "Bearer " }],
    ["Basic credentials", null, { Authorization: `Basic ${Buffer.from("agent:password").toString("base64")}` }],
    ["a token that is not a JWT", "not-a-jwt"],
    ["alg none", z.algNone],
    ["HS384 instead of HS256", z.hs384],
    ["HS512 instead of HS256", z.hs512],
    ["signed with a guessed secret", z.wrongSecret],
    ["shop A's connection signed with shop B's secret", z.otherShopsSecret],
    ["payload tampered after signing (ticket)", z.tamperedTicket],
    ["expired", z.expired],
    ["issued 15 minutes in the future", z.issuedInFuture],
    ["issued an hour ago (older than 5 minutes)", z.issuedLongAgo],
    ["without exp", z.noExpiry],
    ["a connection id that is SQL, not a UUID", z.connectionNotUuid],
    ["an unknown connection", z.unknownConnection],
    ["a revoked connection", z.revoked],
    ["another Zendesk subdomain", z.wrongSubdomain],
    ["no agent email", z.missingAgentEmail],
    ["a ticket id that is a string", z.ticketIdString],
    ["lower-case bearer", null, { Authorization: `bearer ${z.a}` }],
    ["two tokens", null, { Authorization: `Bearer ${z.a} Bearer ${z.a}` }],
  ];
  for (const [name, token, headers] of unauthorized) {
    add(`timeline: ${name}`, 401, timeline(a.ckoPaymentId, token, headers));
    add(`refund: ${name}`, 401, {
      ...post(refundPath(a.ckoPaymentId), token, refundBody()),
      headers: { ...JSON_TYPE, ...(token === null ? {} : bearer(token)), ...headers },
    });
  }
  add("timeline: the token in the query string", 401, { method: "GET", path: `/api/zendesk/payments/${a.ckoPaymentId}?token=${z.a}`, headers: {} });
  add("timeline: a store that uninstalled the app", 403, timeline(w.uninstalled.ckoPaymentId, z.uninstalledShop));
  add("refund: a store that uninstalled the app", 403, post(refundPath(w.uninstalled.ckoPaymentId), z.uninstalledShop, refundBody()));
  // Limits are per currency: the store's dollar limit is no yen limit, and yen has none.
  add(
    "refund: a yen payment, when the store set Zendesk limits for EUR and USD only",
    403,
    post(refundPath(a.yenCkoPaymentId), z.a, refundBody({ amount: 100, currency: "JPY" })),
    a.shopId,
  );

  // Another shop's payment: answered like a missing one.
  add("timeline of shop B's payment", 404, timeline(b.ckoPaymentId, z.a));
  add("refund of shop B's payment", 404, post(refundPath(b.ckoPaymentId), z.a, refundBody()));
  add("void of shop B's payment", 404, post(`/api/zendesk/payments/${b.ckoPaymentId}/void`, z.a, json({ ticketId: 7 })));
  add("evidence for shop B's payment", 404, post(`/api/zendesk/payments/${b.ckoPaymentId}/evidence`, z.a, json({ ticketId: 7, disputeId: b.disputeId })));
  add("lookup for a ticket the token was not signed for", 403, post("/api/zendesk/lookup", z.aTicket8, json({ ticketId: 7, paymentId: b.ckoPaymentId })));

  // Payment ids in the path that are not payment ids.
  for (const [name, id] of [
    ["path traversal", "pay_x%2F..%2F..%2Fadmin"],
    ["SQL injection", encodeURIComponent(S.sql)],
    ["a NUL", "pay_abc%00"],
    ["an RTL override", "pay_abc%E2%80%AE"],
    ["HTML", encodeURIComponent(S.html)],
    ["__proto__", "__proto__"],
  ] as const) {
    add(`timeline: ${name} as the payment id`, 400, timeline(id, z.a));
    add(`refund: ${name} as the payment id`, 400, post(refundPath(id), z.a, refundBody()));
  }

  // Bodies of a refund of shop A's own payment that must be refused before any money moves.
  const refund = (name: string, status: number, body: Buffer, headers: Record<string, string> = JSON_TYPE, audited = false, chunked = false) =>
    add(`refund: ${name}`, status, post(refundPath(a.ckoPaymentId), z.a, body, headers, chunked), audited ? a.shopId : undefined);
  refund("malformed JSON", 400, text('{"ticketId": 7,'));
  refund("an empty body", 400, Buffer.alloc(0));
  refund("null", 400, text("null"));
  refund("an array", 400, text("[]"));
  refund("5,000 levels of nesting", 400, text(nestedJson(5_000)));
  refund("10,000 levels of nesting (over 16 KB)", 413, text(nestedJson(10_000, "object")));
  refund("a 20 KB body", 413, jsonOfSize(20 * 1024));
  refund("a 2 MB chunked body", 413, jsonOfSize(2 * MB), JSON_TYPE, false, true);
  refund("a negative amount", 400, refundBody({ amount: -100 }));
  refund("a zero amount", 400, refundBody({ amount: 0 }));
  refund("a fractional amount", 400, refundBody({ amount: 1.5 }));
  refund("an amount as a string", 400, refundBody({ amount: "100" }));
  refund("an amount of 1e308", 422, refundBody({ amount: 1e308 }), JSON_TYPE, true);
  refund("a lower-case currency", 400, refundBody({ currency: "usd" }));
  refund("HTML as the currency", 400, refundBody({ currency: S.html }));
  refund("a NUL in the currency", 400, refundBody({ currency: "US\u0000" }));
  refund("a reason of 70,000 characters", 413, refundBody({ reason: S.overlong }));
  refund("a reason of 201 characters", 400, refundBody({ reason: "r".repeat(201) }));
  refund("a reason of two characters", 400, refundBody({ reason: "no" }));
  refund("the ticket id under __proto__", 400, text('{"__proto__":{"ticketId":7,"amount":100,"currency":"USD","reason":"polluted"}}'));
  refund("a ticket the token was not signed for", 403, refundBody({ ticketId: 8 }));
  refund("the body sent as text/plain", 415, refundBody(), { "Content-Type": "text/plain" });
  refund("the body sent form-encoded", 415, form({ ticketId: "7", amount: "100", currency: "USD", reason: "Customer asked" }), FORM);
  refund("no Content-Type", 415, refundBody(), {});
  add("void: a ticket id that is SQL", 400, post(`/api/zendesk/payments/${a.ckoPaymentId}/void`, z.a, json({ ticketId: S.sql })));
  add("evidence: no dispute id", 400, post(`/api/zendesk/payments/${a.ckoPaymentId}/evidence`, z.a, json({ ticketId: 7 })));
  add("lookup: nothing to look up by", 400, post("/api/zendesk/lookup", z.a, json({ ticketId: 7 })));
  add("lookup: an email that is SQL", 400, post("/api/zendesk/lookup", z.a, json({ ticketId: 7, email: S.sql })));
  add("lookup: an order name of 70,000 characters", 413, post("/api/zendesk/lookup", z.a, json({ ticketId: 7, orderName: S.overlong })));

  // Methods.
  add("GET on the refund address", 405, timeline(`${a.ckoPaymentId}/refund`, z.a));
  add("POST on the timeline", 405, post(`/api/zendesk/payments/${a.ckoPaymentId}`, z.a, json({})));
  add("DELETE on a payment", 405, { method: "DELETE", path: `/api/zendesk/payments/${a.ckoPaymentId}`, headers: bearer(z.a) });
  add("GET on the lookup", 405, { method: "GET", path: "/api/zendesk/lookup", headers: bearer(z.a) });
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Session-token cases shared by the order block and the admin actions

type TokenCase = [name: string, headers: Record<string, string>];

function forgedSessions(c: Credentials): TokenCase[] {
  const s = c.session;
  return [
    ["an expired session token", bearer(s.expired)],
    ["a session token not valid yet", bearer(s.notYetValid)],
    ["a session token signed with another secret", bearer(s.wrongSecret)],
    ["a session token for another app", bearer(s.otherApp)],
    ["a session token with alg none", bearer(s.algNone)],
    ["a session token re-signed with HS512", bearer(s.hs512)],
    ["shop A's session token with shop B's shop claims", bearer(s.tamperedShop)],
    ["a Bearer value that is not a JWT", bearer("garbage")],
  ];
}

// ---------------------------------------------------------------------------------------------
// The order page block: GET /api/order-block/:orderId (Shopify session token)

function orderBlockCases(w: HostileWorld, c: Credentials): HostileCase[] {
  const cases: HostileCase[] = [];
  const origin = { Origin: "https://extensions.shopifycdn.com" };
  const add = (name: string, status: number, request: RawRequest, redirect?: string) => cases.push({ entry: "order-block", name, status, request, redirect });
  const get = (orderId: string | number, headers: Record<string, string>): RawRequest => ({
    method: "GET",
    path: `/api/order-block/${orderId}`,
    headers: { ...origin, ...headers },
  });
  add("no session token", 302, get(w.a.orderId, {}), "/auth/login");
  for (const [name, headers] of forgedSessions(c)) add(name, 401, get(w.a.orderId, headers));
  add("shop B's order with shop A's token", 404, get(w.b.orderId, bearer(c.session.a)));
  for (const [name, id] of [
    ["a gid instead of the number", encodeURIComponent(`gid://shopify/Order/${w.a.orderId}`)],
    ["a negative number", "-5550001"],
    ["21 digits", "1".repeat(21)],
    ["SQL injection", encodeURIComponent(`${w.a.orderId} OR 1=1`)],
    ["path traversal", `..%2F..%2Fapp%2Fholds`],
    ["a NUL", `${w.a.orderId}%00`],
    ["an RTL override", `%E2%80%AE${w.a.orderId}`],
    ["full-width digits", encodeURIComponent("５５５０００１")],
  ] as const) {
    add(`${name} as the order id`, 400, get(id, bearer(c.session.a)));
  }
  for (const method of ["POST", "PUT", "DELETE"])
    add(`${method} instead of GET`, 405, {
      ...get(w.a.orderId, bearer(c.session.a)),
      method,
      headers: { ...origin, ...bearer(c.session.a), ...JSON_TYPE },
      body: json({}),
    });
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The embedded admin's actions (Remix actions behind a Shopify session token)

const dataPath = (path: string, routeId: string) => `${path}?_data=${encodeURIComponent(routeId)}`;

function appActionCases(w: HostileWorld, c: Credentials): HostileCase[] {
  const { a, b } = w;
  const token = bearer(c.session.a);
  const cases: HostileCase[] = [];
  const add = (name: string, status: number, request: RawRequest, options: { redirect?: string; auditedIn?: string } = {}) =>
    cases.push({ entry: "app-action", name, status, request, ...options });
  const submit = (path: string, routeId: string, body: Buffer, headers: Record<string, string> = { ...FORM, ...token }): RawRequest => ({
    method: "POST",
    path: dataPath(path, routeId),
    headers,
    body,
  });
  const holdPath = (id: string) => [`/app/holds/${id}`, "routes/app.holds.$id"] as const;
  const disputePath = (id: string) => [`/app/disputes/${id}`, "routes/app.disputes.$id"] as const;
  const routes = {
    settings: ["/app/settings", "routes/app.settings"],
    holds: ["/app/holds", "routes/app.holds._index"],
    rules: ["/app/rules", "routes/app.rules"],
    disputes: ["/app/disputes", "routes/app.disputes._index"],
    flow: ["/app/flow", "routes/app.flow"],
    zendesk: ["/app/zendesk", "routes/app.zendesk"],
    events: ["/app/events", "routes/app.events._index"],
    unmatched: ["/app/holds/unmatched", "routes/app.holds.unmatched"],
  } as const;

  // Who is asking: no token, or a forged one, on every action.
  const targets: Array<[string, readonly [string, string], Buffer]> = [
    ["release a hold", holdPath(a.holdId), form({ intent: "release" })],
    [
      "save the Checkout.com keys",
      routes.settings,
      form({ intent: "save", accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: NAS_SANDBOX_KEY }),
    ],
    ["release holds in bulk", routes.holds, form({ intent: "release", holdId: a.holdId })],
    ["save risk rules", routes.rules, form({ intent: "remove-entry", id: a.listEntryId })],
    ["accept a dispute", disputePath(a.disputeId), form({ intent: "accept" })],
    ["turn on evidence auto-submit", routes.disputes, form({ enabled: "true", days: "2" })],
    ["save Flow triggers", routes.flow, form({ trigger: "payment-flagged" })],
    ["create a Zendesk connection", routes.zendesk, form({ intent: "create", subdomain: "attacker" })],
    ["replay dead events", routes.events, form({ intent: "replay-dead" })],
    ["link a payment to an order", routes.unmatched, form({ paymentId: a.paymentId, order: "#1001" })],
  ];
  for (const [what, [path, routeId], body] of targets) {
    add(`${what}: no session token (page request)`, 302, { method: "POST", path, headers: FORM, body }, { redirect: "/auth/login" });
    add(`${what}: no session token (data request)`, 204, submit(path, routeId, body, FORM), { redirect: "/auth/login" });
    for (const [name, headers] of forgedSessions(c)) add(`${what}: ${name}`, 401, submit(path, routeId, body, { ...FORM, ...headers }));
  }

  // Wrong shop: shop A's staff naming shop B's records.
  add("release shop B's hold", 404, submit(...holdPath(b.holdId), form({ intent: "release" })), { auditedIn: a.shopId });
  add("cancel shop B's held order", 404, submit(...holdPath(b.holdId), form({ intent: "cancel" })), { auditedIn: a.shopId });
  add("note on shop B's hold", 404, submit(...holdPath(b.holdId), form({ intent: "note", note: "mine now" })), { auditedIn: a.shopId });
  add("bulk-release shop B's hold", 422, submit(...routes.holds, form({ intent: "release", holdId: b.holdId })), { auditedIn: a.shopId });
  add("remove shop B's deny-list entry", 404, submit(...routes.rules, form({ intent: "remove-entry", id: b.listEntryId })), { auditedIn: a.shopId });
  add("accept shop B's dispute", 404, submit(...disputePath(b.disputeId), form({ intent: "accept" })), { auditedIn: a.shopId });
  add(
    "save evidence texts on shop B's dispute",
    404,
    submit(...disputePath(b.disputeId), form({ intent: "save_draft", invoice_or_receipt_text: "overwritten" })),
    { auditedIn: a.shopId },
  );
  add("rotate shop B's Zendesk secret", 404, submit(...routes.zendesk, form({ intent: "rotate", id: b.zendesk.connection.id })));
  add("revoke shop B's Zendesk connection", 404, submit(...routes.zendesk, form({ intent: "revoke", id: b.zendesk.connection.id })));
  add(
    "change shop B's Zendesk permissions",
    404,
    submit(...routes.zendesk, form({ intent: "permissions", id: b.zendesk.connection.id, allowRefunds: "true" })),
  );
  add("link shop B's payment to an order", 404, submit(...routes.unmatched, form({ paymentId: b.paymentId, order: "#1001" })), { auditedIn: a.shopId });
  add("link a payment named by SQL", 400, submit(...routes.unmatched, form({ paymentId: S.sql, order: "#1001" })));
  add("replay an event that is not this shop's", 404, submit("/app/events/" + crypto.randomUUID(), "routes/app.events.$id", form({ intent: "replay" })));

  // Content types: these actions take forms.
  for (const [name, headers, body] of [
    ["a JSON body", JSON_TYPE, json({ intent: "release" })],
    ["a text/plain body", { "Content-Type": "text/plain" }, text("intent=release")],
    ["no Content-Type", {}, text("intent=release")],
    ["XML", { "Content-Type": "application/xml" }, text("<intent>release</intent>")],
  ] as const) {
    add(`release a hold: ${name}`, 415, submit(...holdPath(a.holdId), body, { ...headers, ...token }));
    add(`save settings: ${name}`, 415, submit(...routes.settings, body, { ...headers, ...token }));
  }
  add(
    "release a hold: multipart with a broken boundary",
    400,
    submit(...holdPath(a.holdId), text("--nope\r\n\r\nintent=release"), { "Content-Type": "multipart/form-data; boundary=x", ...token }),
  );
  add(
    "attach evidence: multipart with a broken boundary",
    400,
    submit(...disputePath(a.disputeId), text("garbage without parts"), { "Content-Type": "multipart/form-data; boundary=x", ...token }),
  );
  const multipart = (fields: Record<string, string>, file: { name: string; bytes: Buffer }) => {
    const boundary = "hostileboundary";
    const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    return { body: Buffer.concat(parts), headers: { "Content-Type": `multipart/form-data; boundary=${boundary}`, ...token } };
  };
  const big = multipart({ intent: "attach", field: "invoice_or_receipt_file" }, { name: "big.pdf", bytes: Buffer.alloc(5 * MB, 0x25) });
  add("attach evidence: a 5 MB file", 413, submit(...disputePath(a.disputeId), big.body, big.headers));
  const exe = multipart({ intent: "attach", field: "invoice_or_receipt_file" }, { name: "../../invoice.pdf.exe", bytes: Buffer.from("MZ\x90\x00 not a pdf") });
  add("attach evidence: an executable named like a PDF, with a path", 422, submit(...disputePath(a.disputeId), exe.body, exe.headers), { auditedIn: a.shopId });
  add("any action: a 20 MB body", 413, submit(...holdPath(a.holdId), Buffer.alloc(20 * MB, 0x61), { ...FORM, ...token }));

  // Forms that do not say what to do, or say it wrong.
  const hold = (name: string, fields: Record<string, string | string[]>, status = 400) =>
    add(`hold: ${name}`, status, submit(...holdPath(a.holdId), form(fields)));
  hold("no intent", {});
  hold("an unknown intent", { intent: "approve" });
  hold("HTML as the intent", { intent: S.html });
  hold("__proto__ as a field name", { ["__proto__"]: "release", "__proto__[intent]": "release" });
  hold("constructor.prototype as a field name", { "constructor[prototype][intent]": "release" });
  hold("deny-list an unknown target", { intent: "deny", target: "admin" });
  hold("a note of 70,000 characters", { intent: "note", note: S.overlong });
  add("hold: SQL injection as the hold id", 404, submit(...holdPath(encodeURIComponent(S.sql)), form({ intent: "release" })), { auditedIn: a.shopId });
  add("hold: path traversal as the hold id", 404, submit(...holdPath("..%2F..%2Fapi%2Fzendesk%2Flookup"), form({ intent: "release" })), {
    auditedIn: a.shopId,
  });
  add("bulk release: a hold id that is not a UUID", 400, submit(...routes.holds, form({ intent: "release", holdId: S.sql })));
  add("bulk release: no holds", 400, submit(...routes.holds, form({ intent: "release" })));
  add("bulk release: 251 holds", 400, submit(...routes.holds, form({ intent: "release", holdId: Array.from({ length: 251 }, () => crypto.randomUUID()) })));
  add("bulk: an intent that is not a bulk action", 400, submit(...routes.holds, form({ intent: "deny", holdId: a.holdId })));
  add("bulk assign: to anyone but me or nobody", 400, submit(...routes.holds, form({ intent: "assign", assignee: "74000099", holdId: a.holdId })));
  add("bulk cancel: shop B's hold", 422, submit(...routes.holds, form({ intent: "cancel", holdId: b.holdId })), { auditedIn: a.shopId });
  add("settings: HTML as the account type", 400, submit(...routes.settings, form({ intent: "save", accountType: S.html, environment: "sandbox" })));
  add(
    "settings: SQL as the API subdomain",
    400,
    submit(...routes.settings, form({ intent: "save", accountType: "NAS", environment: "sandbox", subdomain: S.sql, secretKey: NAS_SANDBOX_KEY })),
  );
  add(
    "settings: a NUL in the secret key",
    400,
    submit(...routes.settings, form({ intent: "save", accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: `sk_sbox_${S.nul}` })),
  );
  add(
    "settings: a production key for a sandbox account",
    400,
    submit(
      ...routes.settings,
      form({ intent: "save", accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", secretKey: "sk_abcdefghijklmnopqrstuvwxyz2" }),
    ),
  );
  add("settings: activate SQL as the environment", 400, submit(...routes.settings, form({ intent: "activate", environment: S.sql })));
  add("settings: activate production, which has no keys", 404, submit(...routes.settings, form({ intent: "activate", environment: "production" })));
  add(
    "settings: HTML as the processing channels",
    400,
    submit(...routes.settings, form({ intent: "save", accountType: "NAS", environment: "sandbox", subdomain: "abcd1234", processingChannelIds: S.html })),
  );
  add("rules: an unknown intent", 400, submit(...routes.rules, form({ intent: "drop-table" })));
  add("rules: thresholds that are not numbers", 400, submit(...routes.rules, form({ intent: "rules", scoreThreshold: S.sql, amountThresholds: S.html })), {
    auditedIn: a.shopId,
  });
  add("rules: a list entry of an unknown kind", 400, submit(...routes.rules, form({ intent: "add-entry", list: "deny", kind: "__proto__", value: "x" })), {
    auditedIn: a.shopId,
  });
  add(
    "rules: a list entry on an unknown list",
    400,
    submit(...routes.rules, form({ intent: "add-entry", list: S.sql, kind: "email", value: "a@example.com" })),
    { auditedIn: a.shopId },
  );
  add("rules: remove an entry whose id is SQL", 404, submit(...routes.rules, form({ intent: "remove-entry", id: S.sql })), { auditedIn: a.shopId });
  add("dispute: an unknown intent", 400, submit(...disputePath(a.disputeId), form({ intent: "win" })));
  add(
    "dispute: an evidence text of 501 characters",
    400,
    submit(...disputePath(a.disputeId), form({ intent: "save_draft", invoice_or_receipt_text: "w ".repeat(250) + "x" })),
  );
  add("dispute: attach without a file", 400, submit(...disputePath(a.disputeId), form({ intent: "attach", field: "invoice_or_receipt_file" })));
  add("disputes: auto-submit days that are SQL", 400, submit(...routes.disputes, form({ enabled: "true", days: S.sql })), { auditedIn: a.shopId });
  add("disputes: auto-submit days out of range", 400, submit(...routes.disputes, form({ enabled: "true", days: "-1" })), { auditedIn: a.shopId });
  add("flow: an unknown trigger", 400, submit(...routes.flow, form({ trigger: S.traversal })));
  add("zendesk: an unknown intent", 400, submit(...routes.zendesk, form({ intent: "steal" })));
  add("zendesk: a connection id that is not a UUID", 400, submit(...routes.zendesk, form({ intent: "revoke", id: S.sql })));
  add("zendesk: HTML as the subdomain", 400, submit(...routes.zendesk, form({ intent: "create", subdomain: S.html })));
  add("zendesk: an RTL override in the subdomain", 400, submit(...routes.zendesk, form({ intent: "create", subdomain: "acme\u202elive" })));
  add("events: an unknown intent", 400, submit(...routes.events, form({ intent: "delete-all" })));
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Static files and unknown paths (server.ts serves build/client before Remix)

function staticFileCases(): HostileCase[] {
  const get = (name: string, path: string, status = 404): HostileCase => ({
    entry: "static-files",
    name,
    status,
    request: { method: "GET", path, headers: {} },
  });
  return [
    get("a broken percent escape", "/assets/%E0%A4%A"),
    get("a lone percent sign", "/%"),
    get("an encoded lone surrogate", "/assets/%ED%A0%80.js"),
    get("a NUL in the path", "/assets/%00.js"),
    get("traversal to the server build", "/assets/..%2F..%2Fserver%2Findex.js"),
    get("traversal to the package file", "/..%2F..%2Fpackage.json"),
    get("traversal to /etc/passwd", "/assets/../../../../etc/passwd"),
    get("an unknown admin page", "/app/does-not-exist"),
    get("SQL injection as a path", `/${encodeURIComponent(S.sql)}`),
  ];
}

/** Every case, in a fixed order. */
export function hostileCorpus(world: HostileWorld, credentials: Credentials): HostileCase[] {
  return [
    ...checkoutWebhookCases(world),
    ...shopifyWebhookCases(world),
    ...zendeskCases(world, credentials),
    ...orderBlockCases(world, credentials),
    ...appActionCases(world, credentials),
    ...staticFileCases(),
  ];
}

/** The secrets the server holds for the seeded shops: never in an answer, never in a log. */
export function serverSecrets(world: HostileWorld): Array<[string, string]> {
  const shops: SeededShop[] = [world.a, world.b, world.uninstalled];
  return [
    ["the app's API secret", TEST_API_SECRET],
    ["the Checkout.com secret key", NAS_SANDBOX_KEY],
    ...shops.map((s): [string, string] => [`${s.domain}'s webhook signature key`, s.signatureKey]),
    ...shops.map((s): [string, string] => [`${s.domain}'s Zendesk shared secret`, s.zendesk.secret]),
    ["shop B's webhook Authorization value", world.b.authorization!],
  ];
}

/** What an answer may never contain: secrets, stack traces, source paths, database errors. */
export function leakPatterns(world: HostileWorld): Array<[string, RegExp | string]> {
  return [
    ...serverSecrets(world),
    ["a stack trace", /\n\s+at [^\n]+:\d+:\d+/],
    ["a source path", /\/work\/|node_modules|\.tsx?:\d+/],
    ["a Prisma error", /Prisma|Invalid `.*` invocation/],
  ];
}
