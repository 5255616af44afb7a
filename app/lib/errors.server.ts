// Domain errors (errors.ts) as HTTP answers: the one place that maps them.
import { json } from "@remix-run/node";
import { DomainError } from "./errors";

/** The refusal's body: the shape of the admin's and the API's failed replies (no field to blame here). */
interface DomainErrorBody {
  ok: false;
  message: string;
  fieldErrors?: Record<string, string>;
}

/** `{ ok: false, message }` with the error's status for a domain error; anything else is thrown on. */
export function domainErrorReply(error: unknown) {
  if (error instanceof DomainError) return json<DomainErrorBody>({ ok: false, message: error.message }, { status: error.status });
  throw error;
}
