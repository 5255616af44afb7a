// The merchant's edits to the draft: text limits, attached files checked by their bytes, one file per
// field, and no edits once the dispute is answered or in another shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDispute, startDisputeWorld, type DisputeWorld } from "../../test/helpers/disputes";
import { createShop } from "../../test/helpers/factories";
import { SAMPLE_FILES } from "../../test/standins/checkout/testing";
import { db } from "../db.server";
import { say } from "../i18n/i18n";
import { attachEvidenceFile, removeEvidenceFile, updateEvidenceTexts } from "./draft.server";
import { buildDisputeEvidence } from "./evidence.server";
import { checkEvidenceFile, sniffEvidenceType } from "./files";
import { parseDraft } from "./model";
import { evidenceRefusal } from "./status";

const merchant = { actor: "merchant@example.com", source: "admin" as const };
let world: DisputeWorld;
beforeAll(async () => {
  world = await startDisputeWorld();
});
afterAll(async () => world?.close());

const draftOf = async (id: string) => parseDraft((await db().dispute.findUniqueOrThrow({ where: { id } })).evidenceDraft);

describe("evidence files", () => {
  it("are recognised by their first bytes, whatever their name", () => {
    expect(sniffEvidenceType(SAMPLE_FILES.pdf)).toBe("application/pdf");
    expect(sniffEvidenceType(SAMPLE_FILES.png)).toBe("image/png");
    expect(sniffEvidenceType(SAMPLE_FILES.jpg)).toBe("image/jpeg");
    expect(sniffEvidenceType(Buffer.from("MZ\x90\x00 not a pdf"))).toBeNull();
    expect(checkEvidenceFile("receipt.pdf", SAMPLE_FILES.png)).toEqual({ ok: true, contentType: "image/png", filename: "receipt.png" });
    expect(checkEvidenceFile("../../etc/passwd.jpg", SAMPLE_FILES.jpg)).toMatchObject({ ok: true, filename: "....etcpasswd.jpg" });
  });

  it("are refused when empty, over 4 MB or of another type", () => {
    expect(checkEvidenceFile("a.pdf", new Uint8Array())).toMatchObject({ ok: false, message: "The file is empty." });
    const big = Buffer.concat([SAMPLE_FILES.pdf, Buffer.alloc(4 * 1024 * 1024)]);
    expect(checkEvidenceFile("a.pdf", big)).toMatchObject({ ok: false, message: expect.stringContaining("4 MB") });
    const gif = checkEvidenceFile("a.pdf", Buffer.from("GIF89a..."));
    expect(gif).toMatchObject({ ok: false, message: "Only PDF, PNG and JPG files can be sent to Checkout.com." });
    expect(!gif.ok && say("de", gif.words)).toBe("Nur PDF-, PNG- und JPG-Dateien können an Checkout.com gesendet werden.");
    const tooBig = checkEvidenceFile("a.pdf", big);
    expect(!tooBig.ok && [say("en", tooBig.words), say("fr", tooBig.words)]).toEqual([
      "The file is larger than 4 MB, the most Checkout.com accepts.",
      "Le fichier dépasse 4 Mo, la taille maximale acceptée par Checkout.com.",
    ]);
  });
});

