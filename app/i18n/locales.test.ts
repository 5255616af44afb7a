// The CI check on translations: every key in every language, the same placeholders in each, plural
// forms each language needs, and nothing left empty. English is the source.
import { describe, expect, it } from "vitest";
import { createI18n } from "./i18n";
import { LOCALES, matchLocale } from "./locales";
import { NAMESPACES, resources } from "./resources";
import { messagesOf, placeholdersOf, pluralsOf } from "../../test/helpers/translation-files";

/** Shopify's app format: `{name}` (and i18next's `{{name}}`). */
const placeholders = (texts: string[]) => placeholdersOf(texts, /\{\{?\s*(\w+)\s*\}?\}/g);

describe("translations", () => {
  it("has namespaces, each in every language", () => {
    expect(NAMESPACES).toContain("common");
    for (const locale of LOCALES) expect(Object.keys(resources[locale]).sort(), locale).toEqual(NAMESPACES);
  });

  for (const namespace of NAMESPACES) {
    describe(namespace, () => {
      const english = resources.en[namespace];
      for (const locale of LOCALES.filter((l) => l !== "en")) {
        it(`${locale} has exactly English's keys`, () => {
          expect([...messagesOf(resources[locale][namespace]).keys()].sort()).toEqual([...messagesOf(english).keys()].sort());
        });

        it(`${locale} keeps every placeholder of each English message`, () => {
          const theirs = messagesOf(resources[locale][namespace]);
          const wrong = [...messagesOf(english)]
            .filter(([key, texts]) => theirs.has(key) && placeholders(texts).join() !== placeholders(theirs.get(key)!).join())
            .map(([key]) => key);
          expect(wrong).toEqual([]);
        });

        it(`${locale} has the plural forms its language uses`, () => {
          const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
          for (const [key, forms] of pluralsOf(resources[locale][namespace]))
            for (const category of needed) expect(forms[category], `${namespace}:${key}.${category}`).toEqual(expect.any(String));
        });
      }

      it("leaves no message empty in any language", () => {
        for (const locale of LOCALES) {
          const empty = [...messagesOf(resources[locale][namespace])].filter(([, texts]) => texts.some((text) => !text.trim())).map(([key]) => key);
          expect(empty, locale).toEqual([]);
        }
      });
    });
  }
});

describe("createI18n", () => {
  it("translates with Shopify's format: placeholders in single braces and plurals as objects", () => {
    const t = createI18n("de").getFixedT("de", "common");
    expect(t("nav.holds")).toBe("Risikosperren");
    const i18n = createI18n("en");
    i18n.addResourceBundle("en", "probe", { items: { one: "{count} item", other: "{count} items" }, hello: "Hello {name}" });
    expect(i18n.t("probe:items", { count: 1 })).toBe("1 item");
    expect(i18n.t("probe:items", { count: 3 })).toBe("3 items");
    expect(i18n.t("probe:hello", { name: "Ana" })).toBe("Hello Ana");
  });

  it("falls back to English for a key a language lacks", () => {
    const i18n = createI18n("fr");
    i18n.addResourceBundle("en", "probe", { only: "English only" });
    expect(i18n.t("probe:only")).toBe("English only");
  });
});

describe("matchLocale", () => {
  it("speaks the language of a tag we translate, and nothing for one we do not", () => {
    expect(matchLocale("de-AT")).toBe("de");
    expect(matchLocale("fr_CA")).toBe("fr");
    expect(matchLocale("EN")).toBe("en");
    expect(matchLocale("pt-BR")).toBeNull();
    expect(matchLocale("")).toBeNull();
  });
});

describe("a missing key", () => {
  it("is reported, never silently shown as its key", () => {
    const missing: string[] = [];
    const i18n = createI18n("de", { onMissingKey: (namespace, key) => missing.push(`${namespace}:${key}`) });
    i18n.t("common:nav.nowhere");
    expect(missing).toEqual(["common:nav.nowhere"]);
  });
});
