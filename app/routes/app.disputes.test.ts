// The dispute screens' loaders and actions, with real session tokens: scoped to the signed-in shop,
// validated input, the right statuses, files served only to their shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDispute, requestsTo, startDisputeWorld, type DisputeWorld } from "../../test/helpers/disputes";
import { installShop } from "../../test/helpers/holds";
import { extensionRequest } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import { SAMPLE_FILES } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import { parseDraft } from "../disputes/model";
import * as detailRoute from "./app.disputes.$id";
import * as fileRoute from "./app.disputes.$id.files.$fileId";
import * as listRoute from "./app.disputes._index";

let world: DisputeWorld;
let a: Awaited<ReturnType<typeof openDispute>>;
let b: Awaited<ReturnType<typeof installShop>>;

beforeAll(async () => {
  world = await startDisputeWorld();
  a = await openDispute(world);
  b = await installShop(world.shopify);
});
afterAll(async () => world?.close());

const get = (route: { loader: (args: never) => unknown }, path: string, domain: string, params: Record<string, string> = {}) =>
  callAction(route.loader as never, extensionRequest(path, domain), params);
const post = (path: string, domain: string, body: BodyInit, params: Record<string, string>) =>
  callAction(detailRoute.action, extensionRequest(path, domain, { method: "POST", body }), params);
const form = (fields: Record<string, string>) => new URLSearchParams(fields);
/** The staff member's language is remembered from Shopify's `locale` parameter: back to English for the other tests. */
const speakEnglishAgain = (domain: string) => get(listRoute, "/app/disputes?locale=en", domain);

describe("disputes list", () => {
  it("lists this shop's disputes only", async () => {
    const mine = await (await get(listRoute, "/app/disputes", a.domain)).json();
    expect(mine.disputes.map((d: { id: string }) => d.id)).toEqual([a.dispute.id]);
    expect(mine.autoSubmit).toEqual({ enabled: false, days: 2 });
    const theirs = await (await get(listRoute, "/app/disputes", b.domain)).json();
    expect(theirs.disputes).toEqual([]);
  });

  it("refuses invalid automatic-submission settings with 400", async () => {
    const response = await callAction(
      listRoute.action,
      extensionRequest("/app/disputes", a.domain, { method: "POST", body: form({ autoSubmitEvidence: "true", autoSubmitDaysBefore: "40" }) }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors.autoSubmitDaysBefore).toBe("At most 14 days.");
  });

  it("saves the evidence reminder's lead time, and refuses a bad one with 400 and its field error", async () => {
    const before = await (await get(listRoute, "/app/disputes", a.domain)).json();
    expect(before.reminder).toEqual({ hours: 72, triggerOn: false });
    const post = (hours: string) =>
      callAction(
        listRoute.action,
        extensionRequest("/app/disputes", a.domain, { method: "POST", body: form({ intent: "evidence-reminder", evidenceReminderHours: hours }) }),
      );
    const refused = await post("400");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      intent: "evidence-reminder",
      ok: false,
      fieldErrors: { evidenceReminderHours: "At most 336 hours (14 days)." },
    });
    const saved = await post("48");
    expect(saved.status).toBe(200);
    expect((await saved.json()).message).toMatch(/48 hours before each deadline.*"Dispute evidence due soon"/);
    expect((await (await get(listRoute, "/app/disputes", a.domain)).json()).reminder.hours).toBe(48);
    expect((await db().shopSettings.findUniqueOrThrow({ where: { shopId: a.shop.id } })).autoSubmitEvidence).toBe(false);
  });

  it("answers in the staff member's language (German, as Shopify's locale parameter names it)", async () => {
    const post = (hours: string) =>
      callAction(
        listRoute.action,
        extensionRequest("/app/disputes?locale=de-DE", a.domain, { method: "POST", body: form({ intent: "evidence-reminder", evidenceReminderHours: hours }) }),
      );
    try {
      expect(await (await post("0")).json()).toMatchObject({
        message: "Korrigieren Sie das markierte Feld. Es wurde nichts gespeichert.",
        fieldErrors: { evidenceReminderHours: "Mindestens 1 Stunde." },
      });
      expect((await (await post("400")).json()).fieldErrors).toEqual({ evidenceReminderHours: "Höchstens 336 Stunden (14 Tage)." });
      expect((await (await post("1")).json()).message).toBe(
        "Erinnerungen werden 1 Stunde vor jeder Frist gesendet, solange der Flow-Trigger „Dispute evidence due soon“ aktiviert ist.",
      );
      expect((await (await post("48")).json()).message).toMatch(/^Erinnerungen werden 48 Stunden vor jeder Frist gesendet/);
    } finally {
      await speakEnglishAgain(a.domain);
    }
  });
});

