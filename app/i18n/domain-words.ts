// Words the domain made (`Words`, app/i18n/locales.ts), as the admin's routes show them: a message made
// of sentences, the errors of a refused form's fields, and English recorded earlier (a connection's last
// test, its webhook's state) recognised again as one of the domain's messages, so it can be said in the
// reader's language without storing anything new.
import type { ZodError, ZodIssue } from "zod";
import { say } from "./i18n";
import type { Locale, Words } from "./locales";

/** One message's words: one key, or sentences said one after the other (joined with a space, as the domain's English is). */
export type Said = Words | readonly Words[];

/** The words of a message in `locale`. */
export function sayAll(locale: Locale, words: Said): string {
  const sentences: readonly Words[] = "key" in words ? [words] : words;
  return sentences.map((w) => say(locale, w)).join(" ");
}

/** What the domain answered, in `locale`: its words where it has them, else its English message. */
export function textOf(locale: Locale, said: { message: string; words?: Said | null }): string {
  return said.words ? sayAll(locale, said.words) : said.message;
}

/** The words a custom issue carries: `ctx.addIssue({ code: "custom", path, message, params: { words } })`. */
export function paramsWords(issue: ZodIssue): Words | undefined {
  return issue.code === "custom" ? (issue.params?.words as Words | undefined) : undefined;
}

/** A custom zod issue of ours that carries its words (see `paramsWords`). */
export const issueSaying = (message: string, words: Words) => ({ code: "custom", message, params: { words } }) as const;

/**
 * A module's fixed English messages and their words under `errors.<area>.*`: `said(key, english, values)`
 * records the pair and gives back the English for zod (and the audit log); `fieldWords(error)` finds the
 * words of each refused field (an issue's own words, else its message's).
 */
export function messageWords(area: string) {
  const byMessage = new Map<string, Words>();
  const wordsOf = (issue: ZodIssue): Words | undefined => paramsWords(issue) ?? byMessage.get(issue.message);
  return {
    said(key: string, message: string, values?: Words["values"]): string {
      byMessage.set(message, { key: `${area}.${key}`, ...(values ? { values } : {}) });
      return message;
    },
    fieldWords: (error: ZodError): FieldWords => fieldWordsOf(error, wordsOf),
  };
}

/** A refused form's fields in words: field → the words of its error. */
export type FieldWords = Record<string, Words>;

/**
 * The words of a refused form's fields, for the same issue fieldErrorsOf (app/lib/form.ts) shows: the
 * first of each field. A field whose issue has no words keeps its English.
 */
export function fieldWordsOf(error: ZodError, wordsOf: (issue: ZodIssue) => Words | undefined = paramsWords): FieldWords {
  const seen = new Set<string>();
  const out: FieldWords = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    if (seen.has(field)) continue;
    seen.add(field);
    const words = wordsOf(issue);
    if (words) out[field] = words;
  }
  return out;
}

/** Field errors in `locale`: each field's words where it has them, else its English. */
export function sayFieldErrors(locale: Locale, fieldErrors: Record<string, string>, fieldWords: FieldWords = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(fieldErrors).map(([field, message]) => [field, fieldWords[field] ? say(locale, fieldWords[field]) : message]));
}

/**
 * Which of `candidates` reads, in English, exactly as `english` (a message recorded earlier), or null:
 * recorded text that is none of them (an older wording, a raw error) is shown as it was recorded.
 */
export function recognise(english: string | null | undefined, candidates: Iterable<Said>): Said | null {
  if (!english) return null;
  for (const candidate of candidates) if (sayAll("en", candidate) === english) return candidate;
  return null;
}
