// How the block reads its data: GET /api/order-block/:orderId on the app. Admin UI extensions resolve
// a relative URL against the app's application_url and add the admin's ID token as a Bearer header;
// the app verifies it with authenticate.admin.
import type { OrderBlockData } from "../../../app/order-block/types";
import type { LoadOrderBlock } from "./OrderBlock";

/** Why the block could not read the app's answer; the block says it in the staff member's language. */
export type LoadFailure =
  /** The app refused the admin's ID token (401/403): reloading the page gets a fresh one. */
  | { kind: "session" }
  /** Any other answer than 200 or 404. */
  | { kind: "http"; status: number }
  /** No answer, or one that is not JSON. */
  | { kind: "unreachable" };

export class OrderBlockLoadError extends Error {
  constructor(readonly failure: LoadFailure) {
    super(failure.kind === "http" ? `The app answered HTTP ${failure.status}.` : `Could not load the order block: ${failure.kind}.`);
    this.name = "OrderBlockLoadError";
  }
}

export function orderBlockLoader(fetchImpl: typeof fetch): LoadOrderBlock {
  return async (orderId) => {
    let response: Response;
    try {
      response = await fetchImpl(`/api/order-block/${encodeURIComponent(orderId)}`, { headers: { Accept: "application/json" } });
    } catch {
      throw new OrderBlockLoadError({ kind: "unreachable" });
    }
    // The app answers 404 for an order it has no Checkout.com payment for.
    if (response.status === 404) return { kind: "none" };
    if (response.status === 401 || response.status === 403) throw new OrderBlockLoadError({ kind: "session" });
    if (!response.ok) throw new OrderBlockLoadError({ kind: "http", status: response.status });
    const data = (await response.json().catch(() => null)) as OrderBlockData | null;
    if (!data) throw new OrderBlockLoadError({ kind: "unreachable" });
    return { kind: "found", data };
  };
}
