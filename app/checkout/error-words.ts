// explainCheckoutError (errors.ts) in words: what the merchant reads in their own language where the
// English explanation reaches an admin screen (Settings, Home, Events). errors.checkout.checkoutError.*
import type { Words } from "../i18n/locales";
import type { CheckoutError, CheckoutErrorKind } from "./errors";

const KEYS: Record<Exclude<CheckoutErrorKind, "validation">, string> = {
  authentication: "checkout.checkoutError.authentication",
  not_found: "checkout.checkoutError.notFound",
  conflict: "checkout.checkoutError.conflict",
  rate_limited: "checkout.checkoutError.rateLimited",
  unavailable: "checkout.checkoutError.unavailable",
  invalid_response: "checkout.checkoutError.invalidResponse",
};

const codesText = (codes: readonly string[]) => codes.join(", ").replaceAll("_", " ");

/** The words of explainCheckoutError(error): the same sentence, in the reader's language. */
export function checkoutErrorWords(error: Pick<CheckoutError, "kind" | "codes">): Words {
  if (error.kind !== "validation") return { key: KEYS[error.kind] };
  return error.codes.length
    ? { key: "checkout.checkoutError.validationCodes", values: { codes: codesText(error.codes) } }
    : { key: "checkout.checkoutError.validation" };
}

const REFUSED = "Checkout.com refused the request: ";

/**
 * Every explanation explainCheckoutError gives, as words, to recognise one recorded earlier in
 * `english` (which ends with it): a refusal's codes are read back from the text.
 */
export function checkoutErrorCandidates(english: string): Words[] {
  const at = english.lastIndexOf(REFUSED);
  return [
    ...Object.values(KEYS).map((key) => ({ key })),
    { key: "checkout.checkoutError.validation" },
    ...(at >= 0 ? [{ key: "checkout.checkoutError.validationCodes", values: { codes: english.slice(at + REFUSED.length) } }] : []),
  ];
}
