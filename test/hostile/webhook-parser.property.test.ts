// Property tests for the Checkout.com webhook parser (app/webhooks/envelope.ts) and its signature check
// (app/webhooks/signature.server.ts): whatever arrives, the parser answers with an event or its own
// refusal and never throws; genuine NAS and ABC envelopes always parse to their id and type; and the
// signature holds for exactly the bytes that were signed, so a re-serialised body fails it.
import crypto from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KNOWN_EVENT_TYPES } from "../../app/webhooks/event-types";
import { envelopeStyle, eventPaymentId, eventTime, MAX_EVENT_DEPTH, parseCheckoutEvent, type ParsedEvent } from "../../app/webhooks/envelope";
import { signatureMatches } from "../../app/webhooks/signature.server";
import { HOSTILE_STRINGS, nestedJson } from "./strings";

const REFUSAL = /^Body (is not UTF-8|nests deeper than \d+ levels|is not JSON|is not a Checkout\.com event: \S+ .+)$/;
const utf8 = (text: string) => Buffer.from(text, "utf8");

/** Parses and checks the answer's shape; a throw fails the property. */
function parse(body: Uint8Array): ParsedEvent {
  const result = parseCheckoutEvent(body);
  if (result.ok) {
    expect(result.event.id).toMatch(/^[A-Za-z0-9_.:-]{1,256}$/);
    expect(result.event.type).toMatch(/^[A-Za-z0-9_.:-]{1,256}$/);
    // What is stored is exactly what was signed: the text encodes back to the same bytes.
    expect(Buffer.from(result.text, "utf8").equals(Buffer.from(body))).toBe(true);
    // Everything the inbox reads from a parsed event is total too.
    expect(eventPaymentId(result.event) ?? "pay_x").toMatch(/^pay_[A-Za-z0-9]+$/);
    expect(["NAS", "ABC"]).toContain(envelopeStyle(result.event));
    const at = eventTime(result.event);
    expect(at === null || !Number.isNaN(at.getTime())).toBe(true);
  } else {
    expect(result.error).toMatch(REFUSAL);
  }
  return result;
}

const base32 = fc.stringMatching(/^[a-z2-7]{26}$/);
const eventId = base32.map((s) => `evt_${s}`);
const paymentId = base32.map((s) => `pay_${s}`);
const eventType = fc.oneof(fc.constantFrom(...KNOWN_EVENT_TYPES), fc.stringMatching(/^[a-z][a-z_]{0,40}$/));
const isoDate = fc.date({ min: new Date("2015-01-01"), max: new Date("2035-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
/** `data` as Checkout.com sends it: a few known fields, and anything else (shallow enough to be an event). */
const eventData = fc.record(
  {
    id: fc.oneof(
      paymentId,
      base32.map((s) => `dsp_${s}`),
    ),
    payment_id: paymentId,
    amount: fc.integer({ min: 0, max: 10_000_000 }),
    currency: fc.constantFrom("USD", "EUR", "GBP", "JPY"),
    reference: fc.string(),
    metadata: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 6 })),
  },
  { requiredKeys: [] },
);

type Envelope = { style: "NAS" | "ABC"; event: Record<string, unknown> };
const envelope: fc.Arbitrary<Envelope> = fc.oneof(
  fc.record({ id: eventId, type: eventType, at: isoDate, data: eventData }).map(({ id, type, at, data }) => ({
    style: "NAS" as const,
    event: {
      id,
      source: "gateway",
      type,
      timestamp: at,
      created_on: at,
      version: "1.0.0",
      data,
      _links: { self: { href: `https://api.checkout.com/workflows/events/${id}` } },
    },
  })),
  fc.record({ id: eventId, type: eventType, at: isoDate, data: eventData }).map(({ id, type, at, data }) => ({
    style: "ABC" as const,
    event: { id, type, created_on: at, data, _links: { self: { href: `https://api.checkout.com/events/${id}` } } },
  })),
);

