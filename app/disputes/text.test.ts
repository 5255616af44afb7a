import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { composeText, htmlToText, oneLine, oneLineStart, truncateAtWord } from "./text";

const words = fc.array(fc.stringMatching(/^[A-Za-zé0-9.,'’-]{1,30}$/), { minLength: 0, maxLength: 200 }).map((w) => w.join(" "));
const anyText = fc.oneof(words, fc.string({ maxLength: 1500 }), fc.string({ unit: "grapheme", maxLength: 800 }));

/** The kept part (without the "…") must be the text's start, ending where a word ends. */
function endsAtWordBoundary(result: string, source: string) {
  const kept = result.endsWith("…") ? result.slice(0, -1) : result;
  if (kept === "") return true; // nothing kept is never half a word
  const clean = oneLine(source);
  if (!clean.startsWith(kept)) return false;
  const next = clean[kept.length];
  return next === undefined || next === " " || /[,;:]/.test(next);
}

describe("oneLineStart", () => {
  it("is the start of oneLine, however the whitespace falls", () => {
    const spaced = fc
      .array(fc.oneof(fc.stringMatching(/^[a-z]{1,12}$/), fc.constantFrom(" ", "  ", "\n\t ", " ".repeat(200))), { maxLength: 300 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(fc.oneof(spaced, anyText), fc.integer({ min: 0, max: 700 }), (text, n) => {
        expect(oneLineStart(text, n)).toBe(oneLine(text).slice(0, n));
      }),
      { numRuns: 2000 },
    );
  });

  it("lets truncateAtWord quote 8 MB of notes from their start alone (its speed is measured by npm run bench:evidence)", () => {
    const huge = "Please call before delivery, the gate code is 4512. ".repeat(160_000);
    const quoted = truncateAtWord(huge, 300);
    expect(quoted).toBe(truncateAtWord(huge.slice(0, 1000), 300));
    expect(quoted.length).toBeLessThanOrEqual(300);
  });
});

describe("truncateAtWord", () => {
  it("never exceeds the limit, for any text and limit", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 600 }), (text, limit) => {
        expect(truncateAtWord(text, limit).length).toBeLessThanOrEqual(limit);
      }),
    );
  });

  it("never cuts a word: what is kept is whole words from the start", () => {
    fc.assert(
      fc.property(words, fc.integer({ min: 5, max: 500 }), (text, limit) => {
        expect(endsAtWordBoundary(truncateAtWord(text, limit), text)).toBe(true);
      }),
    );
  });

  it("keeps a text that fits unchanged (apart from whitespace)", () => {
    fc.assert(
      fc.property(words, (text) => {
        fc.pre(oneLine(text).length <= 500);
        expect(truncateAtWord(text)).toBe(oneLine(text));
      }),
    );
  });

  it("marks a cut with an ellipsis and stops at the last whole word", () => {
    const text = "The parcel was delivered to the front door of the cardholder's house";
    expect(truncateAtWord(text, 30)).toBe("The parcel was delivered to…");
  });

  it("leaves nothing rather than half a word when one word is longer than the limit", () => {
    expect(truncateAtWord("x".repeat(600), 500)).toBe("");
  });

  it("drops a dangling comma before the ellipsis", () => {
    expect(truncateAtWord("one two, three four five six", 14)).toBe("one two…");
  });
});

describe("composeText", () => {
  it("fits within the limit whatever the parts", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyText, fc.constant(null), fc.constant(false)), { maxLength: 8 }), fc.integer({ min: 20, max: 500 }), (parts, limit) => {
        expect(composeText(parts, limit).length).toBeLessThanOrEqual(limit);
      }),
    );
  });

  it("keeps earlier sentences and leaves out later ones that do not fit", () => {
    const text = composeText(["First sentence.", "x ".repeat(300), "Short end."], 100);
    expect(text).toBe("First sentence. Short end.");
  });

  it("shortens the first sentence rather than losing it", () => {
    const text = composeText(["word ".repeat(200), "Second."], 50);
    expect(text.length).toBeLessThanOrEqual(50);
    expect(text.startsWith("word word")).toBe(true);
    expect(text.endsWith("…")).toBe(true);
  });

  it("skips empty parts and joins sentences with one space", () => {
    expect(composeText(["A.", null, "", false, "  B.  \n C. "])).toBe("A. B. C.");
  });
});

describe("htmlToText", () => {
  it("keeps paragraphs and list items, drops tags and decodes entities", () => {
    const html = "<h2>Returns</h2><p>Within 30&nbsp;days &amp; unworn.</p><ul><li>Free</li><li>Fast</li></ul><script>x()</script>";
    expect(htmlToText(html)).toBe("Returns\nWithin 30 days & unworn.\n• Free\n• Fast");
  });
});
