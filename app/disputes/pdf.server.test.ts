import { createRequire } from "node:module";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it } from "vitest";
import { conversationFixture, evidenceInputFixture, lineItemsFixture, orderFixture } from "../../test/fixtures/evidence";
import type { EvidenceDocument } from "./model";
import { renderEvidencePdf, toDrawable, wrap } from "./pdf.server";
import { planEvidence } from "./plan";

const standardFontDataUrl = path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts") + path.sep;

/** The text of each page, as a PDF reader extracts it. */
async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: bytes.slice(), standardFontDataUrl, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  await pdf.destroy();
  return pages;
}

const documents = (overrides = {}) => planEvidence(evidenceInputFixture({ order: orderFixture({ lineItems: lineItemsFixture(100) }), ...overrides })).documents;
const field = (docs: EvidenceDocument[], name: string) => docs.find((d) => d.field === name)!;

let invoice: EvidenceDocument;
let invoiceBytes: Uint8Array;

beforeAll(async () => {
  invoice = field(documents(), "invoice_or_receipt_file");
  invoiceBytes = await renderEvidencePdf(invoice);
});

describe("evidence PDFs", () => {
  it("are valid PDFs that pdf-lib parses back, with the metadata set", async () => {
    expect(Buffer.from(invoiceBytes.subarray(0, 5)).toString()).toBe("%PDF-");
    const parsed = await PDFDocument.load(invoiceBytes, { updateMetadata: false });
    expect(parsed.getPageCount()).toBeGreaterThan(1);
    expect(parsed.getAuthor()).toBe("Northwind Knitwear");
    expect(parsed.getTitle()).toBe("Invoice: Order #1001");
    expect(parsed.getCreationDate()?.toISOString()).toBe("2026-01-02T10:15:00.000Z");
    expect(parsed.getModificationDate()?.toISOString()).toBe("2026-01-02T10:15:00.000Z");
  });

  it("paginate a 100-line order and put the merchant, the order and 'page i of n' on every page", async () => {
    const pages = await pageTexts(invoiceBytes);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain("Northwind Knitwear");
      expect(text, `page ${i + 1}`).toContain("Order #1001");
      expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(text, `page ${i + 1}`).toContain("dsp_evidencefixture000001");
    });
    const all = pages.join(" ");
    // Every line item made it, in order, and the table header repeats on continuation pages.
    for (const n of [1, 50, 100]) expect(all).toContain(`Merino wool beanie no. ${n}`);
    expect(all.indexOf("BEANIE-0099")).toBeLessThan(all.indexOf("BEANIE-0100"));
    expect(pages.filter((p) => p.includes("Unit price")).length).toBe(pages.filter((p) => p.includes("BEANIE-")).length);
  });

  it("are byte-identical for the same data, and differ when the data does", async () => {
    const again = await renderEvidencePdf(field(documents(), "invoice_or_receipt_file"));
    expect(Buffer.compare(Buffer.from(again), Buffer.from(invoiceBytes))).toBe(0);
    const changed = await renderEvidencePdf({ ...invoice, blocks: [...invoice.blocks, { kind: "paragraph", text: "One more line." }] });
    expect(Buffer.compare(Buffer.from(changed), Buffer.from(invoiceBytes))).not.toBe(0);
  });

  it("stay far below Checkout.com's 4 MB (and under 1 MB) for a 100-line order", async () => {
    for (const doc of documents()) expect((await renderEvidencePdf(doc)).length, doc.filename).toBeLessThan(1024 * 1024);
  });

  it("draw text Helvetica cannot encode (emoji, CJK) as replacements instead of failing", async () => {
    const conversation = conversationFixture({ messages: [{ author: "Zoë 🙂", role: "customer", at: null, body: "Ça va? 注文 ✓ Crème brûlée" }] });
    const doc = field(documents({ conversation }), "customer_communication_file");
    const text = (await pageTexts(await renderEvidencePdf(doc))).join(" ");
    expect(text).toContain("Zoë ?");
    expect(text).toContain("Ça va? ?? ? Crème brûlée");
  });

  it("split a long message across pages without losing lines", async () => {
    const body = Array.from({ length: 400 }, (_, i) => `Line ${i + 1} of the customer's long complaint.`).join("\n");
    const conversation = conversationFixture({ messages: [{ author: "Jane Doe", role: "customer", at: null, body }] });
    const pages = await pageTexts(await renderEvidencePdf(field(documents({ conversation }), "customer_communication_file")));
    expect(pages.length).toBeGreaterThan(3);
    const all = pages.join(" ");
    for (const n of [1, 200, 400]) expect(all).toContain(`Line ${n} of the customer's long complaint.`);
  });
});

describe("text layout", () => {
  it("wraps to the width and breaks words wider than a line", async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    const lines = wrap(`short words then ${"x".repeat(120)}`, font, 10, 100);
    for (const line of lines) expect(font.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(100);
    // No character lost: only the spaces where lines break go.
    expect(lines.join("").replace(/ /g, "")).toBe(`shortwordsthen${"x".repeat(120)}`);
    expect(lines.length).toBeGreaterThan(2);
    expect(toDrawable("naïve 😀", font)).toBe("naïve ?");
  });
});
