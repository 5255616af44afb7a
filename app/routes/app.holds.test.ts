// The review queue and rules routes as the embedded admin calls them (session token, offline session):
// each answers only for the session's shop, validates its input, and names the staff member in the audit log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { reviewPayment } from "../holds/review.server";
import { createOrder, createPayment, holdsOn, installShop, startShopifyStandIn, type ShopifyStandIn } from "../../test/helpers/holds";
import { TEST_APP_URL } from "../../test/helpers/env";
import { seedStaff, sessionToken } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import * as detailRoute from "./app.holds.$id";
import * as listRoute from "./app.holds._index";
import * as rulesRoute from "./app.rules";
import * as unmatchedRoute from "./app.holds.unmatched";

let world: ReturnType<typeof startShopifyStandIn>;
let shopify: ShopifyStandIn;
let shopA: Awaited<ReturnType<typeof installShop>>;
let shopB: Awaited<ReturnType<typeof installShop>>;

beforeAll(() => {
  world = startShopifyStandIn();
  shopify = world.standIn;
});
afterAll(() => world.close());
beforeEach(async () => {
  shopA = await installShop(shopify);
  shopB = await installShop(shopify);
  await seedStaff(shopA.domain, { userId: STAFF_ID, role: "owner" });
  await seedStaff(shopB.domain, { userId: STAFF_ID, role: "owner" });
});

type Shop = typeof shopA;
const STAFF_ID = 74_000_042;

function adminRequest(shop: Shop, path: string, form?: Record<string, string | string[]>) {
  const headers = { Authorization: `Bearer ${sessionToken(shop.domain, { userId: STAFF_ID })}` };
  if (!form) return new Request(`${TEST_APP_URL}${path}`, { headers });
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
  return new Request(`${TEST_APP_URL}${path}`, { method: "POST", headers, body });
}

async function heldOrder(shop: Shop) {
  const order = createOrder(shopify, shop.domain);
  const payment = await createPayment(shop.shop.id, { reference: order.name, riskScore: 88 });
  expect(await reviewPayment(shop.shop.id, payment.id)).toBe("held");
  return { order, payment, hold: await db().hold.findUniqueOrThrow({ where: { paymentId: payment.id } }) };
}

