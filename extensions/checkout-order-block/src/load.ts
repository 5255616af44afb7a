// How the block reads its data: GET /api/order-block/:orderId on the app. Admin UI extensions resolve
// a relative URL against the app's application_url and add the admin's ID token as a Bearer header;
// the app verifies it with authenticate.admin.
import type { OrderBlockData } from "../../../app/order-block/types";
import type { LoadOrderBlock } from "./OrderBlock";

async function failure(response: Response): Promise<Error> {
  if (response.status === 401 || response.status === 403) {
    return new Error("Your admin session could not be verified. Reload the page and try again.");
  }
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  const detail = typeof body?.error === "string" ? body.error : `The app answered HTTP ${response.status}.`;
  return new Error(`${detail} Try again in a moment.`);
}

export function orderBlockLoader(fetchImpl: typeof fetch): LoadOrderBlock {
  return async (orderId) => {
    const response = await fetchImpl(`/api/order-block/${encodeURIComponent(orderId)}`, { headers: { Accept: "application/json" } });
    // The app answers 404 for an order it has no Checkout.com payment for.
    if (response.status === 404) return { kind: "none" };
    if (!response.ok) throw await failure(response);
    return { kind: "found", data: (await response.json()) as OrderBlockData };
  };
}
