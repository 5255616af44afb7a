// One i18next instance per render: the server renders each request in its staff member's language, and
// the browser hydrates with the same language and the same bundled resources, so both produce the same
// text. Shopify's message format: `{name}` placeholders, plurals as { one, other } objects.
import ShopifyFormat from "@shopify/i18next-shopify";
import i18next, { type i18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { formatMoneyIn } from "../lib/money";
import { DEFAULT_LOCALE, type Locale, type Words } from "./locales";
import { NAMESPACES, resources } from "./resources";

/** A key no language has is a bug: said loudly (the browser tests fail on console errors). */
function reportMissingKey(_languages: readonly string[], namespace: string, key: string) {
  console.error(`Missing translation: ${namespace}:${key}`);
}

export function createI18n(locale: Locale, options: { onMissingKey?: (namespace: string, key: string) => void } = {}): i18n {
  const instance = i18next.createInstance();
  void instance
    .use(ShopifyFormat)
    .use(initReactI18next)
    .init({
      lng: locale,
      fallbackLng: DEFAULT_LOCALE,
      resources,
      ns: NAMESPACES,
      defaultNS: "common",
      // Resources are bundled, so initialising is synchronous and the first render is translated.
      initAsync: false,
      // React escapes; i18next escaping would show "&amp;".
      interpolation: { escapeValue: false },
      returnNull: false,
      showSupportNotice: false,
      saveMissing: true,
      missingKeyHandler: options.onMissingKey ? (_l, namespace, key) => options.onMissingKey!(namespace, key) : reportMissingKey,
    });
  return instance;
}

const serverInstances = new Map<Locale, i18n>();

/** A translator for server-made text (action messages, CSV headers) in `locale`. */
export function translator(locale: Locale, namespace: string): TFunction {
  let instance = serverInstances.get(locale);
  if (!instance) serverInstances.set(locale, (instance = createI18n(locale)));
  return instance.getFixedT(locale, namespace);
}

/** Words the domain made (`Words`), in `locale`: amounts written as that language writes them. */
export function say(locale: Locale, words: Words): string {
  const values = Object.fromEntries(
    Object.entries(words.values ?? {}).map(([name, value]) => [name, typeof value === "object" ? formatMoneyIn(locale, value.minor, value.currency) : value]),
  );
  return translator(locale, "errors")(words.key, values);
}

/**
 * What a service said, in `locale`: its words where it has them, else its English message (Shopify's and
 * Checkout.com's own text). English keeps the service's message, which writes amounts in ISO form.
 */
export function sayServiceMessage(locale: Locale, said: { message: string; words?: Words }): string {
  return said.words && locale !== "en" ? say(locale, said.words) : said.message;
}