describe("editing the draft", () => {
  it("saves texts up to 500 characters; a longer one saves nothing and names the field", async () => {
    const { shop, dispute } = await openDispute(world);
    const ok = await updateEvidenceTexts(
      shop.id,
      dispute.id,
      { invoice_or_receipt_text: "  Receipt attached.  ", customer_communication_text: "x".repeat(500) },
      merchant,
    );
    expect(ok.ok).toBe(true);
    expect((await draftOf(dispute.id)).texts).toMatchObject({ invoice_or_receipt_text: "Receipt attached.", customer_communication_text: "x".repeat(500) });

    const tooLong = await updateEvidenceTexts(
      shop.id,
      dispute.id,
      { invoice_or_receipt_text: "Changed.", additional_evidence_text: "y".repeat(501) },
      merchant,
    );
    expect(tooLong).toMatchObject({
      ok: false,
      message: "Some texts are too long. Nothing was saved.",
      fieldErrors: { additional_evidence_text: "At most 500 characters." },
    });
    if (!tooLong.ok) {
      expect(say("de", tooLong.words!)).toBe("Einige Texte sind zu lang. Es wurde nichts gespeichert.");
      expect(say("en", tooLong.fieldWords!.additional_evidence_text)).toBe("At most 500 characters.");
      expect(say("de", tooLong.fieldWords!.additional_evidence_text)).toBe("Höchstens 500 Zeichen.");
    }
    expect((await draftOf(dispute.id)).texts.invoice_or_receipt_text).toBe("Receipt attached.");
  });

  it("removes a text left empty", async () => {
    const { shop, dispute } = await openDispute(world);
    await updateEvidenceTexts(shop.id, dispute.id, { proof_of_delivery_or_service_text: "" }, merchant);
    expect((await draftOf(dispute.id)).texts.proof_of_delivery_or_service_text).toBeUndefined();
  });

  it("an attached file takes the field's place; removing it brings back the generated PDF; rebuilding keeps it", async () => {
    const { shop, dispute } = await openDispute(world);
    const generated = (await draftOf(dispute.id)).files.proof_of_delivery_or_service_file!;
    expect(
      await attachEvidenceFile(shop.id, dispute.id, "proof_of_delivery_or_service_file", { name: "signed-receipt.png", data: SAMPLE_FILES.png }, merchant),
    ).toMatchObject({ ok: true });
    const attachedId = (await draftOf(dispute.id)).files.proof_of_delivery_or_service_file!;
    expect(attachedId).not.toBe(generated);
    expect(await db().evidenceFile.findUniqueOrThrow({ where: { id: attachedId } })).toMatchObject({
      generated: false,
      contentType: "image/png",
      filename: "signed-receipt.png",
      shopId: shop.id,
    });

    await buildDisputeEvidence(shop.id, dispute.id);
    expect((await draftOf(dispute.id)).files.proof_of_delivery_or_service_file).toBe(attachedId);

    expect((await removeEvidenceFile(shop.id, dispute.id, "proof_of_delivery_or_service_file", merchant)).ok).toBe(true);
    expect((await draftOf(dispute.id)).files.proof_of_delivery_or_service_file).toBe(generated);
  });

  it("refuses a file of the wrong type or for an unknown field, and audits the refusal", async () => {
    const { shop, dispute } = await openDispute(world);
    expect(await attachEvidenceFile(shop.id, dispute.id, "invoice_or_receipt_file", { name: "x.pdf", data: Buffer.from("<html>") }, merchant)).toMatchObject({
      ok: false,
    });
    expect(await attachEvidenceFile(shop.id, dispute.id, "passport_file", { name: "x.pdf", data: SAMPLE_FILES.pdf }, merchant)).toMatchObject({ ok: false });
    expect(await db().auditLog.count({ where: { shopId: shop.id, disputeId: dispute.id, action: "evidence.attach_file", result: "error" } })).toBe(2);
  });

  it("is refused once evidence was submitted, and after the deadline", async () => {
    const { shop, dispute } = await openDispute(world);
    await db().dispute.update({ where: { id: dispute.id }, data: { responseState: "submitted", submittedAt: new Date("2026-02-01T10:00:00Z") } });
    const result = await updateEvidenceTexts(shop.id, dispute.id, { invoice_or_receipt_text: "Late change" }, merchant);
    expect(result).toMatchObject({ ok: false, message: "Evidence was submitted to Checkout.com on 1 Feb 2026, 10:00 UTC and cannot be changed." });
    expect(
      evidenceRefusal(
        { status: "evidence_required", responseState: "none", evidenceRequiredBy: new Date("2026-01-01T00:00:00Z"), submittedAt: null, category: "fraudulent" },
        new Date("2026-01-02T00:00:00Z"),
      ),
    ).toBe("The deadline to respond was 1 Jan 2026, 00:00 UTC: Checkout.com no longer accepts evidence for this dispute.");
  });

  it("another shop cannot edit this shop's draft", async () => {
    const { dispute } = await openDispute(world);
    const before = (await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } })).evidenceDraft;
    const other = await createShop();
    expect(await updateEvidenceTexts(other.id, dispute.id, { invoice_or_receipt_text: "Hijacked" }, merchant)).toMatchObject({
      ok: false,
      message: "This dispute does not exist in this shop.",
    });
    expect(await attachEvidenceFile(other.id, dispute.id, "invoice_or_receipt_file", { name: "x.pdf", data: SAMPLE_FILES.pdf }, merchant)).toMatchObject({
      ok: false,
    });
    expect((await db().dispute.findUniqueOrThrow({ where: { id: dispute.id } })).evidenceDraft).toBe(before);
    expect(await db().evidenceFile.count({ where: { shopId: other.id } })).toBe(0);
  });
});