describe("the webhook parser on anything at all", () => {
  it("never throws on arbitrary JSON: an event or the parser's own refusal", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => void parse(utf8(JSON.stringify(value)))),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary bytes or text", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => void parse(bytes)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 500 }), (text) => void parse(utf8(text))),
      { numRuns: 300 },
    );
  });

  it("never throws on objects that look like events, with hostile values anywhere", () => {
    const hostile = fc.oneof(fc.constantFrom(...Object.values(HOSTILE_STRINGS)), fc.string({ unit: "binary" }), fc.jsonValue({ maxDepth: 3 }));
    const lookalike = fc.record(
      { id: fc.oneof(eventId, hostile), type: fc.oneof(eventType, hostile), data: fc.oneof(eventData, hostile), _links: hostile },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(lookalike, (event) => void parse(utf8(JSON.stringify(event)))),
      { numRuns: 300 },
    );
  });

  it("never throws on a genuine event with random bytes changed", () => {
    fc.assert(
      fc.property(envelope, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), ({ event }, changes) => {
        const body = utf8(JSON.stringify(event));
        for (const [at, byte] of changes) body[at % body.length] = byte;
        parse(body);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses nesting deeper than the limit, at any depth beyond it, without overflowing the stack", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: MAX_EVENT_DEPTH - 6, max: MAX_EVENT_DEPTH + 6 }), fc.integer({ min: 1_000, max: 200_000 })),
        fc.constantFrom("array" as const, "object" as const),
        (depth, kind) => {
          const result = parse(utf8(`{"id":"evt_deep","type":"payment_approved","data":{"x":${nestedJson(depth, kind)}}}`));
          // The event itself and `data` are two levels; the rest is the nested value.
          expect(result.ok).toBe(depth + 2 <= MAX_EVENT_DEPTH);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("counts brackets inside strings as text, not nesting", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[[\]{}"\\a]{0,200}$/), (noise) => {
        const result = parse(utf8(JSON.stringify({ id: "evt_brackets", type: "payment_approved", data: { note: noise } })));
        expect(result.ok).toBe(true);
      }),
    );
  });
});

describe("genuine NAS and ABC envelopes", () => {
  it("always parse to the same id, type, style and payment", () => {
    fc.assert(
      fc.property(envelope, ({ style, event }) => {
        const result = parse(utf8(JSON.stringify(event)));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect([result.event.id, result.event.type]).toEqual([event.id, event.type]);
        expect(envelopeStyle(result.event)).toBe(style);
        const data = event.data as { id?: string; payment_id?: string };
        const expected = data.id?.startsWith("pay_") ? data.id : (data.payment_id ?? null);
        expect(eventPaymentId(result.event)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("parse the same however the JSON is laid out or escaped", () => {
    fc.assert(
      fc.property(envelope, fc.constantFrom(0, 2, "\t"), ({ event }, indent) => {
        const escaped = JSON.stringify(event, null, indent).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
        const result = parse(utf8(escaped));
        expect(result.ok && [result.event.id, result.event.type]).toEqual([event.id, event.type]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("the signature over re-serialisation", () => {
  const key = fc.string({ minLength: 1, maxLength: 64 });

  it("holds for the exact bytes signed, and for a re-serialisation only when it gives the same bytes", () => {
    const reserialise = fc.constantFrom(
      (text: string) => JSON.stringify(JSON.parse(text)),
      (text: string) => JSON.stringify(JSON.parse(text), null, 2),
      (text: string) => `${text}\n`,
      (text: string) => ` ${text}`,
      (text: string) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(text) as object).reverse())),
      (text: string) => text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
    );
    fc.assert(
      fc.property(envelope, key, reserialise, ({ event }, secret, again) => {
        const text = JSON.stringify(event);
        const signature = crypto.createHmac("sha256", secret).update(text).digest("hex");
        expect(signatureMatches(utf8(text), signature, secret)).toBe(true);
        const other = again(text);
        // The meaning is unchanged (same id and type), so only the bytes decide.
        const reparsed = parse(utf8(other));
        expect(reparsed.ok && reparsed.event.id).toBe(event.id);
        expect(signatureMatches(utf8(other), signature, secret)).toBe(other === text);
      }),
      { numRuns: 300 },
    );
  });

  it("fails under any other key and after any change to a byte", () => {
    fc.assert(
      fc.property(envelope, key, key, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ event }, secret, otherSecret, at, flip) => {
        const body = utf8(JSON.stringify(event));
        const signature = crypto.createHmac("sha256", secret).update(body).digest("hex");
        if (otherSecret !== secret) expect(signatureMatches(body, signature, otherSecret)).toBe(false);
        const changed = Buffer.from(body);
        changed[at % changed.length] ^= flip;
        expect(signatureMatches(changed, signature, secret)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