describe("review queue list", () => {
  it("lists only the session shop's holds, with filters", async () => {
    const a = await heldOrder(shopA);
    await heldOrder(shopB);
    const response = await callAction(listRoute.loader, adminRequest(shopA, "/app/holds"));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.holds.map((h: { id: string }) => h.id)).toEqual([a.hold.id]);
    expect(body.holds[0]).toMatchObject({
      orderName: a.order.name,
      amountMinor: 9400,
      currency: "USD",
      riskScore: 88,
      rules: ["flagged", "risk_score"],
      weakMatch: false,
      status: "held",
    });

    const released = await callAction(listRoute.loader, adminRequest(shopA, "/app/holds?status=released"));
    expect((await released.json()).holds).toEqual([]);
    const weak = await callAction(listRoute.loader, adminRequest(shopA, "/app/holds?confidence=weak"));
    expect((await weak.json()).holds).toEqual([]);
  });

  it("sorts by amount", async () => {
    const small = await heldOrder(shopA);
    const big = createOrder(shopify, shopA.domain, { lineItems: [{ title: "Coat", price: "395.00" }] });
    const payment = await createPayment(shopA.shop.id, { reference: big.name, amount: 40000 });
    await reviewPayment(shopA.shop.id, payment.id);
    const body = await (await callAction(listRoute.loader, adminRequest(shopA, "/app/holds?sort=amount_desc"))).json();
    expect(body.holds.map((h: { amountMinor: number }) => h.amountMinor)).toEqual([40000, 9400]);
    expect(body.holds[1].id).toBe(small.hold.id);
  });

  it("releases the selected holds in bulk, refusing another shop's", async () => {
    const a = await heldOrder(shopA);
    const b = await heldOrder(shopB);
    const response = await callAction(listRoute.action, adminRequest(shopA, "/app/holds", { intent: "release", holdId: [a.hold.id, b.hold.id] }));
    expect(response.status).toBe(200);
    expect((await response.json()).message).toMatch(/^Released 1 of 2/);
    expect(holdsOn(shopify, a.order.id).ours).toHaveLength(0);
    expect(holdsOn(shopify, b.order.id).ours).toHaveLength(1);
    expect((await db().hold.findUniqueOrThrow({ where: { id: b.hold.id } })).status).toBe("held");
  });

  it("marks orders due to ship soon or past the ship-by time, and counts them for the banner", async () => {
    await db().riskRules.update({ where: { shopId: shopA.shop.id }, data: { shipByHours: 24, shipByWarningHours: 4 } });
    const fresh = await heldOrder(shopA);
    const soon = await heldOrder(shopA);
    const late = await heldOrder(shopA);
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    await db().payment.update({ where: { id: soon.payment.id }, data: { createdAt: hoursAgo(21) } });
    await db().payment.update({ where: { id: late.payment.id }, data: { createdAt: hoursAgo(25) } });
    const body = await (await callAction(listRoute.loader, adminRequest(shopA, "/app/holds?sort=order_age"))).json();
    expect(body.holds.map((h: { id: string; shipBy: string | null }) => [h.id, h.shipBy])).toEqual([
      [late.hold.id, "overdue"],
      [soon.hold.id, "due_soon"],
      [fresh.hold.id, null],
    ]);
    expect(body.dueToShip).toEqual({ dueSoon: 1, overdue: 1 });
    // Decided holds are no longer due.
    await callAction(listRoute.action, adminRequest(shopA, "/app/holds", { intent: "release", holdId: [late.hold.id] }));
    const after = await (await callAction(listRoute.loader, adminRequest(shopA, "/app/holds?status=all&sort=order_age"))).json();
    expect(after.holds[0]).toMatchObject({ id: late.hold.id, shipBy: null });
    expect(after.dueToShip).toEqual({ dueSoon: 1, overdue: 0 });
  });

  it("assigns selected holds to the reviewer and filters by assignee", async () => {
    const a = await heldOrder(shopA);
    const b = await heldOrder(shopA);
    const assigned = await callAction(listRoute.action, adminRequest(shopA, "/app/holds", { intent: "assign", assignee: "me", holdId: [a.hold.id] }));
    expect(assigned.status).toBe(200);
    const mine = await (await callAction(listRoute.loader, adminRequest(shopA, "/app/holds?assignee=me"))).json();
    expect(mine.holds.map((h: { id: string }) => h.id)).toEqual([a.hold.id]);
    expect(mine.holds[0]).toMatchObject({ assignedToMe: true });
    const nobody = await (await callAction(listRoute.loader, adminRequest(shopA, "/app/holds?assignee=unassigned"))).json();
    expect(nobody.holds.map((h: { id: string }) => h.id)).toEqual([b.hold.id]);
    const bad = await callAction(listRoute.action, adminRequest(shopA, "/app/holds", { intent: "assign", assignee: "someone", holdId: [a.hold.id] }));
    expect(bad.status).toBe(400);
  });

  it("cancels in bulk only for Finance and above", async () => {
    const a = await heldOrder(shopA);
    await seedStaff(shopA.domain, { userId: STAFF_ID, role: "reviewer" });
    const refused = await callAction(listRoute.action, adminRequest(shopA, "/app/holds", { intent: "cancel", holdId: [a.hold.id] }));
    expect(refused.status).toBe(403);
    expect((await db().hold.findUniqueOrThrow({ where: { id: a.hold.id } })).status).toBe("held");
  });

  it("answers in the staff member's language, the audit log staying English", async () => {
    const a = await heldOrder(shopA);
    await seedStaff(shopA.domain, { userId: STAFF_ID, role: "owner", locale: "de" });
    const empty = await callAction(listRoute.action, adminRequest(shopA, "/app/holds", { intent: "release" }));
    expect((await empty.json()).message).toBe("Wählen Sie mindestens eine Sperre aus.");
    const released = await callAction(listRoute.action, adminRequest(shopA, "/app/holds", { intent: "release", holdId: [a.hold.id] }));
    expect((await released.json()).message).toBe(`1 von 1 freigegeben: ${a.order.name}.`);
  });

  it("says why holds were left alone or failed in the staff member's language", async () => {
    const a = await heldOrder(shopA);
    const b = await heldOrder(shopA);
    const theirs = await heldOrder(shopB);
    await db().hold.update({ where: { id: b.hold.id }, data: { status: "released", resolvedBy: "Kim" } });
    await seedStaff(shopA.domain, { userId: STAFF_ID, role: "owner", locale: "fr" });
    const response = await callAction(
      listRoute.action,
      adminRequest(shopA, "/app/holds", { intent: "release", holdId: [a.hold.id, b.hold.id, theirs.hold.id] }),
    );
    expect((await response.json()).message).toBe(
      `Libération effectuée pour 1 sur 3 : ${a.order.name}. Inchangé : Le blocage de ${b.order.name} a été libéré par Kim entre-temps. ` +
        "Non effectué pour un blocage inconnu : Ce blocage n'existe pas dans cette boutique.",
    );
    const refused = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA.shop.id, action: "hold.release", result: "error" } });
    expect(refused.error).toBe("This hold does not exist in this shop.");
  });

  it("answers 400 to a bulk action without a selection", async () => {
    const response = await callAction(listRoute.action, adminRequest(shopA, "/app/holds", { intent: "release" }));
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe("Select at least one hold.");
  });
});

