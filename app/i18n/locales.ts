// The languages the admin speaks. Shopify names a staff member's admin language with a tag such as
// "de", "fr-CA" or "pt-BR"; we speak its language when we have it and English otherwise (never an error).
export const LOCALES = ["en", "fr", "de"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The language of a locale tag that we translate ("de-AT" → "de"), or null. */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const language = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : null;
}

/** A value in words made by the domain: amounts as minor units and currency, written in the reader's language. */
type WordsValue = string | number | { minor: number; currency: string };

/**
 * Words the domain makes for a person (a refusal, an outcome, a field's error), said in the reader's
 * language by `say` (app/i18n/i18n.ts): a translation key, in the `errors` namespace unless prefixed
 * ("holds:replies.released"), and its values. The domain keeps its English `message` beside it for
 * what stays English (the Zendesk API, the audit log, order notes).
 */
export interface Words {
  key: string;
  values?: Record<string, WordsValue>;
}