describe("dispute page", () => {
  it("shows the evidence field by field, and 404s for another shop", async () => {
    const detail = await (await get(detailRoute, `/app/disputes/${a.dispute.id}`, a.domain, { id: a.dispute.id })).json();
    expect(detail.evidence.map((e: { type: string }) => e.type)).toEqual(parseDraft(a.dispute.evidenceDraft).types);
    expect(detail.evidence[0].file).toMatchObject({ contentType: "application/pdf", generated: true });
    expect(detail.evidence[0].file.data).toBeUndefined();
    expect((await get(detailRoute, `/app/disputes/${a.dispute.id}`, b.domain, { id: a.dispute.id })).status).toBe(404);
  });

  it("serves a PDF to its shop inline or as a download, and to no other shop", async () => {
    const file = await db().evidenceFile.findFirstOrThrow({ where: { disputeId: a.dispute.id } });
    const params = { id: a.dispute.id, fileId: file.id };
    const inline = await get(fileRoute, `/app/disputes/${a.dispute.id}/files/${file.id}`, a.domain, params);
    expect(inline.status).toBe(200);
    expect(inline.headers.get("Content-Type")).toBe("application/pdf");
    expect(inline.headers.get("Content-Disposition")).toBe(`inline; filename="${file.filename}"`);
    expect(Buffer.compare(Buffer.from(await inline.arrayBuffer()), Buffer.from(file.data))).toBe(0);
    const download = await get(fileRoute, `/app/disputes/${a.dispute.id}/files/${file.id}?download=1`, a.domain, params);
    expect(download.headers.get("Content-Disposition")).toMatch(/^attachment;/);
    expect((await get(fileRoute, `/app/disputes/${a.dispute.id}/files/${file.id}`, b.domain, params)).status).toBe(404);
  });

  it("refuses a text over 500 characters with 400, naming the field, and saves nothing", async () => {
    const before = (await db().dispute.findUniqueOrThrow({ where: { id: a.dispute.id } })).evidenceDraft;
    const response = await post(`/app/disputes/${a.dispute.id}`, a.domain, form({ intent: "save_draft", invoice_or_receipt_text: "z".repeat(501) }), {
      id: a.dispute.id,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors).toEqual({ invoice_or_receipt_text: "At most 500 characters." });
    expect((await db().dispute.findUniqueOrThrow({ where: { id: a.dispute.id } })).evidenceDraft).toBe(before);
  });

  it("attaches a file sent as multipart, checking its bytes, and refuses more than 4 MB with 413", async () => {
    const upload = (name: string, bytes: Uint8Array) => {
      const body = new FormData();
      body.set("intent", "attach");
      body.set("field", "customer_communication_file");
      body.set("file", new Blob([Buffer.from(bytes)]), name);
      return post(`/app/disputes/${a.dispute.id}`, a.domain, body, { id: a.dispute.id });
    };
    expect((await upload("chat.png", SAMPLE_FILES.png)).status).toBe(200);
    const draft = parseDraft((await db().dispute.findUniqueOrThrow({ where: { id: a.dispute.id } })).evidenceDraft);
    expect(draft.files.customer_communication_file).toBeDefined();
    const notAnImage = await upload("chat.png", Buffer.from("#!/bin/sh\necho hi"));
    expect(notAnImage.status).toBe(422);
    expect((await notAnImage.json()).message).toBe("Only PDF, PNG and JPG files can be sent to Checkout.com.");
    expect((await upload("big.pdf", Buffer.concat([SAMPLE_FILES.pdf, Buffer.alloc(4 * 1024 * 1024)]))).status).toBe(413);
  });

  it("submits once: a second click answers 'already submitted' and Checkout.com gets one POST", async () => {
    const path = `/app/disputes/${a.dispute.id}`;
    const other = await post(path, b.domain, form({ intent: "submit" }), { id: a.dispute.id });
    expect(other.status).toBe(404);
    const first = await post(path, a.domain, form({ intent: "submit" }), { id: a.dispute.id });
    expect(first.status).toBe(200);
    expect((await first.json()).message).toBe("Evidence submitted to Checkout.com. The card issuer will review it.");
    const second = await post(path, a.domain, form({ intent: "submit" }), { id: a.dispute.id });
    expect((await second.json()).message).toBe("This evidence was already submitted.");
    expect(requestsTo(world.checkout, "POST", new RegExp(`^/disputes/${a.remoteDispute.fixture.id}/evidence$`))).toHaveLength(1);
    const audit = await db().auditLog.findFirstOrThrow({ where: { shopId: a.shop.id, action: "evidence.submit", result: "ok" } });
    expect(audit.actor).toMatch(/^Sam Owner </);
    // Answered: editing is refused with 422.
    const late = await post(path, a.domain, form({ intent: "accept" }), { id: a.dispute.id });
    expect(late.status).toBe(422);
  });

  it("answers 400 to an unknown action", async () => {
    expect((await post(`/app/disputes/${a.dispute.id}`, a.domain, form({ intent: "delete_everything" }), { id: a.dispute.id })).status).toBe(400);
  });

  it("says in French why an answered dispute takes no more evidence, and that another shop's does not exist", async () => {
    const path = `/app/disputes/${a.dispute.id}?locale=fr`;
    try {
      const late = await post(path, a.domain, form({ intent: "save_checkout" }), { id: a.dispute.id });
      expect(late.status).toBe(422);
      // The date in the shop's time zone, in French.
      expect((await late.json()).message).toMatch(
        /^Les preuves ont été soumises à Checkout\.com le \d+ \S+ \d{4}, \d\d:\d\d UTC\S* et ne peuvent plus être modifiées\.$/,
      );
      expect(await (await post(path, a.domain, form({ intent: "delete_everything" }), { id: a.dispute.id })).json()).toMatchObject({
        message: "Action inconnue.",
      });
      // The draft's refusals and field errors, in French (their English is the domain's, above).
      const tooLong = await post(path, a.domain, form({ intent: "save_draft", invoice_or_receipt_text: "z".repeat(501) }), { id: a.dispute.id });
      expect(tooLong.status).toBe(400);
      expect(await tooLong.json()).toMatchObject({
        message: "Certains textes sont trop longs. Rien n'a été enregistré.",
        fieldErrors: { invoice_or_receipt_text: "500 caractères au maximum." },
      });
      const locked = await post(path, a.domain, form({ intent: "save_draft", invoice_or_receipt_text: "Reçu joint." }), { id: a.dispute.id });
      expect(locked.status).toBe(422);
      expect((await locked.json()).message).toMatch(/^Les preuves ont été soumises à Checkout\.com le .* et ne peuvent plus être modifiées\.$/);
      const upload = new FormData();
      upload.set("intent", "attach");
      upload.set("field", "customer_communication_file");
      upload.set("file", new Blob([Buffer.from("#!/bin/sh\necho hi")]), "chat.png");
      expect(await (await post(path, a.domain, upload, { id: a.dispute.id })).json()).toMatchObject({
        message: "Seuls les fichiers PDF, PNG et JPG peuvent être envoyés à Checkout.com.",
      });
      const missing = await get(detailRoute, path, b.domain, { id: a.dispute.id });
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe("Ce litige n'existe pas dans cette boutique.");
    } finally {
      await speakEnglishAgain(a.domain);
      await speakEnglishAgain(b.domain);
    }
  });
});