describe("hold detail", () => {
  it("shows the hold with rule values, timeline, match and audit trail", async () => {
    const { hold, order } = await heldOrder(shopA);
    const response = await callAction(detailRoute.loader, adminRequest(shopA, `/app/holds/${hold.id}`), { id: hold.id });
    expect(response.status).toBe(200);
    const { hold: detail } = await response.json();
    expect(detail.order).toEqual({ name: order.name, url: `shopify:admin/orders/${order.id.split("/").pop()}` });
    expect(detail.hits).toEqual([
      { rule: "flagged", value: true, threshold: null, subject: null, hours: null },
      { rule: "risk_score", value: 88, threshold: 70, subject: null, hours: null },
    ]);
    expect(detail.payment).toMatchObject({ amount: 9400, currency: "USD" });
    expect(detail.match).toEqual({ method: "reference_name", confidence: "strong", needsReview: false });
    expect(detail.timeline.map((t: { type: string }) => t.type)).toEqual(expect.arrayContaining(["hold_decided", "hold_placed"]));
    expect(detail.audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["hold.decide", "hold.place"]));
    expect(detail.picture.checks).toMatchObject({ ipAddress: "203.0.113.10", shippingCountry: "US" });
  });

  it("shows the customer's other payments here, never shop B's, and assigns the hold to a reviewer", async () => {
    const earlier = await heldOrder(shopA);
    await heldOrder(shopB);
    const { hold } = await heldOrder(shopA);
    const page = await (await callAction(detailRoute.loader, adminRequest(shopA, `/app/holds/${hold.id}`), { id: hold.id })).json();
    expect(page.hold.picture.others.map((p: { id: string }) => p.id)).toEqual([earlier.payment.id]);
    expect(page.hold.picture.others[0]).toMatchObject({
      hold: { id: earlier.hold.id, status: "held" },
      order: { name: earlier.order.name },
      sharedBy: ["email", "card"],
      disputed: false,
    });
    expect(page.hold.picture.totals).toEqual({ payments: 1, cards: 1, refunded: [], disputes: 0, capped: false });
    expect(page.reviewers).toEqual([{ userId: String(STAFF_ID), name: expect.any(String) }]);

    const assigned = await callAction(detailRoute.action, adminRequest(shopA, `/app/holds/${hold.id}`, { intent: "assign", assignee: String(STAFF_ID) }), {
      id: hold.id,
    });
    expect(assigned.status).toBe(200);
    expect((await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).assigneeUserId).toBe(String(STAFF_ID));
    const refused = await callAction(detailRoute.action, adminRequest(shopA, `/app/holds/${hold.id}`, { intent: "assign", assignee: "1" }), { id: hold.id });
    expect(refused.status).toBe(422);
    const unassigned = await callAction(detailRoute.action, adminRequest(shopA, `/app/holds/${hold.id}`, { intent: "assign", assignee: "" }), { id: hold.id });
    expect(unassigned.status).toBe(200);
    expect((await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).assigneeUserId).toBeNull();
  });

  it("is a 404 for another shop's hold, to see or to act on", async () => {
    const { hold, order } = await heldOrder(shopB);
    const seen = await callAction(detailRoute.loader, adminRequest(shopA, `/app/holds/${hold.id}`), { id: hold.id });
    expect(seen.status).toBe(404);
    const forms: Array<Record<string, string>> = [
      { intent: "release" },
      { intent: "cancel" },
      { intent: "deny", target: "email" },
      { intent: "note", note: "x" },
      { intent: "assign", assignee: String(STAFF_ID) },
    ];
    for (const form of forms) {
      const acted = await callAction(detailRoute.action, adminRequest(shopA, `/app/holds/${hold.id}`, form), { id: hold.id });
      expect(acted.status).toBe(404);
    }
    expect(holdsOn(shopify, order.id).ours).toHaveLength(1);
    expect(await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).toMatchObject({ status: "held", note: null });
  });

  it("releases, naming the staff member from the session in the audit log", async () => {
    const { hold, order } = await heldOrder(shopA);
    const response = await callAction(detailRoute.action, adminRequest(shopA, `/app/holds/${hold.id}`, { intent: "release" }), { id: hold.id });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, message: `Released 1 fulfillment hold on ${order.name}.` });
    expect(holdsOn(shopify, order.id).ours).toHaveLength(0);
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA.shop.id, action: "hold.release" } });
    expect(entry.actor).toBe(`Sam Owner <staff${STAFF_ID}@example.com>`);
  });

  it("answers and explains the money's path in the staff member's language, the audit log staying English", async () => {
    const { hold, order } = await heldOrder(shopA);
    await seedStaff(shopA.domain, { userId: STAFF_ID, role: "owner", locale: "de" });
    const page = await (await callAction(detailRoute.loader, adminRequest(shopA, `/app/holds/${hold.id}`), { id: hold.id })).json();
    expect(page.cancel.directReason).toBe(
      `Die Bestellung ${order.name} hat in Shopify keine Checkout.com-Transaktion (das Geld wurde außerhalb des Shopify-Checkouts eingezogen), ` +
        "daher wird die Aktion direkt bei Checkout.com ausgeführt und der Bestellung eine Notiz hinzugefügt.",
    );
    const act = async (form: Record<string, string>) =>
      (await callAction(detailRoute.action, adminRequest(shopA, `/app/holds/${hold.id}`, form), { id: hold.id })).json();
    expect((await act({ intent: "note", note: " " })).message).toBe("Schreiben Sie zuerst eine Notiz.");
    expect((await act({ intent: "release" })).message).toBe(`1 Ausführungssperre für ${order.name} freigegeben.`);
    expect((await act({ intent: "assign", assignee: "" })).message).toBe("Diese Sperre wurde bereits freigegeben; es gibt nichts mehr zuzuweisen.");
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA.shop.id, action: "hold.release" } });
    expect(JSON.parse(entry.details).message).toBe(`Released 1 fulfillment hold on ${order.name}.`);
  });

  it("validates the action", async () => {
    const { hold } = await heldOrder(shopA);
    const unknown = await callAction(detailRoute.action, adminRequest(shopA, `/app/holds/${hold.id}`, { intent: "delete" }), { id: hold.id });
    expect(unknown.status).toBe(400);
    const badTarget = await callAction(detailRoute.action, adminRequest(shopA, `/app/holds/${hold.id}`, { intent: "deny", target: "phone" }), { id: hold.id });
    expect(badTarget.status).toBe(400);
    expect((await badTarget.json()).message).toBe("Choose what to deny-list.");
    const empty = await callAction(detailRoute.action, adminRequest(shopA, `/app/holds/${hold.id}`, { intent: "note", note: " " }), { id: hold.id });
    expect(empty.status).toBe(422);
  });

  it("refuses requests without a valid session token", async () => {
    const { hold } = await heldOrder(shopA);
    const forged = new Request(`${TEST_APP_URL}/app/holds/${hold.id}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sessionToken(shopA.domain, { apiSecret: "not-the-app-secret" })}` },
      body: new URLSearchParams({ intent: "release" }),
    });
    const response = await callAction(detailRoute.action, forged, { id: hold.id });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect((await db().hold.findUniqueOrThrow({ where: { id: hold.id } })).status).toBe("held");
  });
});

