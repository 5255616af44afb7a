// Polaris's own strings (pagination, filters, modals' close buttons) in the admin's language.
import de from "@shopify/polaris/locales/de.json";
import en from "@shopify/polaris/locales/en.json";
import fr from "@shopify/polaris/locales/fr.json";
import type { Locale } from "./locales";

export const polarisTranslations: Record<Locale, typeof en> = { en, fr, de };
