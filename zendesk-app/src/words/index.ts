// The one lookup for the sidebar's words: the agent's Zendesk locale (ZAF's currentUser.locale, "de",
// "fr-FR", "en-US") picks English, French or German; any other language reads as English. Dates and
// money are written by Intl in the same locale.
import { createContext, useContext } from "react";
import { formatMoneyIn } from "#app/lib/money";
import de from "./de";
import en from "./en";
import fr from "./fr";

export type Words = typeof en;
export type Language = "en" | "fr" | "de";

const TABLES: Record<Language, Words> = { en, fr, de };

export function languageOf(locale: string): Language {
  const language = locale.toLowerCase().split(/[-_]/)[0];
  return language === "fr" || language === "de" ? language : "en";
}

export interface Speech {
  language: Language;
  /** The BCP 47 locale Intl writes dates and money in. */
  locale: string;
  w: Words;
  money: (minor: number, currency: string) => string;
  date: (iso: string) => string;
  time: (at: Date) => string;
}

/** The agent's own variant (fr-CA, de-CH) when it is one of ours; English formatting for any other language. */
function intlLocale(agentLocale: string, language: Language): string {
  if (language === "en" && !/^en\b/i.test(agentLocale)) return "en-US";
  try {
    return Intl.getCanonicalLocales(agentLocale.replace("_", "-"))[0];
  } catch {
    return language === "en" ? "en-US" : language;
  }
}

export function speechFor(agentLocale: string): Speech {
  const language = languageOf(agentLocale);
  const locale = intlLocale(agentLocale, language);
  const dates = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
  const times = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
  return {
    language,
    locale,
    w: TABLES[language],
    money: (minor, currency) => formatMoneyIn(locale, minor, currency),
    date: (iso) => dates.format(new Date(iso)),
    time: (at) => times.format(at),
  };
}

const SpeechContext = createContext<Speech>(speechFor("en-US"));
export const SpeechProvider = SpeechContext.Provider;
/** The agent's words, and dates and money in their locale. */
export const useSpeech = () => useContext(SpeechContext);
