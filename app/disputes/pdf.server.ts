// Evidence documents as PDFs (pdf-lib, standard Helvetica so nothing is embedded). Every page carries
// the merchant's name and the order at the top and "page i of n" with the dispute at the bottom, as
// a reviewer may print or forward single pages. Deterministic: fixed dates and a document id derived
// from the content, so the same data always gives the same bytes (and the same sha256, which is how
// a file is recognised as already uploaded).
import crypto from "node:crypto";
import { PDFDocument, PDFHexString, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { DocumentBlock, EvidenceDocument } from "./model";

const PAGE = { width: 595.28, height: 841.89 }; // A4
const MARGIN = 50;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const HEADER_BOTTOM = PAGE.height - MARGIN - 44;
const FOOTER_TOP = MARGIN + 16;
/** Height available for content on one page. */
const BODY_HEIGHT = HEADER_BOTTOM - 14 - (FOOTER_TOP + 8);
/** A table cell longer than this is cut, so that every row fits on a page. */
const MAX_CELL_LINES = 30;
const BODY = 9.5;
const LINE = 13;
const CELL_PAD = 4;
const GREY = rgb(0.4, 0.4, 0.4);
const RULE = rgb(0.75, 0.75, 0.75);
const SHADE = rgb(0.93, 0.93, 0.93);
const PRODUCER = "cko-companion evidence builder";

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Characters Helvetica (WinAnsi) can draw; others are replaced rather than failing the document. */
let drawable: Set<number> | undefined;

export function toDrawable(text: string, font: PDFFont): string {
  drawable ??= new Set(font.getCharacterSet());
  let out = "";
  for (const ch of text.replace(/\t/g, "    ").replace(/\r\n?/g, "\n")) {
    const code = ch.codePointAt(0)!;
    if (drawable.has(code) || ch === "\n") {
      out += ch;
      continue;
    }
    // é and the like decompose to a drawable letter and a mark; keep the letter.
    const base = [...ch.normalize("NFKD")].filter((c) => drawable!.has(c.codePointAt(0)!)).join("");
    out += base || "?";
  }
  return out;
}

/** Word-wraps one paragraph to `width`; words wider than a line are broken by characters. */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
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
      line = "";
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

class Layout {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Fonts,
    private readonly doc: EvidenceDocument,
  ) {
    this.newPage();
  }

  private text(s: string) {
    return toDrawable(s, this.fonts.regular);
  }

  newPage() {
    this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    const { regular, bold } = this.fonts;
    const top = PAGE.height - MARGIN;
    const subject = this.text(this.doc.subject);
    const subjectWidth = bold.widthOfTextAtSize(subject, 11);
    const merchant = fit(this.text(this.doc.merchant), bold, 14, CONTENT_WIDTH - subjectWidth - 20);
    this.page.drawText(merchant, { x: MARGIN, y: top - 14, size: 14, font: bold });
    this.page.drawText(subject, { x: PAGE.width - MARGIN - subjectWidth, y: top - 13, size: 11, font: bold });
    this.page.drawText(this.text(this.doc.title), { x: MARGIN, y: top - 32, size: 11, font: regular, color: GREY });
    this.page.drawLine({ start: { x: MARGIN, y: HEADER_BOTTOM + 4 }, end: { x: PAGE.width - MARGIN, y: HEADER_BOTTOM + 4 }, thickness: 0.75, color: RULE });
    this.y = HEADER_BOTTOM - 14;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number) {
    if (this.y - height < FOOTER_TOP + 8) this.newPage();
  }

  heading(text: string) {
    const lines = wrap(this.text(text), this.fonts.bold, 12, CONTENT_WIDTH);
    // Keep a heading with at least two lines of what follows it.
    this.ensure(8 + lines.length * 16 + 2 * LINE);
    this.y -= 8;
    for (const line of lines) {
      this.page.drawText(line, { x: MARGIN, y: this.y - 12, size: 12, font: this.fonts.bold });
      this.y -= 16;
    }
    this.y -= 2;
  }

  paragraph(text: string) {
    for (const line of wrap(this.text(text), this.fonts.regular, BODY, CONTENT_WIDTH)) {
      this.ensure(LINE);
      this.page.drawText(line, { x: MARGIN, y: this.y - BODY, size: BODY, font: this.fonts.regular });
      this.y -= LINE;
    }
    this.y -= 6;
  }

  facts(rows: Array<[string, string]>) {
    const labelWidth = 140;
    for (const [label, value] of rows) {
      const labelLines = wrap(this.text(label), this.fonts.bold, BODY, labelWidth - 8);
      const valueLines = wrap(this.text(value), this.fonts.regular, BODY, CONTENT_WIDTH - labelWidth);
      const height = Math.max(labelLines.length, valueLines.length) * LINE;
      if (height > BODY_HEIGHT) {
        // Longer than a page: the label once, then the value as a paragraph.
        this.heading(label);
        this.paragraph(value);
        continue;
      }
      this.ensure(height);
      labelLines.forEach((line, i) => this.page.drawText(line, { x: MARGIN, y: this.y - BODY - i * LINE, size: BODY, font: this.fonts.bold }));
      valueLines.forEach((line, i) => this.page.drawText(line, { x: MARGIN + labelWidth, y: this.y - BODY - i * LINE, size: BODY, font: this.fonts.regular }));
      this.y -= height + 3;
    }
    this.y -= 6;
  }

  table(block: Extract<DocumentBlock, { kind: "table" }>) {
    const widths = block.columns.map((c) => c.width * CONTENT_WIDTH);
    const header = () => this.row(block.columns.map((c) => c.label), widths, block.columns, this.fonts.bold, SHADE);
    const minimum = 2 * (LINE + 2 * CELL_PAD);
    this.ensure(minimum);
    header();
    for (const cells of block.rows) {
      if (this.rowHeight(cells, widths, this.fonts.regular) > this.y - FOOTER_TOP - 8) {
        this.newPage();
        header();
      }
      this.row(cells, widths, block.columns, this.fonts.regular);
    }
    for (const cells of block.footer ?? []) {
      if (this.rowHeight(cells, widths, this.fonts.bold) > this.y - FOOTER_TOP - 8) this.newPage();
      this.row(cells, widths, block.columns, this.fonts.bold);
    }
    this.y -= 8;
  }

  private cellLines(cells: string[], widths: number[], font: PDFFont) {
    return cells.map((cell, i) => {
      const lines = wrap(this.text(cell), font, BODY, widths[i] - 2 * CELL_PAD);
      return lines.length > MAX_CELL_LINES ? [...lines.slice(0, MAX_CELL_LINES - 1), "…"] : lines;
    });
  }

  private rowHeight(cells: string[], widths: number[], font: PDFFont) {
    return Math.max(...this.cellLines(cells, widths, font).map((l) => l.length)) * LINE + 2 * CELL_PAD;
  }

  private row(cells: string[], widths: number[], columns: Array<{ align?: "left" | "right" }>, font: PDFFont, shade?: ReturnType<typeof rgb>) {
    const lines = this.cellLines(cells, widths, font);
    const height = Math.max(...lines.map((l) => l.length)) * LINE + 2 * CELL_PAD;
    if (shade) this.page.drawRectangle({ x: MARGIN, y: this.y - height, width: CONTENT_WIDTH, height, color: shade });
    let x = MARGIN;
    lines.forEach((cellLines, i) => {
      cellLines.forEach((line, j) => {
        const lineWidth = font.widthOfTextAtSize(line, BODY);
        const left = columns[i]?.align === "right" ? x + widths[i] - CELL_PAD - lineWidth : x + CELL_PAD;
        this.page.drawText(line, { x: left, y: this.y - CELL_PAD - LINE + 3 - j * LINE, size: BODY, font });
      });
      x += widths[i];
    });
    this.page.drawLine({ start: { x: MARGIN, y: this.y - height }, end: { x: PAGE.width - MARGIN, y: this.y - height }, thickness: 0.5, color: RULE });
    this.y -= height;
  }

  footers() {
    const total = this.pages.length;
    this.pages.forEach((page, i) => {
      const text = this.text(`${this.doc.merchant} · ${this.doc.subject} · ${this.doc.reference} · Page ${i + 1} of ${total}`);
      const line = fit(text, this.fonts.regular, 8, CONTENT_WIDTH);
      page.drawLine({ start: { x: MARGIN, y: FOOTER_TOP }, end: { x: PAGE.width - MARGIN, y: FOOTER_TOP }, thickness: 0.5, color: RULE });
      page.drawText(line, { x: MARGIN, y: MARGIN, size: 8, font: this.fonts.regular, color: GREY });
    });
  }
}

/** Shortens one line with "…" so it fits `width`. */
function fit(text: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let n = text.length;
  while (n > 1 && font.widthOfTextAtSize(`${text.slice(0, n)}…`, size) > width) n--;
  return `${text.slice(0, n).trimEnd()}…`;
}

export async function renderEvidencePdf(doc: EvidenceDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const fonts: Fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  const date = new Date(doc.date);
  pdf.setTitle(toDrawable(`${doc.title}: ${doc.subject}`, fonts.regular));
  pdf.setAuthor(toDrawable(doc.merchant, fonts.regular));
  pdf.setSubject(toDrawable(doc.reference, fonts.regular));
  pdf.setCreator(PRODUCER);
  pdf.setProducer(PRODUCER);
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
  const id = crypto.createHash("sha256").update(JSON.stringify(doc)).digest("hex").slice(0, 32);
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);

  const layout = new Layout(pdf, fonts, doc);
  for (const block of doc.blocks) {
    if (block.kind === "heading") layout.heading(block.text);
    else if (block.kind === "paragraph") layout.paragraph(block.text);
    else if (block.kind === "facts") layout.facts(block.rows);
    else layout.table(block);
  }
  layout.footers();
  return pdf.save();
}
