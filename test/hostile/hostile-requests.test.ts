// The hostile corpus (corpus.ts) against the REAL production server over HTTP. Every case must get its
// 4xx (never 2xx, never 5xx; unauthenticated admin requests are sent to log in), leak no secret, stack
// trace or source path, echo no markup into an HTML page, and store nothing: every table is compared
// before and after each case. Afterwards the server is still healthy and still takes a genuine webhook.
import { MAX_WEBHOOK_BYTES } from "../../app/webhooks/receive.server";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db.server";
import { checkoutEvent, paymentEventData, paymentFixture, signBody } from "../fixtures/checkout-events";
import { createConnectedShop, SIGNATURE_KEY } from "../helpers/factories";
import { mintCredentials, type Credentials } from "./credentials";
import { ENTRY_POINTS, hostileCorpus, leakPatterns, serverSecrets, type HostileCase } from "./corpus";
import { send, type RawResponse } from "./http";
import { changedTables, snapshotDb, type DbSnapshot } from "./snapshot";
import { HOSTILE_STRINGS } from "./strings";
import { startHostileWorld, type HostileWorld } from "./world";

let world: HostileWorld;
let credentials: Credentials;
let corpus: HostileCase[];

beforeAll(async () => {
  world = await startHostileWorld();
  credentials = await mintCredentials(world);
  corpus = hostileCorpus(world, credentials);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

type AuditRow = { id: string; shopId: string; action: string; result: string };
const auditRows = () => db().$queryRawUnsafe<AuditRow[]>('SELECT "id", "shopId", "action", "result" FROM "AuditLog" ORDER BY rowid');

function answerProblems(c: HostileCase, response: RawResponse): string[] {
  const problems: string[] = [];
  if (response.status !== c.status) problems.push(`answered ${response.status}, expected ${c.status}: ${response.body.slice(0, 200)}`);
  if (response.status >= 500) problems.push("a server error");
  if (c.redirect) {
    const target = String(response.headers.location ?? response.headers["x-remix-redirect"] ?? "");
    if (!target.startsWith(c.redirect)) problems.push(`sent to "${target}", expected ${c.redirect}`);
  } else if (response.status < 400) problems.push("not refused");
  for (const [what, pattern] of leakPatterns(world)) {
    if (typeof pattern === "string" ? response.body.includes(pattern) : pattern.test(response.body)) problems.push(`the answer contains ${what}`);
  }
  if (String(response.headers["content-type"]).includes("html") && response.body.includes(HOSTILE_STRINGS.html))
    problems.push("the answer echoes markup into HTML");
  return problems;
}

/** Nothing changed, or (for a refusal after authentication) only new error entries in that shop's audit log. */
function storageProblems(c: HostileCase, before: DbSnapshot, after: DbSnapshot, audit: { before: AuditRow[]; after: AuditRow[] }): string[] {
  const changed = changedTables(before, after);
  if (!c.auditedIn) return changed.length ? [`stored something: ${changed.join(", ")}`] : [];
  const problems = changed.filter((t) => !t.startsWith("AuditLog:")).map((t) => `stored something: ${t}`);
  const added = audit.after.slice(audit.before.length);
  if (JSON.stringify(audit.after.slice(0, audit.before.length)) !== JSON.stringify(audit.before)) problems.push("changed existing audit entries");
  if (added.length === 0) problems.push("the refusal was not audited");
  if (added.some((row) => row.shopId !== c.auditedIn || row.result !== "error")) problems.push(`audited as ${JSON.stringify(added)}`);
  return problems;
}

describe("hostile requests against the production server", () => {
  it("the corpus has at least 200 cases, covering every entry point", () => {
    const perEntry = Object.fromEntries(ENTRY_POINTS.map((entry) => [entry, corpus.filter((c) => c.entry === entry).length]));
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const entry of ENTRY_POINTS) expect(perEntry[entry], entry).toBeGreaterThanOrEqual(entry === "static-files" ? 5 : 15);
    expect(new Set(corpus.map((c) => `${c.entry}: ${c.name}`)).size).toBe(corpus.length);
  });

  it("every case gets its 4xx, leaks nothing and stores nothing", async () => {
    const tablesAtStart = await snapshotDb();
    const failures: string[] = [];
    let before = tablesAtStart;
    for (const c of corpus) {
      const auditBefore = c.auditedIn ? await auditRows() : [];
      let problems: string[];
      try {
        const response = await send(world.app.url, c.request);
        problems = answerProblems(c, response);
      } catch (error) {
        // A server refusing a body over the limit without reading it (413, or an unknown endpoint's
        // 404 before its body) may close the connection while the client is still writing; the
        // reset can reach the client before the answer does (HTTP allows either).
        const refusedUnread = typeof c.status === "number" && c.status >= 400 && (c.request.body?.length ?? 0) > MAX_WEBHOOK_BYTES;
        const cutWhileRefusingSize = (c.status === 413 || refusedUnread) && /EPIPE|ECONNRESET/.test((error as Error).message);
        problems = c.status === "connection cut" || cutWhileRefusingSize ? [] : [`no answer: ${(error as Error).message}`];
      }
      const after = await snapshotDb();
      problems.push(...storageProblems(c, before, after, { before: auditBefore, after: c.auditedIn ? await auditRows() : [] }));
      if (problems.length) failures.push(`${c.entry}: ${c.name}: ${problems.join("; ")}`);
      before = after;
    }
    expect(failures).toEqual([]);
    // Over the whole run, the only writes were the audited refusals.
    expect(changedTables(tablesAtStart, before).filter((t) => !t.startsWith("AuditLog:"))).toEqual([]);
  });

  it("the server's logs of the corpus hold no secret and no genuine token", () => {
    const log = world.serverLog();
    expect(log).toContain("checkout_webhook.rejected");
    const secrets: Array<[string, string]> = [
      ...serverSecrets(world),
      ["shop A's session token", credentials.session.a],
      ["shop A's Zendesk token", credentials.zendesk.a],
    ];
    expect(secrets.filter(([, secret]) => log.includes(secret)).map(([what]) => what)).toEqual([]);
  });

  it("a spray of endpoint ids from one address is cut off with 429 and Retry-After, stores nothing, and spares other clients and real endpoints", async () => {
    const before = await snapshotDb();
    const spray = async (from: string) => {
      const path = `/webhooks/checkout/${randomBytes(24).toString("base64url")}`;
      return send(world.app.url, { method: "POST", path, headers: { "Content-Type": "application/json" }, body: Buffer.from("{}"), localAddress: from });
    };
    const answers: RawResponse[] = [];
    for (let i = 0; i < 100; i++) answers.push(await spray("127.0.0.9"));
    const limited = answers.filter((r) => r.status === 429);
    // 5 a second, 50 at once (docs/decisions/0008); the rest is refused without a lookup.
    expect(answers.slice(0, 50).every((r) => r.status === 404)).toBe(true);
    expect(limited.length).toBeGreaterThanOrEqual(25);
    expect(limited.length + answers.filter((r) => r.status === 404).length).toBe(100);
    for (const r of limited) expect([r.headers["retry-after"], JSON.parse(r.body)]).toEqual(["1", { error: "Too many requests; retry later" }]);
    expect(changedTables(before, await snapshotDb())).toEqual([]);
    // Another client still gets its 404, and the sprayer still reaches a shop's real endpoint.
    expect((await spray("127.0.0.10")).status).toBe(404);
    const event = checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture()));
    const body = Buffer.from(JSON.stringify(event));
    const genuine = await send(world.app.url, {
      method: "POST",
      path: `/webhooks/checkout/${world.a.endpointId}`,
      headers: { "Content-Type": "application/json", "Cko-Signature": signBody(body, world.a.signatureKey) },
      body,
      localAddress: "127.0.0.9",
    });
    expect(genuine.status).toBe(200);
  });

  it("a signing key stored with its GCM tag cut short (a tampered row) is not trusted: the delivery is refused and nothing stored", async () => {
    // Sealed secrets never come from a request; this is the reach of a truncated tag over HTTP. A shop
    // of its own, so the server has no copy of its endpoint cached from earlier cases.
    const { shop: tampered, connection } = await createConnectedShop("hostile-tampered.myshopify.com");
    const shop = { shopId: tampered.id, endpointId: connection.endpointId, signatureKey: SIGNATURE_KEY };
    const row = await db().checkoutConnection.findFirstOrThrow({ where: { shopId: shop.shopId } });
    const parts = row.signatureKeyEnc!.split(".");
    const cut = [...parts.slice(0, 3), Buffer.from(parts[3], "base64url").subarray(0, 12).toString("base64url"), parts[4]].join(".");
    await db().checkoutConnection.update({ where: { id: row.id }, data: { signatureKeyEnc: cut } });
    try {
      const event = checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture()));
      const body = Buffer.from(JSON.stringify(event));
      const before = await snapshotDb();
      const response = await send(world.app.url, {
        method: "POST",
        path: `/webhooks/checkout/${shop.endpointId}`,
        headers: { "Content-Type": "application/json", "Cko-Signature": signBody(body, shop.signatureKey) },
        body,
      });
      // 503: the secret cannot be read (as with a wrong ENCRYPTION_KEY); Checkout.com delivers it again.
      expect(response.status).toBe(503);
      expect(changedTables(before, await snapshotDb())).toEqual([]);
    } finally {
      await db().checkoutConnection.update({ where: { id: row.id }, data: { signatureKeyEnc: row.signatureKeyEnc } });
    }
  });

  it("afterwards the server is healthy and a genuine webhook is still taken and stored", async () => {
    expect((await send(world.app.url, { method: "GET", path: "/healthz", headers: {} })).status).toBe(200);
    const ready = await send(world.app.url, { method: "GET", path: "/readyz", headers: {} });
    expect([ready.status, JSON.parse(ready.body)]).toEqual([200, { ready: true }]);

    const event = checkoutEvent("payment_approved", paymentEventData("payment_approved", paymentFixture()));
    const body = Buffer.from(JSON.stringify(event));
    const response = await send(world.app.url, {
      method: "POST",
      path: `/webhooks/checkout/${world.a.endpointId}`,
      headers: { "Content-Type": "application/json", "Cko-Signature": signBody(body, world.a.signatureKey) },
      body,
    });
    expect([response.status, JSON.parse(response.body)]).toEqual([200, { received: true }]);
    const stored = await db().webhookEvent.findMany({ where: { eventId: event.id as string } });
    expect(stored.map((e) => [e.shopId, e.type, e.payload])).toEqual([[world.a.shopId, "payment_approved", body.toString()]]);
  });
});
