// Evidence documents as PDFs (pdf-lib, standard Helvetica so nothing is embedded). Every page carries
// the merchant's name and the order at the top and "page i of n" with the dispute at the bottom, as
// a reviewer may print or forward single pages. Deterministic: fixed dates and a document id derived
// from the content, so the same data always gives the same bytes (and the same sha256, which is how
// a file is recognised as already uploaded).
// Layout is linear in the text: widths are measured once per character and kerning pair and added up,
// every text is cut at a stated length (TEXT_CAPS) and a document at MAX_PAGES, so no note or message
// can make a build slow. Builds run off the event loop, in a worker thread (pdf-thread.server.ts).
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

/**
 * The longest text drawn, in characters, for each kind of text. Longer text is cut and ends with
 * TRUNCATED. A paragraph (one message of a conversation, the order's note, one paragraph of a policy)
 * of 20,000 characters fills about four pages.
 */
export const TEXT_CAPS = {
  /** The merchant, order, title and dispute in page headers, footers and the PDF's metadata. */
  header: 200,
  heading: 300,
  paragraph: 20_000,
  factLabel: 200,
  factValue: 5_000,
  /** One table cell (and at most MAX_CELL_LINES lines of it). */
  cell: 1_000,
} as const;
export const TRUNCATED = "… (truncated)";
/** A document ends at this many pages (Checkout.com takes files up to 4 MB: about 250 pages of text). */
export const MAX_PAGES = 200;

/**
 * All the text of one document, in characters, beyond what MAX_PAGES can show (a full page holds about
 * 6,000): blocks past it are left out, so what is laid out, hashed and sent to the worker thread stays
 * bounded however many messages a conversation has.
 */
const MAX_DOCUMENT_CHARS = 1_500_000;

