// Every translation, bundled: app/i18n/locales/<language>.json holds one object per area of the admin
// (its namespace: "holds", "disputes", ...). English is the source; `locales.test.ts` checks that every
// key exists in every language with the same placeholders. Plain JSON imports, so the same module loads
// in the Vite build, in tests and in the worker process (which never renders, but shares modules).
import de from "./locales/de.json";
import en from "./locales/en.json";
import fr from "./locales/fr.json";
import type { Locale } from "./locales";

type Messages = { [key: string]: string | Messages };

export const resources: Record<Locale, Record<string, Messages>> = { en, fr, de };

export const NAMESPACES = Object.keys(resources.en).sort();
