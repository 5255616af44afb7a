// Reading translation files for the checks on them (app/i18n/locales.test.ts, test/extensions.test.ts):
// nested messages, where an object whose keys are all plural categories is one message in its forms.
export type Messages = { [key: string]: string | Messages };

const PLURAL_FORMS = new Set(["zero", "one", "two", "few", "many", "other"]);
const isPlural = (m: Messages) => Object.keys(m).length > 0 && Object.keys(m).every((k) => PLURAL_FORMS.has(k));

/** Each message's key ("a.b.c"), a plural's forms collapsed to the plural's own key, with the texts under it. */
export function messagesOf(messages: Messages, prefix = ""): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, [value]);
    else if (isPlural(value)) out.set(path, Object.values(value) as string[]);
    else for (const [k, v] of messagesOf(value, path)) out.set(k, v);
  }
  return out;
}

/** The plurals, by key, with their forms. */
export function pluralsOf(messages: Messages, prefix = ""): Map<string, Messages> {
  const out = new Map<string, Messages>();
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === "string") continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlural(value)) out.set(path, value);
    else for (const [k, v] of pluralsOf(value, path)) out.set(k, v);
  }
  return out;
}

/**
 * The placeholder names in all of a message's forms (`pattern` captures the name), so that a plural's
 * "one" may say the count in words ("un", "ein").
 */
export const placeholdersOf = (texts: string[], pattern: RegExp) => [...new Set(texts.flatMap((text) => [...text.matchAll(pattern)].map((m) => m[1])))].sort();