/** `text` cut to `limit` characters, ending with TRUNCATED when it was cut. */
function capText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = limit - TRUNCATED.length;
  // Never keep half of a surrogate pair.
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${text.slice(0, cut).trimEnd()}${TRUNCATED}`;
}

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

/**
 * The document as it is drawn: every text cut at its TEXT_CAPS length, and blocks after
 * MAX_DOCUMENT_CHARS left out (a last paragraph says so). A document within the limits is returned
 * unchanged (the same JSON, so the same document id and bytes).
 */
export function capDocument(doc: EvidenceDocument): EvidenceDocument {
  const header = (s: string) => capText(s, TEXT_CAPS.header);
  const cells = (rows: string[][]) => rows.map((row) => row.map((cell) => capText(cell, TEXT_CAPS.cell)));
  let budget = MAX_DOCUMENT_CHARS;
  const blocks: DocumentBlock[] = [];
  for (const block of doc.blocks) {
    const capped: DocumentBlock =
      block.kind === "heading"
        ? { ...block, text: capText(block.text, TEXT_CAPS.heading) }
        : block.kind === "paragraph"
          ? { ...block, text: capText(block.text, TEXT_CAPS.paragraph) }
          : block.kind === "facts"
            ? {
                ...block,
                rows: block.rows.map(([label, value]): [string, string] => [capText(label, TEXT_CAPS.factLabel), capText(value, TEXT_CAPS.factValue)]),
              }
            : {
                ...block,
                columns: block.columns.map((c) => ({ ...c, label: capText(c.label, TEXT_CAPS.cell) })),
                rows: cells(block.rows),
                ...(block.footer ? { footer: cells(block.footer) } : {}),
              };
    budget -= textLength(capped);
    if (budget < 0) {
      blocks.push({ kind: "paragraph", text: `${TRUNCATED.trim()}: the rest of this document is left out.` });
      break;
    }
    blocks.push(capped);
  }
  return { ...doc, title: header(doc.title), merchant: header(doc.merchant), subject: header(doc.subject), reference: header(doc.reference), blocks };
}

function textLength(block: DocumentBlock): number {
  const sum = (texts: string[]) => texts.reduce((n, t) => n + t.length, 0);
  if (block.kind === "heading" || block.kind === "paragraph") return block.text.length;
  if (block.kind === "facts") return sum(block.rows.flat());
  return sum(block.columns.map((c) => c.label)) + sum(block.rows.flat()) + sum((block.footer ?? []).flat());
}

/**
 * A font's advance widths and kerning in font units (1/1000 of the size), measured once per character
 * and per pair through pdf-lib. pdf-lib's width of a string is the sum, over its characters, of each
 * one's width plus its kerning with the next, times size/1000; the units are whole numbers, so adding
 * them up here gives exactly the width pdf-lib gives, in time linear in the text.
 */
class Metrics {
  constructor(
    private readonly font: PDFFont,
    private readonly widths: Map<number, number>,
    private readonly kerns: Map<number, number>,
  ) {}

  width(code: number): number {
    let w = this.widths.get(code);
    if (w === undefined) this.widths.set(code, (w = this.font.widthOfTextAtSize(String.fromCharCode(code), 1000)));
    return w;
  }

  kern(left: number, right: number): number {
    const key = left * 0x10000 + right;
    let k = this.kerns.get(key);
    if (k === undefined) {
      k = this.font.widthOfTextAtSize(String.fromCharCode(left, right), 1000) - this.width(left) - this.width(right);
      this.kerns.set(key, k);
    }
    return k;
  }
}

/** The measurements of each standard font, shared by every document (a font is the same in all). */
const measured = new Map<string, { widths: Map<number, number>; kerns: Map<number, number> }>();
const metricsOf = (font: PDFFont) => {
  let maps = measured.get(font.name);
  if (!maps) measured.set(font.name, (maps = { widths: new Map(), kerns: new Map() }));
  return new Metrics(font, maps.widths, maps.kerns);
};

/** Running sums over a text, so the width of any part of it is two subtractions. */
class Measured {
  /** widths[i] = sum of the widths of characters 0..i-1. */
  private readonly widths: Float64Array;
  /** kerns[i] = sum of the kerning between characters j and j+1 for j < i. */
  private readonly kerns: Float64Array;

  constructor(
    readonly text: string,
    readonly metrics: Metrics,
  ) {
    const n = text.length;
    this.widths = new Float64Array(n + 1);
    this.kerns = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const code = text.charCodeAt(i);
      this.widths[i + 1] = this.widths[i] + metrics.width(code);
      this.kerns[i + 1] = this.kerns[i] + (i + 1 < n ? metrics.kern(code, text.charCodeAt(i + 1)) : 0);
    }
  }

  /** Width of text.slice(from, to) on its own, in font units. */
  units(from: number, to: number): number {
    return to <= from ? 0 : this.widths[to] - this.widths[from] + (this.kerns[to - 1] - this.kerns[from]);
  }
}

const SPACE = 0x20;

/**
 * Word-wraps text to `width`; words wider than a line are broken by characters. Linear in the text
 * (the lines are the same as measuring each candidate line with pdf-lib).
 */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const scale = size / 1000;
  const fits = (units: number) => units * scale <= width;
  const metrics = metricsOf(font);
  const space = metrics.width(SPACE);
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    const p = new Measured(paragraph, metrics);
    let line = "";
    let lineUnits = 0;
    let lineLast = -1;
    // Words as paragraph.split(/ +/) gives them: runs of spaces separate words, and a paragraph that
    // starts or ends with spaces has an empty first or last word.
    const placeWord = (start: number, end: number) => {
      const wordUnits = p.units(start, end);
      if (line) {
        const units = lineUnits + metrics.kern(lineLast, SPACE) + space + (end > start ? metrics.kern(SPACE, paragraph.charCodeAt(start)) + wordUnits : 0);
        if (fits(units)) {
          line = `${line} ${paragraph.slice(start, end)}`;
          lineUnits = units;
          lineLast = end > start ? paragraph.charCodeAt(end - 1) : SPACE;
          return;
        }
      } else if (fits(wordUnits)) {
        line = paragraph.slice(start, end);
        lineUnits = wordUnits;
        lineLast = end > start ? paragraph.charCodeAt(end - 1) : -1;
        return;
      }
      if (line) lines.push(line);
      // The word alone, broken into the longest pieces that fit (at least one character each).
      let from = start;
      while (!fits(p.units(from, end))) {
        let to = from + 1;
        while (to + 1 < end && fits(p.units(from, to + 1))) to++;
        lines.push(paragraph.slice(from, to));
        from = to;
      }
      line = paragraph.slice(from, end);
      lineUnits = p.units(from, end);
      lineLast = end > from ? paragraph.charCodeAt(end - 1) : -1;
    };
    let start = 0;
    for (let i = 0; i < paragraph.length;) {
      if (paragraph.charCodeAt(i) !== SPACE) {
        i++;
        continue;
      }
      const end = i;
      while (i < paragraph.length && paragraph.charCodeAt(i) === SPACE) i++;
      placeWord(start, end);
      start = i;
    }
    placeWord(start, paragraph.length);
    lines.push(line);
  }
  return lines;
}

/** Raised when a document reaches MAX_PAGES: what is laid out so far is kept. */
class PageLimitReached extends Error {}

class Layout {
  readonly pages: PDFPage[] = [];
  /** True when the document was cut at MAX_PAGES. */
  truncated = false;
  private page!: PDFPage;
  private y = 0;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Fonts,
    private readonly doc: EvidenceDocument,
  ) {
    this.newPage();
  }

  /** Drawable text, cut at `limit` characters. */
  private text(s: string, limit: number) {
    return toDrawable(capText(s, limit), this.fonts.regular);
  }

  newPage() {
    if (this.pages.length >= MAX_PAGES) {
      this.truncated = true;
      throw new PageLimitReached();
    }
    this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    const { regular, bold } = this.fonts;
    const top = PAGE.height - MARGIN;
    const subject = fit(this.text(this.doc.subject, TEXT_CAPS.header), bold, 11, CONTENT_WIDTH / 2);
    const subjectWidth = bold.widthOfTextAtSize(subject, 11);
    const merchant = fit(this.text(this.doc.merchant, TEXT_CAPS.header), bold, 14, CONTENT_WIDTH - subjectWidth - 20);
    this.page.drawText(merchant, { x: MARGIN, y: top - 14, size: 14, font: bold });
    this.page.drawText(subject, { x: PAGE.width - MARGIN - subjectWidth, y: top - 13, size: 11, font: bold });
    this.page.drawText(fit(this.text(this.doc.title, TEXT_CAPS.header), regular, 11, CONTENT_WIDTH), {
      x: MARGIN,
      y: top - 32,
      size: 11,
      font: regular,
      color: GREY,
    });
    this.page.drawLine({ start: { x: MARGIN, y: HEADER_BOTTOM + 4 }, end: { x: PAGE.width - MARGIN, y: HEADER_BOTTOM + 4 }, thickness: 0.75, color: RULE });
    this.y = HEADER_BOTTOM - 14;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number) {
    if (this.y - height < FOOTER_TOP + 8) this.newPage();
  }

  heading(text: string) {
    const lines = wrap(this.text(text, TEXT_CAPS.heading), this.fonts.bold, 12, CONTENT_WIDTH);
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
    for (const line of wrap(this.text(text, TEXT_CAPS.paragraph), this.fonts.regular, BODY, CONTENT_WIDTH)) {
      this.ensure(LINE);
      this.page.drawText(line, { x: MARGIN, y: this.y - BODY, size: BODY, font: this.fonts.regular });
      this.y -= LINE;
    }
    this.y -= 6;
  }

  facts(rows: Array<[string, string]>) {
    const labelWidth = 140;
    for (const [fullLabel, fullValue] of rows) {
      const label = capText(fullLabel, TEXT_CAPS.factLabel);
      const value = capText(fullValue, TEXT_CAPS.factValue);
      const labelLines = wrap(this.text(label, TEXT_CAPS.factLabel), this.fonts.bold, BODY, labelWidth - 8);
      const valueLines = wrap(this.text(value, TEXT_CAPS.factValue), this.fonts.regular, BODY, CONTENT_WIDTH - labelWidth);
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
    const header = () =>
      this.row(
        block.columns.map((c) => c.label),
        widths,
        block.columns,
        this.fonts.bold,
        SHADE,
      );
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
      const lines = wrap(this.text(cell, TEXT_CAPS.cell), font, BODY, widths[i] - 2 * CELL_PAD);
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
    const cap = (s: string) => capText(s, TEXT_CAPS.header);
    this.pages.forEach((page, i) => {
      const text = toDrawable(
        `${cap(this.doc.merchant)} · ${cap(this.doc.subject)} · ${cap(this.doc.reference)} · Page ${i + 1} of ${total}`,
        this.fonts.regular,
      );
      const line = fit(text, this.fonts.regular, 8, CONTENT_WIDTH);
      page.drawLine({ start: { x: MARGIN, y: FOOTER_TOP }, end: { x: PAGE.width - MARGIN, y: FOOTER_TOP }, thickness: 0.5, color: RULE });
      page.drawText(line, { x: MARGIN, y: MARGIN, size: 8, font: this.fonts.regular, color: GREY });
    });
    if (this.truncated) {
      const note = `The document was cut at ${MAX_PAGES} pages${TRUNCATED.replace("…", "")}.`;
      this.pages[total - 1].drawText(note, { x: MARGIN, y: MARGIN - 12, size: 8, font: this.fonts.bold, color: GREY });
    }
  }
}

const ELLIPSIS = 0x2026;

/** Shortens one line with "…" so it fits `width` (linear in the text, like wrap). */
function fit(text: string, font: PDFFont, size: number, width: number): string {
  const scale = size / 1000;
  const t = new Measured(text, metricsOf(font));
  if (t.units(0, text.length) * scale <= width) return text;
  const ellipsis = t.metrics.width(ELLIPSIS);
  // The longest start of the text that fits with "…" after it, as measuring each with pdf-lib would find.
  let n = text.length;
  while (n > 1 && (t.units(0, n) + t.metrics.kern(text.charCodeAt(n - 1), ELLIPSIS) + ellipsis) * scale > width) n--;
  return `${text.slice(0, n).trimEnd()}…`;
}

export async function renderEvidencePdf(full: EvidenceDocument): Promise<Uint8Array> {
  const doc = capDocument(full);
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const fonts: Fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  const date = new Date(doc.date);
  const header = (s: string) => toDrawable(capText(s, TEXT_CAPS.header), fonts.regular);
  pdf.setTitle(`${header(doc.title)}: ${header(doc.subject)}`);
  pdf.setAuthor(header(doc.merchant));
  pdf.setSubject(header(doc.reference));
  pdf.setCreator(PRODUCER);
  pdf.setProducer(PRODUCER);
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
  const id = crypto.createHash("sha256").update(JSON.stringify(doc)).digest("hex").slice(0, 32);
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);

  const layout = new Layout(pdf, fonts, doc);
  try {
    for (const block of doc.blocks) {
      if (block.kind === "heading") layout.heading(block.text);
      else if (block.kind === "paragraph") layout.paragraph(block.text);
      else if (block.kind === "facts") layout.facts(block.rows);
      else layout.table(block);
    }
  } catch (error) {
    if (!(error instanceof PageLimitReached)) throw error;
  }
  layout.footers();
  return pdf.save();
}
