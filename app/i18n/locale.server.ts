// Which language an admin request is answered in. Shopify names the staff member's admin language in the
// `locale` parameter of an embedded load; later requests (client navigation, form posts) do not carry
// it, so it is remembered on the staff member. Then the language of their online session, then the
// browser's. A language we do not translate reads as English.
import { DEFAULT_LOCALE, matchLocale, type Locale } from "./locales";

export interface LocaleSources {
  /** The request URL's `locale` parameter. */
  param: string | null;
  /** What this staff member's last embedded load said. */
  remembered: string | null | undefined;
  /** The online session's associated user's locale. */
  session: string | null | undefined;
  acceptLanguage: string | null;
}

/** The first tag of an Accept-Language header by weight ("fr-CH, fr;q=0.9, en;q=0.8" → "fr-CH"). */
function preferredLanguages(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1 };
    })
    .filter((l) => l.tag && l.tag !== "*" && l.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((l) => l.tag);
}

export function resolveLocale(sources: LocaleSources): Locale {
  // A parameter Shopify sent wins even when we do not translate it: the admin is in that language, so
  // English (not a stale remembered one) is the closest we have.
  if (sources.param) return matchLocale(sources.param) ?? DEFAULT_LOCALE;
  return (
    matchLocale(sources.remembered) ??
    matchLocale(sources.session) ??
    preferredLanguages(sources.acceptLanguage).map(matchLocale).find(Boolean) ??
    DEFAULT_LOCALE
  );
}
