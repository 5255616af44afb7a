// Domain errors (errors.ts) as HTTP answers: the one place that maps them.
import { json } from "@remix-run/node";
import { say } from "../i18n/i18n";
import type { Locale } from "../i18n/locales";
import { DomainError } from "./errors";

/** The refusal's body: the shape of the admin's and the API's failed replies (no field to blame here). */
interface DomainErrorBody {
  ok: false;
  message: string;
  fieldErrors?: Record<string, string>;
}

/** The error's message in `locale`: its translated text where it names one, else its English message. */
export function domainErrorMessage(error: DomainError, locale: Locale): string {
  return error.text ? say(locale, error.text) : error.message;
}

/** `{ ok: false, message }` with the error's status for a domain error; anything else is thrown on. */
export function domainErrorReply(error: unknown, locale: Locale = "en") {
  if (error instanceof DomainError) return json<DomainErrorBody>({ ok: false, message: domainErrorMessage(error, locale) }, { status: error.status });
  throw error;
}
