// For tests only: the `shopify.i18n` the admin gives the block, backed by the block's real locale files.
// It reads messages the way Shopify's extension i18n does (nested keys, `{{name}}` placeholders, plural
// forms chosen by `count` with Intl.PluralRules) and formats with Intl in the language. Stricter than
// the admin: a missing key, plural form or replacement is recorded in `missing` and thrown.
import type { I18n } from "@shopify/ui-extensions/admin";
import de from "../locales/de.json";
import en from "../locales/en.default.json";
import fr from "../locales/fr.json";

export type Messages = { [key: string]: string | Messages };

/** The block's locale files by language; English is the default (en.default.json). */
export const LOCALE_FILES: Record<"en" | "fr" | "de", Messages> = { en, fr, de };
export type Language = keyof typeof LOCALE_FILES;

type Options = { inExtensionLocale?: boolean };

export function testI18n(language: Language): I18n & { missing: string[] } {
  const missing: string[] = [];
  const fail = (problem: string) => {
    missing.push(problem);
    throw new Error(`${language}: ${problem}`);
  };

  function translate(key: string, replacements: Record<string, unknown> = {}): string {
    let message: string | Messages | undefined = LOCALE_FILES[language];
    for (const part of key.split(".")) message = typeof message === "object" ? message[part] : undefined;
    if (message === undefined) return fail(`missing key ${key}`);
    if (typeof message === "object") {
      if (typeof replacements.count !== "number") return fail(`${key} is a plural: it needs a count`);
      const form = new Intl.PluralRules(language).select(replacements.count);
      message = message[form];
      if (typeof message !== "string") return fail(`missing plural form ${key}.${form}`);
    }
    return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) =>
      name in replacements ? String(replacements[name]) : fail(`missing replacement {{${name}}} for ${key}`),
    );
  }

  const withoutOptions = <T extends Options>({ inExtensionLocale: _, ...rest }: T = {} as T) => rest;
  return {
    missing,
    translate: translate as I18n["translate"],
    formatNumber: (number, options) => new Intl.NumberFormat(language, withoutOptions(options)).format(number),
    formatCurrency: (number, options) => new Intl.NumberFormat(language, { ...withoutOptions(options), style: "currency" }).format(number),
    formatDate: (date, options) => new Intl.DateTimeFormat(language, withoutOptions(options)).format(date),
  };
}