describe("unmatched risky payments", () => {
  async function unmatched(shop: Shop) {
    const payment = await createPayment(shop.shop.id, { reference: "cart-91", customerEmail: "lin@example.com" });
    await db().payment.update({ where: { id: payment.id }, data: { matchStatus: "unmatched" } });
    return payment;
  }

  it("lists the session shop's only, and the queue and Home count them", async () => {
    const a = await unmatched(shopA);
    await unmatched(shopB);
    const body = await (await callAction(unmatchedRoute.loader, adminRequest(shopA, "/app/holds/unmatched"))).json();
    expect(body.payments.map((p: { id: string }) => p.id)).toEqual([a.id]);
    expect((await (await callAction(listRoute.loader, adminRequest(shopA, "/app/holds"))).json()).unmatched).toBe(1);
  });

  it("links by hand and holds; refuses bad input, another shop's payment and a viewer", async () => {
    const a = await unmatched(shopA);
    const order = createOrder(shopify, shopA.domain);
    const post = (shop: Shop, form: Record<string, string>) => callAction(unmatchedRoute.action, adminRequest(shop, "/app/holds/unmatched", form));

    expect((await post(shopA, { paymentId: "not-a-uuid", order: order.name })).status).toBe(400);
    expect((await post(shopA, { paymentId: a.id, order: "  " })).status).toBe(400);
    expect((await post(shopB, { paymentId: a.id, order: order.name })).status).toBe(404);
    await seedStaff(shopA.domain, { userId: 74_000_043, role: "viewer" });
    const asViewer = new Request(`${TEST_APP_URL}/app/holds/unmatched`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sessionToken(shopA.domain, { userId: 74_000_043 })}` },
      body: new URLSearchParams({ paymentId: a.id, order: order.name }),
    });
    expect((await callAction(unmatchedRoute.action, asViewer)).status).toBe(403);
    expect(await db().orderLink.count({ where: { paymentId: a.id } })).toBe(0);

    const linked = await post(shopA, { paymentId: a.id, order: order.name });
    expect(linked.status).toBe(200);
    expect((await linked.json()).message).toBe(`Linked to ${order.name}. The order is held for review.`);
    expect(holdsOn(shopify, order.id).ours).toHaveLength(1);
    const [entry] = await db().auditLog.findMany({ where: { shopId: shopA.shop.id, action: "payment.link", result: "ok" } });
    expect(entry.actor).toContain("@");
  });

  it("says how linking went in the staff member's language, and audits it in English", async () => {
    const a = await unmatched(shopA);
    const order = createOrder(shopify, shopA.domain);
    await seedStaff(shopA.domain, { userId: STAFF_ID, role: "owner", locale: "fr" });
    const post = (form: Record<string, string>) => callAction(unmatchedRoute.action, adminRequest(shopA, "/app/holds/unmatched", form));
    expect((await (await post({ paymentId: a.id, order: "  " })).json()).message).toBe("Indiquez la commande : #1001, son numéro ou son identifiant.");
    const linked = await post({ paymentId: a.id, order: order.name });
    expect((await linked.json()).message).toBe(`Associé à ${order.name}. La commande est bloquée pour examen.`);
    const [entry] = await db().auditLog.findMany({ where: { shopId: shopA.shop.id, action: "payment.link", result: "ok" } });
    expect(JSON.parse(entry.details).message).toBe(`Linked to ${order.name}. The order is held for review.`);
  });
});

describe("rules settings", () => {
  /** A rules form that saves. */
  const valid: Record<string, string> = {
    intent: "rules",
    enabled: "true",
    monitorOnly: "false",
    holdOnFlagged: "true",
    scoreThreshold: "60",
    amountThresholds: "USD 1000.00\nJPY 150000",
    holdOnCountryMismatch: "true",
    holdOnIpCountryMismatch: "false",
    holdOnCardCountryMismatch: "true",
    earlyWarningRefundUpTo: "usd 50",
    velocityHours: "12",
    velocityMaxPayments: "3",
    velocityMaxCards: "",
    holdOnAvsNoMatch: "true",
    holdOnCvvNoMatch: "false",
    holdOn3dsOutcomes: "failed,not_enrolled",
    holdOnPriorChargeback: "true",
    holdOnPriorRefund: "false",
    cancelOnDenyListHit: "true",
    shipByHours: "48",
    shipByWarningHours: "6",
    matchWindowMinutes: "90",
  };

  it("saves valid rules and refuses invalid ones without writing", async () => {
    const saved = await callAction(rulesRoute.action, adminRequest(shopA, "/app/rules", valid));
    expect(saved.status).toBe(200);
    expect(await db().riskRules.findUniqueOrThrow({ where: { shopId: shopA.shop.id } })).toMatchObject({
      scoreThreshold: 60,
      amountThresholds: JSON.stringify({ USD: 100000, JPY: 150000 }),
      holdOnCountryMismatch: true,
      holdOnCardCountryMismatch: true,
      earlyWarningRefundUpTo: JSON.stringify({ USD: 5000 }),
      velocityHours: 12,
      velocityMaxPayments: 3,
      velocityMaxCards: null,
      holdOnAvsNoMatch: true,
      holdOn3dsOutcomes: JSON.stringify(["failed", "not_enrolled"]),
      holdOnPriorChargeback: true,
      holdOnPriorRefund: false,
      cancelOnDenyListHit: true,
      shipByHours: 48,
      shipByWarningHours: 6,
    });
    const unknownOutcome = await callAction(rulesRoute.action, adminRequest(shopA, "/app/rules", { ...valid, holdOn3dsOutcomes: "failed,maybe" }));
    expect(unknownOutcome.status).toBe(400);
    expect((await unknownOutcome.json()).fieldErrors).toEqual({ holdOn3dsOutcomes: 'Unknown 3-D Secure outcome "maybe".' });
    expect((await db().shopSettings.findUniqueOrThrow({ where: { shopId: shopA.shop.id } })).matchWindowMinutes).toBe(90);

    const invalid = await callAction(
      rulesRoute.action,
      adminRequest(shopA, "/app/rules", {
        ...valid,
        scoreThreshold: "101",
        amountThresholds: "JPY 10.5",
        earlyWarningRefundUpTo: "50 dollars",
        velocityMaxPayments: "0",
        shipByHours: "0",
        matchWindowMinutes: "1",
      }),
    );
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).fieldErrors).toEqual({
      scoreThreshold: "Enter a whole number from 0 to 100, or leave it empty to turn this rule off.",
      amountThresholds: "Line 1: JPY has no decimal places.",
      earlyWarningRefundUpTo: 'Line 1: write a currency code and an amount, like "USD 1000.00".',
      velocityMaxPayments: "Enter a whole number from 1 to 1000, or leave it empty to turn this rule off.",
      shipByHours: "Enter a whole number of hours from 1 to 720, or leave it empty for no ship-by time.",
      matchWindowMinutes: "Keep looking for at least 5 minutes.",
    });
    expect((await db().riskRules.findUniqueOrThrow({ where: { shopId: shopA.shop.id } })).scoreThreshold).toBe(60);

    const page = await (await callAction(rulesRoute.loader, adminRequest(shopA, "/app/rules"))).json();
    expect(page.rules.amountThresholdsText).toBe("USD 1000.00\nJPY 150000");
    expect(page.rules.earlyWarningRefundUpToText).toBe("USD 50.00");
    // Shop B's rules are untouched.
    expect((await db().riskRules.findUniqueOrThrow({ where: { shopId: shopB.shop.id } })).scoreThreshold).toBe(70);
  });

  it("says the fields' errors in the staff member's language and audits them in English", async () => {
    await seedStaff(shopA.domain, { userId: STAFF_ID, role: "owner", locale: "de" });
    const refused = await callAction(
      rulesRoute.action,
      adminRequest(shopA, "/app/rules", {
        ...valid,
        scoreThreshold: "101",
        amountThresholds: "USD 10\nJPY 10.5\nUSD 3",
        earlyWarningRefundUpTo: "EUR 1.234",
        matchWindowMinutes: "1",
      }),
    );
    expect(refused.status).toBe(400);
    expect((await refused.json()).fieldErrors).toEqual({
      scoreThreshold: "Geben Sie eine ganze Zahl von 0 bis 100 ein oder lassen Sie das Feld leer, um diese Regel auszuschalten.",
      amountThresholds: "Zeile 2: JPY hat keine Nachkommastellen.",
      earlyWarningRefundUpTo: "Zeile 1: EUR hat 2 Nachkommastellen.",
      matchWindowMinutes: "Suchen Sie mindestens 5 Minuten lang.",
    });
    const entry = await db().auditLog.findFirstOrThrow({ where: { shopId: shopA.shop.id, action: "rules.save", result: "error" } });
    expect(entry.error).toContain("Line 2: JPY has no decimal places.");
    expect(entry.error).toContain("Keep looking for at least 5 minutes.");

    const badValue = await callAction(rulesRoute.action, adminRequest(shopA, "/app/rules", { intent: "add-entry", list: "deny", kind: "bin", value: "4111" }));
    expect((await badValue.json()).fieldErrors).toEqual({ value: "Eine BIN besteht aus den ersten 6 oder 8 Ziffern der Kartennummer." });
  });

  it("manages list entries for the session's shop only", async () => {
    const added = await callAction(rulesRoute.action, adminRequest(shopA, "/app/rules", { intent: "add-entry", list: "deny", kind: "bin", value: "411111" }));
    expect(added.status).toBe(200);
    const bad = await callAction(
      rulesRoute.action,
      adminRequest(shopA, "/app/rules", { intent: "add-entry", list: "deny", kind: "email", value: "not-an-email" }),
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors).toEqual({ value: "Enter an email address." });

    const entry = await db().listEntry.findFirstOrThrow({ where: { shopId: shopA.shop.id } });
    const foreign = await callAction(rulesRoute.action, adminRequest(shopB, "/app/rules", { intent: "remove-entry", id: entry.id }));
    expect(foreign.status).toBe(404);
    expect(await db().listEntry.count({ where: { id: entry.id } })).toBe(1);
    const removed = await callAction(rulesRoute.action, adminRequest(shopA, "/app/rules", { intent: "remove-entry", id: entry.id }));
    expect(removed.status).toBe(200);
    expect(await db().listEntry.count({ where: { id: entry.id } })).toBe(0);
  });
});
