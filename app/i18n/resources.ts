// Every translation, bundled: app/i18n/locales/<language>/<namespace>.json, one namespace per area of
// the admin (its owner's file name). English is the source; `locales.test.ts` checks that every key
// exists in every language with the same placeholders.
import { LOCALES, type Locale } from "./locales";

type Messages = { [key: string]: string | Messages };

const files = import.meta.glob<Messages>("./locales/*/*.json", { eager: true, import: "default" });

export const resources: Record<Locale, Record<string, Messages>> = Object.fromEntries(LOCALES.map((l) => [l, {}])) as Record<Locale, Record<string, Messages>>;
for (const [file, messages] of Object.entries(files)) {
  const [, language, namespace] = /\.\/locales\/(\w+)\/([\w-]+)\.json$/.exec(file)!;
  resources[language as Locale][namespace] = messages;
}

export const NAMESPACES = Object.keys(resources.en).sort();
