// Evidence texts: one paragraph each, at most 500 characters (Checkout.com refuses more). Length is
// counted in UTF-16 code units, which is never less than the number of characters, so a text that
// fits here fits however Checkout.com counts.
import { TEXT_LIMIT } from "./model";

const ELLIPSIS = "…";

/** One line: runs of whitespace (newlines included) become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The first `length` characters of oneLine(text) (all of it when shorter), reading only as much of
 * `text` as they need: a quotation from a megabyte of notes costs what the quotation does.
 */
export function oneLineStart(text: string, length: number): string {
  for (let read = Math.max(64, 2 * length); ; read *= 2) {
    // oneLine of a start of the text is a start of oneLine(text): only whitespace at its end differs.
    const line = oneLine(text.slice(0, read));
    if (line.length >= length || read >= text.length) return line.slice(0, length);
  }
}

/**
 * Cuts `text` to at most `limit` characters at a word boundary, marking the cut with "…". Words are
 * never split: a single word longer than the limit leaves nothing ("").
 */
export function truncateAtWord(text: string, limit = TEXT_LIMIT): string {
  // Only the first limit + 1 characters decide the result.
  const clean = oneLineStart(text, limit + 1);
  if (clean.length <= limit) return clean;
  const room = clean.slice(0, limit - ELLIPSIS.length + 1);
  // The last space within room: everything before it is whole words (the character after the kept
  // part is that space).
  const cut = room.lastIndexOf(" ");
  if (cut <= 0) return "";
  // A dangling dash or comma before the cut reads badly in front of "…".
  const kept = clean
    .slice(0, cut)
    .replace(/ [–—-]+$/, "")
    .replace(/[,;:]+$/, "");
  return kept ? kept + ELLIPSIS : "";
}

/**
 * Joins sentences in priority order into one text of at most `limit` characters. Sentences that do
 * not fit are left out whole, except the first, which is shortened at a word boundary rather than
 * lost. Empty parts are skipped.
 */
export function composeText(parts: Array<string | null | undefined | false>, limit = TEXT_LIMIT): string {
  let text = "";
  for (const part of parts) {
    if (!part) continue;
    const sentence = oneLine(part);
    if (!sentence) continue;
    const joined = text ? `${text} ${sentence}` : sentence;
    if (joined.length <= limit) text = joined;
    else if (!text) text = truncateAtWord(sentence, limit);
  }
  return text;
}

/** A short quotation of someone's words for a text field. */
export function quote(text: string, limit: number): string {
  const cut = truncateAtWord(text, limit - 2);
  return cut ? `“${cut}”` : "";
}

/** Plain text from policy HTML: tags removed, common entities decoded, paragraphs kept as new lines. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h[1-6]|tr)>/gi, "\n")
    .replace(/<li[^>]*>/gi, "• ")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
