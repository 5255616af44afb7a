import { createRequire } from "node:module";
import path from "node:path";
import fc from "fast-check";
import { PDFDocument, StandardFonts, type PDFFont } from "pdf-lib";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it } from "vitest";
import { conversationFixture, evidenceInputFixture, lineItemsFixture, orderFixture } from "../../test/fixtures/evidence";
import { orderNotesConversation } from "./conversation.server";
import type { EvidenceDocument } from "./model";
import { capDocument, MAX_PAGES, renderEvidencePdf, TEXT_CAPS, toDrawable, TRUNCATED, wrap } from "./pdf.server";
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

/** Wrapping as it was first written: every candidate line measured by pdf-lib (cubic in a long word). */
function referenceWrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let n = rest.length - 1;
        while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
        lines.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

const MB = 1024 * 1024;
/** A megabyte of note: one unbroken word, or words and spaces. */
const longNote = (spaced: boolean) =>
  spaced ? "Please call me before delivery, the gate code is 4512. ".repeat(Math.ceil(MB / 55)).slice(0, MB) : "x".repeat(MB);

describe("text layout", () => {
  it("wraps exactly as measuring every candidate line with pdf-lib does, kerning included", async () => {
    const pdf = await PDFDocument.create();
    const fonts = [await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold)];
    // Letters with kerning pairs (AV, To, L’), quotes and dashes, spaces in runs, new lines.
    const text = fc.array(fc.constantFrom(..."AVTWYLPFKRvwyaeo.,;:'’‘“”-–— xiIl1?!éÅ…\n"), { maxLength: 300 }).map((a) => a.join(""));
    fc.assert(
      fc.property(text, fc.integer({ min: 15, max: 400 }), fc.constantFrom(8, 9.5, 12), fc.constantFrom(0, 1), (t, width, size, f) => {
        expect(wrap(t, fonts[f], size, width)).toEqual(referenceWrap(t, fonts[f], size, width));
      }),
      { numRuns: 1500 },
    );
  });

  it("breaks an unbroken word of 100,000 characters in linear time", async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    // Measuring each candidate took 6 s for 4,000 characters and grew with the cube of the length.
    const started = performance.now();
    const lines = wrap("x".repeat(100_000), font, 9.5, 495);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(lines.join("")).toBe("x".repeat(100_000));
    for (const line of lines) expect(font.widthOfTextAtSize(line, 9.5)).toBeLessThanOrEqual(495);
  });

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

describe("limits", () => {
  it("cut every kind of text at its stated length, marked as cut", async () => {
    const huge = longNote(false);
    const doc: EvidenceDocument = {
      ...invoice,
      title: huge,
      merchant: huge,
      blocks: [
        { kind: "heading", text: huge },
        { kind: "paragraph", text: huge },
        { kind: "facts", rows: [[huge, huge]] },
        {
          kind: "table",
          columns: [
            { label: "Item", width: 0.5 },
            { label: "SKU", width: 0.5 },
          ],
          rows: [[huge, "ok"]],
          footer: [["Total", huge]],
        },
      ],
    };
    const capped = capDocument(doc);
    expect(capped.title).toHaveLength(TEXT_CAPS.header);
    expect(capped.blocks.map((b) => ("text" in b ? b.text.length : 0))).toEqual([TEXT_CAPS.heading, TEXT_CAPS.paragraph, 0, 0]);
    expect(capped.blocks[2]).toEqual({ kind: "facts", rows: [[expect.stringMatching(/x… \(truncated\)$/), expect.stringMatching(/x… \(truncated\)$/)]] });
    expect(JSON.stringify(capped).length).toBeLessThan(40_000);
    // Within the limits, nothing changes (the same JSON: the same document id and bytes).
    expect(JSON.stringify(capDocument(invoice))).toBe(JSON.stringify(invoice));

    const bytes = await renderEvidencePdf(doc);
    const pages = await pageTexts(bytes);
    expect(pages.length).toBeLessThanOrEqual(10);
    expect(pages.join(" ")).toContain(TRUNCATED);
    expect(Buffer.compare(Buffer.from(await renderEvidencePdf(capped)), Buffer.from(bytes))).toBe(0);
  });

  it("a 1 MB order note, unbroken or in words, gives a PDF of a few pages ending in the cut mark", async () => {
    for (const spaced of [false, true]) {
      const note = longNote(spaced);
      const order = orderFixture({ note });
      const doc = field(planEvidence(evidenceInputFixture({ order, conversation: orderNotesConversation(order) })).documents, "customer_communication_file");
      const bytes = await renderEvidencePdf(doc);
      expect((await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount(), `spaced: ${spaced}`).toBeLessThanOrEqual(6);
      const text = (await pageTexts(bytes)).join(" ");
      expect(text).toContain(TRUNCATED);
      expect(text).toContain("Order #1001");
    }
  });

  it(`end a document at ${MAX_PAGES} pages, below Checkout.com's 4 MB, and say so on the last page`, async () => {
    const body = Array.from({ length: 150_000 }, (_, i) => `word${i % 97}`).join(" ");
    const conversation = conversationFixture({
      messages: Array.from({ length: 80 }, (_, i) => ({ author: `Customer ${i + 1}`, role: "customer" as const, at: null, body })),
    });
    const doc = field(documents({ conversation }), "customer_communication_file");
    const bytes = await renderEvidencePdf(doc);
    expect(bytes.length).toBeLessThan(4 * MB);
    const pages = await pageTexts(bytes);
    expect(pages).toHaveLength(MAX_PAGES);
    expect(pages.at(-1)).toContain(`The document was cut at ${MAX_PAGES} pages`);
    expect(pages.at(-1)).toContain(`Page ${MAX_PAGES} of ${MAX_PAGES}`);
  }, 60_000);
});
