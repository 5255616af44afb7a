// The few ways a Checkout.com call can fail, as the rest of the app needs to tell them apart.
export type CheckoutErrorKind =
  | "authentication" // 401/403: wrong key, wrong environment, key lacks a scope
  | "not_found" // 404
  | "validation" // 400/422: Checkout.com refused the request; `codes` says why
  | "conflict" // 409: a concurrent request with the same idempotency key is in flight
  | "rate_limited" // 429
  | "unavailable" // 5xx, timeout or network failure
  | "invalid_response"; // a 2xx whose body is not what the API describes

export class CheckoutError extends Error {
  constructor(
    readonly kind: CheckoutErrorKind,
    message: string,
    readonly status?: number,
    readonly codes: string[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "CheckoutError";
  }

  /** Whether repeating the same request may succeed. */
  get retryable() {
    return this.kind === "rate_limited" || this.kind === "unavailable" || this.kind === "conflict";
  }
}

/** A thrown value as a CheckoutError: one already is; anything else counts as Checkout.com unavailable. */
export const asCheckoutError = (error: unknown): CheckoutError => (error instanceof CheckoutError ? error : new CheckoutError("unavailable", String(error)));

/** Words for people (merchants, agents) rather than logs. */
export function explainCheckoutError(error: CheckoutError): string {
  switch (error.kind) {
    case "authentication":
      return "Checkout.com refused the secret key. Check that it is correct, belongs to this environment (sandbox or production), and has not been revoked.";
    case "not_found":
      return "Checkout.com does not know this item for this account.";
    case "validation":
      return `Checkout.com refused the request${error.codes.length ? `: ${error.codes.join(", ").replaceAll("_", " ")}` : "."}`;
    case "conflict":
      return "The same request is already being processed by Checkout.com. Try again in a moment.";
    case "rate_limited":
      return "Checkout.com is rate limiting this account. Try again in a minute.";
    case "unavailable":
      return "Checkout.com could not be reached or had an error. Try again shortly.";
    case "invalid_response":
      return "Checkout.com answered in a way this app did not expect. The error was logged.";
  }
}
